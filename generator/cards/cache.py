"""The card cache: a finished card is kept under a hash of everything that decides its pixels.

The key hashes the renderer version, Pillow's version and the versions of the libraries it draws with
(FreeType, raqm, FriBiDi, HarfBuzz, zlib), the resolved layout and format, the card's text, the brand colours,
and the bytes of every font and image used. If any of them changes the key changes, so a cached card is never
stale; if none changes the card is copied from the cache instead of being drawn again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import features

from generator.cards.images import file_digest
from generator.workspace import file_version, write_atomic

# Bump when a change to the drawing code changes pixels (fitting rules, baseline, PNG settings).
# 2: one bidi paragraph per line (merged Arabic font), hashtag strips that fit; 3: balanced and pretty line
# breaks, a legible hashtag strip, palette PNGs for flat cards
RENDERER_VERSION = "cards-5"
HERE = "@card"  # in a cached problem's place, the card that finds it (CardCache.put)


@lru_cache(maxsize=1)
def pillow_fingerprint() -> dict:
    names = ("freetype2", "raqm", "fribidi", "harfbuzz", "zlib")
    return {"pillow": PIL.__version__, **{name: features.version(name) for name in names}}


class DigestMemo:
    """File digests of one run, keyed by path, size and modification time: each file is read once."""

    def __init__(self):
        self._memo: dict = {}

    def digest(self, path: str) -> str:
        key = file_version(path)
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = file_digest(Path(path))
        return value


def card_key(spec, font_digest: str, digests: DigestMemo) -> str:
    """The content hash of a card spec (draw.CardSpec)."""
    payload = {
        "renderer": RENDERER_VERSION,
        "pillow": pillow_fingerprint(),
        "fonts": font_digest,
        "format": asdict(spec.card_format),
        "layout": spec.layout.data,
        "texts": spec.texts,
        "alternatives": spec.alternatives,
        "latin": spec.latin,
        "colours": spec.colours,
        "images": {layer: digests.digest(path) for layer, (path, _display) in sorted(spec.images.items())},
        "language": spec.language,
        "debug": spec.debug,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CardCache:
    """`<dir>/<key[:2]>/<key>.png` with `<key>.json` beside it (the card's problems)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".png"), base.with_suffix(".json")

    def get(self, key: str, label: str) -> tuple[Path, list] | None:
        """(path of the cached PNG, its problems as dicts, placed at the card `label` of the asker), or None when
        the card is not cached."""
        png, meta = self._paths(key)
        try:
            problems = _placed(json.loads(meta.read_text(encoding="utf-8"))["problems"], HERE, label)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return (png, problems) if png.is_file() else None

    def put(self, key: str, png: bytes, problems: list, label: str) -> Path:
        """Keep a card with its problems. The same picture serves every card that draws the same thing (another
        message with the same words, a copied campaign), so a problem is kept without the card's `label`, and
        each card that finds it is named in it instead."""
        png_path, meta = self._paths(key)
        write_atomic(png_path, png)
        write_atomic(meta, json.dumps({"problems": _placed(problems, label, HERE)}, sort_keys=True).encode("utf-8"))
        return png_path


def _placed(problems: list, card: str, instead: str) -> list:
    """The problems (dicts) with the card `card` at the start of their place replaced by `instead`."""
    return [{**d, "where": instead + d["where"][len(card):] if d["where"].startswith(card) else d["where"]}
            for d in problems]


