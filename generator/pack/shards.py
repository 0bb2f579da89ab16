"""A sharded network build: `build --all-partners --shard I/N` builds shard I of N of the work, for a CI matrix
to run side by side; `merge` (merge.py) puts the shards together, byte for byte the unsharded build.

The split. The work of a network build is a list of units, one per (kit, campaign, language): the workspace's own
pack is the kit "" and every kit of the network is crossed with every campaign and language of the build (its
--campaign and --lang, else every campaign and every language they are written in; a unit a kit does not publish
in is simply empty). A unit goes to shard `1 + int(sha256("kit\\x1fcampaign\\x1flanguage")[:8 bytes]) % N`: the
same unit always lands on the same shard for the same N, on any machine, whatever else the network holds, so a
runner's card cache (.cache/cards) keeps serving the same kits week after week. Every shard works the same
list out from the same checkout; none needs to hear from another.

A shard builds, for each kit it has units of, one part (parts.py) in the kit's own process under the kit limits,
as `build` does, and writes into its folder (--out, default out/<pack>.shard-I-of-N/), in one swap:

    shard.json      the shard's record: the format; which shard it is (I/N); the digest of campaign-gen's code and
                    libraries; the request (period, filters, strictness, options that shape the files, the kits);
                    the digest and size of the whole split; and each part: its kit, its (campaign, language) pairs,
                    its folder, and, when it failed, how far it got and the lines that say why
    parts/NNNN/     each part's part.json and cards/

A kit that cannot be built is recorded and does not stop the others; the workspace's own pack failing stops the
shard (exit 2), as it stops the unsharded build. A shard's exit code says whether it wrote its part: whether the
week is clean is for merge to say, with the unsharded build's exit code.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.campaign import load_campaigns_with_warnings
from generator.errors import OutputError, UsageError
from generator.pack import build, cache
from generator.pack.model import PackOptions
from generator.pack.network import failure_lines, kit_options
from generator.pack.output import check_output, make_staging, swap_into_place
from generator.pack.parts import build_part, rank_of
from generator.pack.plan import check_request, refuse_output_among_kits
from generator.pack.settings import load_settings
from generator.partners.isolation import run_for_kit
from generator.workspace import Workspace, write_atomic

RECORD = "shard.json"
FORMAT = 1
PARTS = "parts"
OWN = ""  # the workspace's own pack, as a kit of the split
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*\Z")
MAX_SHARDS = 1000


@dataclass(frozen=True)
class Shard:
    index: int  # 1 to count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """`--shard I/N`: shard I (from 1) of N; UsageError in one line otherwise."""
    match = _SHARD.match(text or "")
    if not match:
        raise UsageError(f"--shard '{text}': expected I/N, shard I of N, such as 2/4")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise UsageError(f"--shard '{text}': N must be from 1 to {MAX_SHARDS}")
    if not 1 <= index <= count:
        raise UsageError(f"--shard '{text}': I counts the shards from 1 to N (here 1 to {count})")
    return Shard(index, count)


def shard_of(unit: tuple[str, str, str], count: int) -> int:
    """The shard (1 to `count`) a (kit, campaign, language) unit belongs to: a stable hash of the unit."""
    digest = hashlib.sha256("\x1f".join(unit).encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def units_of(campaign_ids, languages, kits) -> list[tuple[str, str, str]]:
    """Every unit of the split, sorted: the workspace's own pack ("") first, then the kits."""
    return [(kit, campaign, language) for kit in [OWN, *sorted(set(kits))]
            for campaign in sorted(set(campaign_ids)) for language in sorted(set(languages))]


def split_digest(units) -> str:
    return hashlib.sha256(json.dumps(units, ensure_ascii=False).encode("utf-8")).hexdigest()


def request_of(options: PackOptions, kits) -> dict:
    """What every shard of one build must agree on (merge rebuilds the packs' options from it)."""
    period = options.period
    return {"period": [period.start.isoformat(), period.end.isoformat(), period.label],
            "campaigns": sorted(set(options.campaign_ids)), "platforms": list(options.platforms),
            "languages": list(options.languages), "kits": sorted(set(kits)), "strict": options.strict,
            "zip": options.zip, "hootsuite_date_format": options.hootsuite_date_format,
            "media_base_url": options.media_base_url}


