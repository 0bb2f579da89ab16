"""`campaign-gen merge SHARD_DIR... --out DIR`: the shards of a sharded network build (shards.py) put together
into the pack the unsharded `build --all-partners` writes, byte for byte.

Each folder must hold a shard's record, and the shards must come from the same code (its digest), the same
request and the same split, each shard 1 to N exactly once, before anything is written; every part of a pack
must come from the same inputs (each part's fingerprint), checked as the pack is put together. A refusal is one
line naming the folder.

Then each pack (the workspace's own, each kit's) is put together from its parts: the posts in schedule order,
the cards of every part, the pack-wide data every part computed alike; its files are written by the same
exporters as `build`, and the index of the kits by network.py. A kit is built, or not, as the unsharded build
would have decided (parts.py ranks a part's failure): the first failure in its order, else what the kit's
templates broke in its posts (checked over all of them, in order), else its pack. As in the unsharded build, a kit
not built this time keeps the pack of its last good build in `<out>/<pack>/partners/`. The merged pack is written
in a staging folder beside `<out>/<pack>/` and swapped into place whole: a refused or failed merge leaves the
previous pack as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from generator.dates import Period
from generator.errors import InputFileError, InvalidInput, Location, UsageError
from generator.fields import IDENTIFIER
from generator.pack import build
from generator.pack.exporters import EXPORTERS
from generator.pack.model import Pack, PackOptions
from generator.pack.network import KitOutcome, NetworkBuild, failure_lines, kit_options, write_index
from generator.pack.output import (NETWORK_FOLDER, check_output, make_staging, remove_stale_zip, swap_into_place,
                                   write_zip)
from generator.pack.parts import CARDS, KIT_RULES, PART_FILE, read_part
from generator.pack.shards import FORMAT, OWN, RECORD, Shard, parse_shard, shard_of, split_digest
from generator.partners.checks import kit_post_problems

_PART_FOLDER = re.compile(r"^parts/\d{4,}\Z")


@dataclass
class ShardRecord:
    folder: Path
    shown: str
    shard: Shard
    code: str
    label: str
    request: dict
    options: PackOptions  # the workspace's own pack's, as the request says (out_dir: None)
    split: dict
    parts: list


def read_shard(folder: Path) -> ShardRecord:
    """The record of the shard in `folder`; InputFileError naming the folder when it is not a shard's."""
    shown = str(folder)
    if not folder.is_dir():
        raise InputFileError("not a folder; give the --out folders of `campaign-gen build --shard I/N`",
                             Location(shown))
    path = folder / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"not a shard folder: it has no {RECORD}; give the --out folders of `campaign-gen "
                             "build --shard I/N`", Location(shown)) from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputFileError(f"not readable as a shard's record ({err})", Location(f"{shown}/{RECORD}")) from None
    try:
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise ValueError(f"format {record.get('format') if isinstance(record, dict) else None!r}, "
                             f"expected {FORMAT}")
        parts = record["parts"]
        for part in parts:
            _check_part(part)
        request = dict(record["request"])
        result = ShardRecord(folder, shown, parse_shard(record["shard"]), str(record["code"]), str(record["label"]),
                             request, _options(request), dict(record["split"]), parts)
        if result.options.folder_name != result.label or not (
                isinstance(request["kits"], list) and all(isinstance(kit, str) and kit for kit in request["kits"])):
            raise ValueError("its request is not its pack's")
    except (KeyError, TypeError, ValueError, AttributeError, UsageError) as err:
        raise InputFileError(f"not the record of a shard of campaign-gen ({err})",
                             Location(f"{shown}/{RECORD}")) from None
    return result


def _check_part(part: dict) -> None:
    failure = part["failure"]
    if not (isinstance(part["kit"], str) and _PART_FOLDER.match(part["folder"])
            and all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair)
                    for pair in part["pairs"])
            and (failure is None or (isinstance(failure["lines"], list) and len(failure["rank"]) == 2
                                     and all(isinstance(item, str) for item in failure["lines"])
                                     and all(isinstance(item, int) for item in failure["rank"])))):
        raise ValueError("a part is not a part")


