"""A part of a sharded network build: what one shard builds of one pack (the workspace's own or a kit's) for the
(campaign, language) pairs the split gave it, and the record it leaves for merge.py.

A part schedules its whole pack exactly as `build` does (the schedule is cheap, and it decides every post's
minute: posts of one account share its day), then renders only the posts of its own campaigns and languages and
draws only their cards (a card belongs to one campaign and language, so the cards split as the posts do). Its
folder holds

    part.json   what every part of the pack computes alike (the fingerprint of the pack's inputs, the number of
                posts in the whole pack, its file and pack problems, its calendar plan) and each post of the part
                with its position in the whole schedule; plain JSON, never a pickle: a shard folder comes from
                another machine, and merge only ever builds the few value types named in TYPES from it
    cards/      the part's cards, as `build` writes them

A part that fails says how far it got, so that merge reports what the unsharded build would have met first
(`PartFailure.rank`): the kit or its campaigns unusable (every part meets it alike), then a post template failing
(the first in schedule order: `position` is the post's place in the whole schedule), then what the kit's
templates broke in the rendered posts (merge checks that over every part's posts, in order, as `build` does),
then the cards, then anything else (a limit reached, a crash). Once its posts are rendered, a part writes them
before drawing, so that the check over the kit's posts still has them when drawing fails.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import posts
from generator.dates import Occurrence
from generator.errors import CampaignGenError, InputFileError, Location, Problem, Severity
from generator.pack import build
from generator.pack.model import PackOptions, PackPost
from generator.pack.plan import pack_inputs, plan_pack, with_settings
from generator.schedule import Slot
from generator.workspace import Workspace, write_atomic

PART_FILE = "part.json"
PART_FORMAT = 1
# The failure ranks, in the order the unsharded build meets them.
UNUSABLE, POST_TEMPLATE, KIT_RULES, CARDS, OTHER = 0, 1, 2, 3, 4
# The only types part.json can name: plain values of the pack model.
TYPES = {cls.__name__: cls for cls in (PackPost, posts.Post, Slot, Occurrence, Problem, Severity)}


# -- the JSON form of the pack's values ------------------------------------------------------------------------------
def encode(value):
    """`value` as JSON data: dataclasses and enums of TYPES by name, dates and zoned times by their ISO text,
    tuples as lists, mappings as lists of pairs (their keys are dates and tuples)."""
    name = type(value).__name__
    if isinstance(value, Enum):  # before str: Severity is a str too
        if TYPES.get(name) is not type(value):
            raise TypeError(f"a part cannot hold a {name}")
        return {"$enum": name, "value": value.value}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$map": [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, datetime):
        zone = value.tzinfo
        return {"$datetime": value.replace(tzinfo=None).isoformat(), "fold": value.fold,
                "zone": zone.key if isinstance(zone, ZoneInfo) else None,
                "offset": None if isinstance(zone, ZoneInfo) or zone is None else zone.utcoffset(value).total_seconds()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if dataclasses.is_dataclass(value) and TYPES.get(name) is type(value):
        return {"$type": name, "fields": {item.name: encode(getattr(value, item.name))
                                          for item in dataclasses.fields(value)}}
    raise TypeError(f"a part cannot hold a {name}")


def decode(data):
    """The value `encode` gave `data` for; ValueError for anything else."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        raise ValueError(f"unexpected {type(data).__name__}")
    if "$map" in data:
        return {decode(key): decode(item) for key, item in data["$map"]}
    if "$datetime" in data:
        moment = datetime.fromisoformat(data["$datetime"]).replace(fold=data["fold"])
        if data["zone"] is not None:
            return moment.replace(tzinfo=ZoneInfo(data["zone"]))
        return moment if data["offset"] is None else moment.replace(tzinfo=timezone(timedelta(seconds=data["offset"])))
    if "$date" in data:
        return date.fromisoformat(data["$date"])
    kind = TYPES.get(data.get("$enum") or data.get("$type"))
    if kind is None:
        raise ValueError(f"unknown type {data.get('$enum') or data.get('$type')!r}")
    if "$enum" in data:
        return kind(data["value"])
    return kind(**{name: decode(item) for name, item in data["fields"].items()})


# -- building a part (in the kit's own process) ----------------------------------------------------------------------
def _ranked(err: CampaignGenError, rank: int, position: int = 0) -> CampaignGenError:
    """`err` marked with how far the part got; the mark crosses the kit's process boundary with the error
    (CampaignGenError pickles its attributes)."""
    err.part_rank = (rank, position)
    return err


def rank_of(err: BaseException) -> tuple[int, int]:
    return getattr(err, "part_rank", (OTHER, 0))


