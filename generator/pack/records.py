"""Incremental to the post: each rendered post, and each card's resolution, is recorded under the hash of
exactly what it depends on, so that editing one message renders only that message's posts and resolves (and
draws) only its cards.

- A post depends on its message, its campaign without the other messages (name, hashtags, facts, links,
  observances, referral lines: what a template sees), its slot (platform, language, day, observance), the
  templates (the workspace's and the kit's), the kit, and campaign-gen's code and data (the platform rules,
  the guards' glossaries). Its record is the Post, its checks included.
- A campaign file, as loaded and checked, depends on its bytes, the shared facts, the templates and assets it
  names (layouts, logo, font) and the code: a partner network's kits all read the same campaigns, and an edit
  to one campaign leaves the others' parsing alone.
- A card depends on the same campaign, message and kit, the request (language, format, layout, platforms,
  partner colours, logo and tags), the templates and the assets (fonts, logos, photos). Its record is what
  resolving it gave (name, alt text, problems, the card's content key); the picture itself stays in the card
  cache (.cache/cards/), which a record only points to.

Records are pickles under the workspace's `.cache/posts/` and `.cache/card-requests/` (git-ignored), written
and read by campaign-gen alone, like the pack records (cache.py): nothing from a kit is ever unpickled.
A record that cannot be read is a miss. A `serve` session also keeps the pickles of the records it read or
wrote lately in its process (keep_in_process; KEPT of them), so that a build after every save does not open a
file for each of a week's hundreds of posts and cards: a record's key is the hash of all it depends on, so a
kept one is never out of date, and each read unpickles a copy of its own. Other commands read the files only.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace
from pathlib import Path

from generator.campaign import (LoadedCampaign, campaign_files, load_campaign_with_warnings,
                                load_campaigns_with_warnings)
from generator.posts import Post
from generator.model import DEFAULT_LANGUAGE
from generator.workspace import Kept, write_atomic

CAMPAIGNS = Path(".cache") / "campaigns"
POSTS = Path(".cache") / "posts"
CARD_REQUESTS = Path(".cache") / "card-requests"
RECORD_FORMAT = 1  # bump when Post or a card record changes shape: older records are then ignored
# A message's texts by language (model.Message): a post reads the one of its language, or the English one.
PER_LANGUAGE = ("text", "short", "call_to_action", "headline", "quote_by", "image_alt")
CARD_RECORD_KEYS = {"name", "alt_text", "key", "label", "problems", "alt"}
KEPT = 20_000  # records' pickles kept in this process, the least recently used dropped first (a few KB each)
# (workspace, folder, key) -> the record's pickle (no Path in the key: they hash slowly); None: nothing kept.
_kept: Kept | None = None


class Records:
    """The post and card records of one build. `digests` are cache.input_digests() of the build."""

    def __init__(self, workspace, digests: dict, partner_id: str | None):
        self.root = workspace.root
        self._root = str(workspace.root)
        kit = digests.get(f"partners/{partner_id}", "") if partner_id else ""
        # What every post of the build depends on beyond its campaign and message; cards add the assets.
        self._posts_base = _digest(RECORD_FORMAT, "post", str(self.root), digests["code"], digests["templates"], kit)
        self._cards_base = _digest(self._posts_base, "card", digests["assets"])
        self._campaigns_base = _digest(RECORD_FORMAT, "campaign", str(self.root), digests["code"],
                                       digests["facts"], digests["templates"], digests["assets"])
        self._campaigns: dict = {}  # id(campaign) -> digest of the campaign without its messages
        self._messages: dict = {}

    # -- keys ------------------------------------------------------------------------------------------------
    def _campaign(self, campaign) -> str:
        key = id(campaign)
        if key not in self._campaigns:  # a dataclass's repr shows every field: the campaign as templates see it
            self._campaigns[key] = (campaign, _digest(repr(replace(campaign, messages=()))))
        return self._campaigns[key][1]

    def _message(self, message, language: str) -> str:
        """The message as a post or card in `language` reads it: its texts in that language, or in English
        where it has none (the fallback), and its page for that language; so an edit to the English text
        leaves the French posts alone."""
        key = (id(message), language)
        if key not in self._messages:
            read = language if message.has_language(language) else DEFAULT_LANGUAGE
            seen = replace(message, **{name: {read: getattr(message, name)[read]} if read in getattr(message, name)
                                       else {} for name in PER_LANGUAGE},
                           links={language: message.links[language]} if language in message.links else {})
            self._messages[key] = (message, _digest(repr(seen)))
        return self._messages[key][1]

    def post_key(self, campaign, message, platform: str, language: str, day, observance, partner) -> str:
        return _digest(self._posts_base, self._campaign(campaign), self._message(message, language), platform, language,
                       repr(day), repr(observance), repr(partner))

    def card_key(self, request) -> str:
        campaign = request.campaign
        message = request.message if not isinstance(request.message, str) else campaign.message(request.message)
        return _digest(self._cards_base, self._campaign(campaign), self._message(message, request.language),
                       request.language,
                       request.format, request.layout, repr(request.colours), str(request.logo), repr(request.texts),
                       repr(request.platforms), request.name, str(request.partner_dir), repr(request.hashtags),
                       request.debug)

    def loaded_campaigns(self, workspace, ids) -> list:
        """campaign.load_campaigns_with_warnings(workspace, ids), each file read from its record when its bytes
        and what it refers to are unchanged."""
        paths = {path.stem: path for path in campaign_files(workspace)}
        wanted = sorted(set(ids)) if ids else sorted(paths)
        if not wanted or any(campaign_id not in paths for campaign_id in wanted):
            return load_campaigns_with_warnings(workspace, ids)  # it says what is wrong
        loaded = []
        for campaign_id in wanted:
            try:
                content = hashlib.sha256(paths[campaign_id].read_bytes()).hexdigest()
            except OSError:
                return load_campaigns_with_warnings(workspace, ids)
            key = _digest(self._campaigns_base, campaign_id, content)
            item = self._read(CAMPAIGNS, key)
            if not isinstance(item, LoadedCampaign):
                item = load_campaign_with_warnings(workspace, campaign_id)
                self._write(CAMPAIGNS, key, item)
            loaded.append(item)
        return loaded

    # -- storage ---------------------------------------------------------------------------------------------
    def post(self, key: str):
        found = self._read(POSTS, key)
        return found if isinstance(found, Post) else None

    def remember_post(self, key: str, post) -> None:
        self._write(POSTS, key, post)

    def lookup(self, request) -> dict | None:
        """The recorded resolution of a card request (cards.render_cards' memo), or None."""
        found = self._read(CARD_REQUESTS, self.card_key(request))
        return found if isinstance(found, dict) and CARD_RECORD_KEYS <= found.keys() else None

    def store(self, request, record: dict) -> None:
        self._write(CARD_REQUESTS, self.card_key(request), record)

    def _path(self, folder: Path, key: str) -> Path:
        return self.root / folder / key[:2] / f"{key}.pickle"

    def _read(self, folder: Path, key: str):
        kept = (self._root, folder.name, key)
        try:
            data = _kept.get(kept) if _kept is not None else None
            if data is None:
                data = self._path(folder, key).read_bytes()
            value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged record (any bytes at all) is a miss, worked out again
            return None
        _keep(kept, data)
        return value

    def _write(self, folder: Path, key: str, value) -> None:
        data = pickle.dumps(value)
        _keep((self._root, folder.name, key), data)
        try:
            write_atomic(self._path(folder, key), data)
        except OSError:
            pass  # a record that cannot be kept costs the next build some work, nothing else


def keep_in_process(keep: bool) -> None:
    """From now on keep the records read or written in this process too (`serve`), or no longer (and forget
    those kept)."""
    global _kept
    _kept = Kept(KEPT) if keep else None


def _keep(kept: tuple, data: bytes) -> None:
    if _kept is not None:
        _kept.put(kept, data)


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