def _options(request: dict) -> PackOptions:
    """The workspace's own pack's options, from a shard's request."""
    start, end, label = request["period"]
    values = (request["campaigns"], request["platforms"], request["languages"])
    if not all(isinstance(items, list) and all(isinstance(item, str) for item in items) for items in values):
        raise ValueError("its filters are not lists of names")
    return PackOptions(Period(date.fromisoformat(start), date.fromisoformat(end), str(label)),
                       *(tuple(items) for items in values), None, None, request["strict"] is True, None,
                       request["zip"] is True, str(request["hootsuite_date_format"]),
                       None if request["media_base_url"] is None else str(request["media_base_url"]))


def check_shards(records: list[ShardRecord]) -> list[ShardRecord]:
    """The shards in order 1..N, once each, of one build; UsageError naming the folder otherwise."""
    if not records:
        raise UsageError("give the folders of the shards to merge")
    first = records[0]
    seen: dict[int, ShardRecord] = {}
    for record in records:
        if record.shard.count != first.shard.count:
            raise _mismatch(record, f"shard {record.shard}, but '{first.shown}' is shard {first.shard}: the shards of "
                                    "one build share their N; give the shards of one build")
        if record.code != first.code:
            raise _mismatch(record, f"built by another version of campaign-gen than '{first.shown}'; build every "
                                    "shard from the same checkout")
        for key in sorted(set(first.request) | set(record.request)):
            if record.request.get(key) != first.request.get(key):
                raise _mismatch(record, f"built with other options than '{first.shown}': {_option(key, record)}, not "
                                        f"{_option(key, first)}; build every shard with the same options")
        if record.split != first.split or record.label != first.label:
            raise _mismatch(record, f"split other work than '{first.shown}' (the campaigns, languages or kits "
                                    "differ); build every shard from the same checkout")
        if record.shard.index in seen:
            raise _mismatch(record, f"shard {record.shard} again ('{seen[record.shard.index].shown}' is shard "
                                    f"{record.shard} too); give each shard once")
        seen[record.shard.index] = record
    missing = [index for index in range(1, first.shard.count + 1) if index not in seen]
    if missing:
        names = ", ".join(f"{index}/{first.shard.count}" for index in missing)
        raise UsageError(f"shard{'s' if len(missing) > 1 else ''} {names} missing: give the folders of all "
                         f"{first.shard.count} shards (the --out folder of each `build --shard I/"
                         f"{first.shard.count}`)")
    return [seen[index] for index in sorted(seen)]


def _mismatch(record: ShardRecord, detail: str) -> UsageError:
    return UsageError(detail, Location(record.shown))


# The request's keys as the options that set them.
OPTIONS = {"period": "period", "campaigns": "--campaign", "platforms": "--platform", "languages": "--lang",
           "kits": "kits", "strict": "--strict", "zip": "--zip", "hootsuite_date_format": "--hootsuite-dates",
           "media_base_url": "media base URL"}


def _option(key: str, record: ShardRecord) -> str:
    value = record.request.get(key)
    if key == "period" and isinstance(value, list) and len(value) == 3:
        return f"period {value[2]} ({value[0]} to {value[1]})"
    return f"{OPTIONS.get(key, key)} {json.dumps(value, ensure_ascii=False)}"


def _check_split(records: list[ShardRecord]) -> None:
    """Every unit of the split in exactly one part, of the shard it hashes to."""
    units = []
    for record in records:
        for part in record.parts:
            for campaign, language in part["pairs"]:
                unit = (part["kit"], campaign, language)
                if shard_of(unit, record.shard.count) != record.shard.index:
                    raise _mismatch(record, f"holds work of another shard ({unit[0] or 'own pack'}, {campaign}, "
                                            f"{language}); give the shard folders as their builds wrote them")
                units.append(unit)
    first = records[0]
    if (len(units) != first.split.get("units")
            or split_digest([list(unit) for unit in sorted(units)]) != first.split.get("digest")):
        raise UsageError(f"the shards do not add up to the work they split ({len(units)} parts of "
                         f"{first.split.get('units')}); give the shard folders as their builds wrote them")


