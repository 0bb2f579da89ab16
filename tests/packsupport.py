"""Shared by the pack tests: a small workspace built once per test module, so its card cache is shared.

The workspace holds the minimal test campaign (two platforms, English and French) with every brand colour
given, a copy of the stock templates, and a test logo (fonts: the stock ones). Building a week of it draws a handful of cards
once; later builds in the same module copy them from the workspace's cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from generator import stock
from generator.workspace import Workspace

DATA = Path(__file__).resolve().parent / "data"
# The shipped card layouts also use the optional `secondary` and `accent` roles.
MEDIA_BASE_URL = "https://example.org/packs"
EXTRA_COLOURS = '    secondary: "#7A2E8E"\n    accent: "#8A1538"\n'


def pack_campaign_text() -> str:
    text = (DATA / "campaigns" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    return text.replace('    primary: "#F58220"\n', '    primary: "#F58220"\n' + EXTRA_COLOURS, 1)


def make_pack_workspace(root: Path, campaigns: dict) -> Workspace:
    """A workspace at `root` holding `campaigns` ({file name: YAML text})."""
    (root / "campaigns").mkdir(parents=True)
    shutil.copytree(stock.TEMPLATES, root / "templates")
    logo = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    logo.paste((245, 130, 32, 255), (16, 16, 48, 48))
    (root / "assets" / "logos").mkdir(parents=True)
    logo.save(root / "assets" / "logos" / "test.png")
    for name, text in campaigns.items():
        (root / "campaigns" / name).write_text(text, encoding="utf-8")
    # Where its packs are published, so the scheduler files name cards by URL (no export.media-url warning).
    (root / "campaign-gen.yaml").write_text(f"media_base_url: {MEDIA_BASE_URL}\n", encoding="utf-8")
    return Workspace(root.resolve())


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