def build_part(workspace: Workspace, options: PackOptions, pairs, folder: Path) -> dict:
    """Build the posts and cards of `options`' pack for the (campaign, language) `pairs` into `folder` (part.json
    and cards/); return {"posts", "cards", "drawn"} for the report. Raises the CampaignGenError that stopped it,
    marked with its rank (rank_of)."""
    try:
        settings, options = with_settings(workspace, options)
        digests, fingerprint = pack_inputs(workspace, options)
        plan = plan_pack(workspace, settings, options, digests, fingerprint)
        wanted = {tuple(pair) for pair in pairs}
        chosen = [(index, slot) for index, slot in enumerate(plan.slots)
                  if (slot.campaign_id, slot.language) in wanted]
        mine = [slot for _, slot in chosen]
        card_plan = build.plan_cards(mine, plan, workspace)
    except CampaignGenError as err:
        raise _ranked(err, UNUSABLE) from None

    try:
        built = build.build_posts(mine, plan, workspace, build.Progress(None))
    except CampaignGenError as err:  # ranked by the failing post's place in the kit's whole schedule
        raise _ranked(err, POST_TEMPLATE, chosen[err.slot_position][0]) from None
    record = {"format": PART_FORMAT, "kit": options.partner or "", "pairs": sorted(list(pair) for pair in wanted),
              "fingerprint": fingerprint, "slots": len(plan.slots), "complete": False,
              "posts": [[index, encode(post)] for (index, _), post in zip(chosen, built)]}
    write_atomic(folder / PART_FILE, _dumps(record))  # the posts, for merge's check of the kit, whatever follows

    try:
        card_results = build.render_pack_cards(card_plan, folder / build.CARDS_FOLDER, workspace, options.jobs,
                                               build.Progress(None), plan.records)
    except CampaignGenError as err:
        raise _ranked(err, CARDS) from None
    entries = build.pack_posts(mine, built, card_results, plan)
    drawn = sorted(result.name for result in card_results.values() if not result.cached)
    record.update({
        "complete": True, "posts": [[index, encode(entry)] for (index, _), entry in zip(chosen, entries)],
        "cards": len(card_results), "drawn": drawn, "file_problems": encode(plan.file_problems),
        "pack_problems": encode(plan.pack_problems), "plan": encode(plan.monthly())})
    write_atomic(folder / PART_FILE, _dumps(record))
    return {"posts": len(entries), "cards": len(card_results), "drawn": len(drawn)}


def _dumps(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# -- reading a part (merge) ------------------------------------------------------------------------------------------
@dataclass
class PartData:
    """A part as merge reads it. `posts` holds (position in the pack's schedule, value): PackPosts when the part
    is complete, else the Posts it rendered before it stopped."""

    kit: str
    pairs: list
    fingerprint: str
    slots: int
    complete: bool
    posts: list
    cards: int = 0
    drawn: tuple = ()
    file_problems: tuple = ()
    pack_problems: tuple = ()
    plan: dict = dataclasses.field(default_factory=dict)

    @property
    def rendered(self) -> list:
        """(position, Post) of every post the part rendered."""
        return [(index, item.post if isinstance(item, PackPost) else item) for index, item in self.posts]


def read_part(folder: Path, shown: str) -> PartData:
    """The part in `folder` (shown as `shown`); InputFileError naming its part.json when it is missing or is not
    the record of a part."""
    where = Location(f"{shown}/{PART_FILE}")
    try:
        record = json.loads((folder / PART_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("missing: the shard folder is incomplete; give it whole, as its build wrote it",
                             where) from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputFileError(f"not readable as a part of a shard ({err})", where) from None
    try:
        if record["format"] != PART_FORMAT:
            raise ValueError(f"format {record['format']!r}, expected {PART_FORMAT}")
        complete = record["complete"] is True
        entries = [(int(index), decode(item)) for index, item in record["posts"]]
        if not all(isinstance(item, PackPost if complete else posts.Post) for _, item in entries):
            raise ValueError("a post is not a post")
        part = PartData(str(record["kit"]), [tuple(pair) for pair in record["pairs"]], str(record["fingerprint"]),
                        int(record["slots"]), complete, entries)
        if complete:
            part.cards, part.drawn = int(record["cards"]), tuple(str(name) for name in record["drawn"])
            part.file_problems, part.pack_problems = decode(record["file_problems"]), decode(record["pack_problems"])
            part.plan = decode(record["plan"])
    except (KeyError, TypeError, ValueError) as err:
        raise InputFileError(f"not the record of a part of a shard ({type(err).__name__}: {err})", where) from None
    return part