@dataclass
class PartOutcome:
    """One part of a shard: a kit's (campaign, language) pairs; the summary of what was built, or why not."""

    kit: str
    pairs: list
    folder: str  # inside the shard folder, e.g. parts/0003
    built: dict | None = None  # {"posts", "cards", "drawn"}
    failure: tuple[str, ...] = ()
    rank: tuple[int, int] = (0, 0)


@dataclass
class ShardBuild:
    shard: Shard
    folder: Path
    label: str
    units: int
    parts: list[PartOutcome] = field(default_factory=list)

    @property
    def share(self) -> int:
        """How many units of the split this shard had."""
        return sum(len(part.pairs) for part in self.parts)


def build_shard(workspace: Workspace, options: PackOptions, kits, shard: Shard, describe_failure,
                out_dir: Path | None = None, on_part=None) -> ShardBuild:
    """Build shard `shard` of the network build of `options` over `kits` into `out_dir` (default
    out/<pack>.shard-I-of-N/), swapped into place whole. `describe_failure(error)` gives a kit's failure lines;
    `on_part(outcome)` is called as each part is done."""
    if OWN in kits:  # the workspace's own pack is the kit "" of the split
        raise UsageError("'' is not a partner name; use lower-case letters, digits and hyphens (e.g. my-ngo)")
    settings = load_settings(workspace)
    options = replace(options, partner=None, media_base_url=options.media_base_url or settings.media_base_url)
    label = options.folder_name
    target = (Path(out_dir) if out_dir is not None
              else workspace.default_out / f"{label}.shard-{shard.index}-of-{shard.count}")
    shown = str if out_dir is not None else workspace.display
    check_output(target.parent, target, shown, False)
    refuse_output_among_kits(workspace, target, shown)
    _refuse_foreign_folder(target, shown)
    # The request's errors once, before any work, in the words of the unsharded build.
    campaigns = [item.campaign for item in load_campaigns_with_warnings(workspace, options.campaign_ids)]
    check_request(campaigns, options)
    languages = options.languages or sorted({language for campaign in campaigns for language in campaign.languages})
    units = units_of([campaign.id for campaign in campaigns], languages, kits)
    mine: dict[str, list] = {}
    for unit in units:
        if shard_of(unit, shard.count) == shard.index:
            mine.setdefault(unit[0], []).append(list(unit[1:]))

    result = ShardBuild(shard, target, label, len(units))
    staging = make_staging(target.parent, target.name, shown)
    try:
        limits = settings.kit_limits
        for number, (kit, pairs) in enumerate(mine.items()):
            outcome = PartOutcome(kit, pairs, f"{PARTS}/{number:04d}")
            folder = staging / outcome.folder
            folder.mkdir(parents=True)
            if kit == OWN:  # as in the unsharded build, the workspace's own pack failing stops everything
                outcome.built = build_part(workspace, options, pairs, folder)
            else:
                try:
                    outcome.built = run_for_kit(kit, limits, build_part, workspace, kit_options(options, kit),
                                                pairs, folder)
                except Exception as err:  # noqa: BLE001 - a kit's failure is its own, recorded for merge
                    outcome.failure, outcome.rank = failure_lines(kit, err, describe_failure), rank_of(err)
                    shutil.rmtree(folder / build.CARDS_FOLDER, ignore_errors=True)
            result.parts.append(outcome)
            if on_part is not None:
                on_part(outcome)
        write_atomic(staging / RECORD, record_json(result, options, kits, units))
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _refuse_foreign_folder(target: Path, shown) -> None:
    """A shard replaces its folder whole: only an empty folder or an earlier shard's may be replaced."""
    if target.is_dir() and any(target.iterdir()) and not (target / RECORD).is_file():
        raise OutputError(f"output folder '{shown(target)}' holds files that are not a shard's; give --shard an "
                          "empty or new --out folder")


def record_json(result: ShardBuild, options: PackOptions, kits, units) -> bytes:
    record = {
        "format": FORMAT, "shard": str(result.shard), "code": cache.code_digest(), "label": result.label,
        "request": request_of(options, kits), "split": {"units": len(units), "digest": split_digest(units)},
        "parts": [{"kit": part.kit, "pairs": part.pairs, "folder": part.folder,
                   "failure": None if part.built is not None else {"rank": list(part.rank),
                                                                   "lines": list(part.failure)}}
                  for part in result.parts],
    }
    return (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