# -- putting the packs together --------------------------------------------------------------------------------------
@dataclass
class _KitParts:
    """The parts of one pack from every shard, with the record each came from; their data is read (`load`) only
    when the pack is put together, one pack at a time, so that a network's merge holds one kit's posts at once."""

    kit: str
    parts: list  # (ShardRecord, part entry, PartData | None)

    def load(self) -> _KitParts:
        """The parts with their data: every built part's, and the posts a part rendered before failing."""
        loaded = []
        for record, entry, _ in self.parts:
            folder, shown = record.folder / entry["folder"], f"{record.shown}/{entry['folder']}"
            failure, data = entry["failure"], None
            if failure is None:
                data = read_part(folder, shown)
                if not data.complete:
                    raise InputFileError("incomplete although the shard says it was built; give the shard folder "
                                         "as its build wrote it", Location(f"{shown}/{PART_FILE}"))
            elif failure["rank"][0] >= CARDS and (folder / PART_FILE).is_file():
                data = read_part(folder, shown)  # the posts it rendered, for the check over the kit's posts
            if data is not None and data.kit != self.kit:
                raise InputFileError(f"holds kit '{data.kit}', not '{self.kit}'", Location(f"{shown}/{PART_FILE}"))
            loaded.append((record, entry, data))
        known = [(record, data) for record, _, data in loaded if data is not None]
        for record, data in known[1:]:  # every part of a pack from the same inputs and code
            if (data.fingerprint, data.slots) != (known[0][1].fingerprint, known[0][1].slots):
                what = f"partner kit '{self.kit}'" if self.kit else "the workspace's own pack"
                raise _mismatch(record, f"built {what} from other files than '{known[0][0].shown}' did; build every "
                                        "shard from the same checkout")
        return _KitParts(self.kit, loaded)


def _gather(records: list[ShardRecord]) -> dict[str, _KitParts]:
    """The parts of each pack, by kit ("" for the workspace's own)."""
    kits: dict[str, _KitParts] = {}
    for record in records:
        for entry in record.parts:
            kits.setdefault(entry["kit"], _KitParts(entry["kit"], [])).parts.append((record, entry, None))
    for name in [OWN, *sorted(set(records[0].request["kits"]))]:
        if name not in kits:
            raise UsageError(f"no shard holds {f'kit {name!r}' if name else 'the own pack'}; give the shard folders "
                             "as their builds wrote them")
        if name and not IDENTIFIER.match(name) and not all(entry["failure"] for _, entry, _ in kits[name].parts):
            raise UsageError(f"'{name}' is not a partner name, yet a shard built it; give the shard folders as their "
                             "builds wrote them")
    return kits


def _verdict(kit: _KitParts, describe_failure) -> tuple[str, ...]:
    """Why the kit cannot be built, as the unsharded build would say it; () when it can."""
    failures = sorted((tuple(entry["failure"]["rank"]), record.shard.index, tuple(entry["failure"]["lines"]))
                      for record, entry, _ in kit.parts if entry.get("failure") is not None)
    if failures and failures[0][0][0] < KIT_RULES:
        return failures[0][2]
    if all(data is not None for _, _, data in kit.parts):
        rendered = sorted((index, post) for _, _, data in kit.parts for index, post in data.rendered)
        problems = kit_post_problems(SimpleNamespace(id=kit.kit), [post for _, post in rendered]) if kit.kit else []
        if problems:
            return failure_lines(kit.kit, InvalidInput(problems), describe_failure)
    return failures[0][2] if failures else ()


def _assemble(kit: _KitParts, options: PackOptions, folder: Path, staging: Path) -> Pack:
    """The pack of `kit` from its parts, its files written into `staging` (its cards copied from the parts)."""
    parts = kit.parts
    for record, entry, data in parts:
        if data is None:  # only a kit's part is recorded as failed: the workspace's own stops its shard
            raise InputFileError("records the workspace's own pack as not built; give the shard folder as its "
                                 "build wrote it", Location(f"{record.shown}/{RECORD}"))
    posts = sorted(((index, item) for _, _, data in parts for index, item in data.posts), key=lambda pair: pair[0])
    first = parts[0][2]
    if [index for index, _ in posts] != list(range(first.slots)):
        raise UsageError(f"the parts of {'kit ' + repr(kit.kit) if kit.kit else 'the own pack'} do not add up to its "
                         f"{first.slots} posts; give the shard folders as their builds wrote them")
    cards = staging / build.CARDS_FOLDER
    cards.mkdir(parents=True, exist_ok=True)
    for record, entry, _ in parts:
        _copy_cards(record.folder / entry["folder"] / build.CARDS_FOLDER, cards)
    pack = Pack(options, folder, [item for _, item in posts], file_problems=list(first.file_problems),
                pack_problems=list(first.pack_problems), plan=first.plan,
                cards_total=sum(data.cards for _, _, data in parts),
                drawn_cards=tuple(sorted({name for _, _, data in parts for name in data.drawn})))
    for exporter in EXPORTERS:
        exporter.write(pack, staging)
    return pack


def _copy_cards(source: Path, target: Path) -> None:
    """The part's cards: plain files only (a link in a shard folder is not followed), never one over another."""
    if not source.is_dir():
        return
    for entry in sorted(os.scandir(source), key=lambda item: item.name):
        if not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
            continue
        destination = target / entry.name
        if destination.exists():
            raise UsageError(f"card '{entry.name}' is in two parts; give the shard folders as their builds wrote them",
                             Location(str(source)))
        shutil.copyfile(entry.path, destination)


def merge_shards(folders, out_dir: Path, describe_failure, on_own=None, on_kit=None) -> NetworkBuild:
    """Merge the shard folders into `<out_dir>/<pack>/`, as `build --all-partners --out out_dir` writes it.
    `describe_failure(error)` gives a kit's failure lines; `on_own(pack)` and `on_kit(outcome)` report progress."""
    records = check_shards([read_shard(Path(folder)) for folder in folders])
    _check_split(records)
    kits = _gather(records)
    options = replace(records[0].options, out_dir=Path(out_dir))
    target = Path(out_dir) / options.folder_name
    zip_path = target.with_name(f"{target.name}.zip")
    check_output(target.parent, target, str, options.zip)
    created = not target.parent.exists()
    staging = make_staging(target.parent, target.name, str)
    try:
        own = _assemble(kits[OWN].load(), options, target, staging)
        outcomes = [_merge_kit(kits[name].load(), kit_options(options, name), target, staging, describe_failure)
                    for name in sorted(set(records[0].request["kits"]))]
        write_index(own, outcomes, staging / NETWORK_FOLDER)
        _keep_earlier_kits(target / NETWORK_FOLDER, staging / NETWORK_FOLDER,
                           {outcome.kit for outcome in outcomes})
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:  # nothing written: not even an empty folder
            with contextlib.suppress(OSError):
                target.parent.rmdir()
        raise
    own.zip_path = write_zip(target, zip_path) if options.zip else remove_stale_zip(zip_path)
    if on_own is not None:
        on_own(own)
    for outcome in outcomes:
        if on_kit is not None:
            on_kit(outcome)
    return NetworkBuild(own, outcomes, target / NETWORK_FOLDER / "index.html")


def _keep_earlier_kits(earlier: Path, folder: Path, in_network: set) -> None:
    """What the unsharded build keeps of an earlier pack's partners/: the pack of a kit not in this network (it
    left it), as it was; a kit of this network replaces its folder and its zip when it is built, and loses them
    when it fails (network.py: no old pack beside an index saying the kit was not built)."""
    if not earlier.is_dir() or earlier.is_symlink():
        return
    for entry in sorted(earlier.iterdir()):
        name = entry.name
        if name.startswith(".") or (folder / name).exists() or name.removesuffix(".zip") in in_network:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, folder / name, symlinks=True)
        else:
            shutil.copy2(entry, folder / name, follow_symlinks=False)


def _merge_kit(kit: _KitParts, options: PackOptions, target: Path, staging: Path, describe_failure) -> KitOutcome:
    failure = _verdict(kit, describe_failure)
    if failure:
        return KitOutcome(kit.kit, failure=failure)
    folder = staging / NETWORK_FOLDER / kit.kit
    try:
        pack = _assemble(kit, options, target / NETWORK_FOLDER / kit.kit, folder)
    except (UsageError, InputFileError):
        raise
    except Exception as err:  # noqa: BLE001 - as in the unsharded build, what stops a kit's pack is the kit's
        shutil.rmtree(folder, ignore_errors=True)
        return KitOutcome(kit.kit, failure=failure_lines(kit.kit, err, describe_failure))
    if options.zip:
        pack.zip_path = write_zip(folder, folder.with_name(f"{kit.kit}.zip"))
    return KitOutcome(kit.kit, pack=pack)
