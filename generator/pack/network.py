"""A network build: the workspace's own pack, then every partner kit's pack for the same period, each in
`<pack>/partners/<kit>/`, and one index page listing every kit with its counts, its problems and a link to its
preview.

Each kit is built in a worker process of its own under the kit limits (partners/isolation.py), one after the
other: a kit that cannot be built (a hostile file, a limit reached, a broken template) is reported on its line
and the others are built all the same. The exit code is the worst outcome: 2 when a kit (or the workspace's own
pack) could not be built, 1 when a pack has errors, else 0.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import jinja2

from generator.errors import EXIT_UNUSABLE, CampaignGenError
from generator.fields import IDENTIFIER
from generator.pack.build import build_pack, build_pack_for_kit
from generator.pack.model import Pack, PackOptions
from generator.pack.output import NETWORK_FOLDER, remove_abandoned_staging
from generator.workspace import Workspace, write_atomic

INDEX = "index.html"
SUMMARY = "network.json"
INDEX_TEMPLATE = "network.html"  # in generator/data


@dataclass(frozen=True)
class KitOutcome:
    """One kit of a network build: its pack, or the lines saying why it could not be built."""

    kit: str
    pack: Pack | None = None
    failure: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_UNUSABLE if self.pack is None else self.pack.exit_code


@dataclass
class NetworkBuild:
    own: Pack
    kits: list[KitOutcome]
    index: Path

    @property
    def exit_code(self) -> int:
        return max([self.own.exit_code, *(kit.exit_code for kit in self.kits)])


def build_network(workspace: Workspace, options: PackOptions, kits, describe_failure, progress=None,
                  on_own=None, on_kit=None) -> NetworkBuild:
    """Build the workspace's pack, then each kit's in `<pack>/partners/<kit>/`, and the index of them all.
    `describe_failure(error)` turns a kit's CampaignGenError into the lines to report; `on_own(pack)` and
    `on_kit(outcome)` are called as each pack is done, so a long build shows where it is."""
    own = build_pack(workspace, replace(options, partner=None), progress)
    if on_own is not None:
        on_own(own)
    outcomes = []
    for kit in sorted(set(kits)):
        try:
            outcome = KitOutcome(kit, pack=build_pack_for_kit(workspace, kit_options(options, kit)))
        except Exception as err:  # noqa: BLE001 - where kits run in-process (no fork), a kit's crash is its own
            outcome = KitOutcome(kit, failure=failure_lines(kit, err, describe_failure))
        outcomes.append(outcome)
        if outcome.pack is None and (own.folder / NETWORK_FOLDER).is_dir():
            remove_abandoned_staging(own.folder / NETWORK_FOLDER)  # a kit stopped at a limit leaves its own
            _remove_earlier_pack(own.folder / NETWORK_FOLDER, kit)
        if on_kit is not None:
            on_kit(outcome)
    return write_index(own, outcomes, own.folder / NETWORK_FOLDER)


def _remove_earlier_pack(network: Path, kit: str) -> None:
    """A kit that cannot be built this time has no pack in the network: the one an earlier build left would be
    published beside an index saying the kit was not built. Only a kit folder of the network is removed."""
    if not IDENTIFIER.match(kit):
        return
    for earlier in (network / kit, network / f"{kit}.zip"):
        if earlier.is_symlink() or earlier.is_file():
            earlier.unlink()
        elif earlier.is_dir():
            shutil.rmtree(earlier)


def kit_options(options: PackOptions, kit: str) -> PackOptions:
    """A kit's request in a network build: the network's, for the kit, into `<pack>/partners/<kit>/`."""
    return replace(options, partner=kit, folder=f"{replace(options, partner=None).folder_name}/{NETWORK_FOLDER}/{kit}")


def failure_lines(kit: str, err: Exception, describe_failure) -> tuple[str, ...]:
    """Why a kit could not be built, as its lines in the report, the index and network.json: a CampaignGenError
    in the words of `describe_failure(err)`, anything else as the kit's own failure, on one line."""
    if isinstance(err, CampaignGenError):
        return tuple(_shortened(line) for line in describe_failure(err))
    return (f"partners/{kit}: error: the kit's build failed: {_shortened(f'{type(err).__name__}: {err}')}",)


def write_index(own: Pack, outcomes: list[KitOutcome], folder: Path) -> NetworkBuild:
    """network.json and index.html in `folder` (the pack's partners/), each written whole or not at all."""
    folder.mkdir(exist_ok=True)
    network = NetworkBuild(own, outcomes, folder / INDEX)
    write_atomic(folder / SUMMARY, summary_json(network).encode("utf-8"))
    write_atomic(folder / INDEX, index_html(own, outcomes).encode("utf-8"))
    return network


# A kit writes the words of its own problems (a terminology entry's reason, a template's output): each is cut to
# this length, and a kit's listing to so many problems, so that no kit can fill the index, the summary or the
# memory of the process that builds them all.
MAX_PROBLEM_CHARS = 400
MAX_PROBLEMS_LISTED = 100


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_PROBLEM_CHARS else text[:MAX_PROBLEM_CHARS] + "…"


def _row(outcome: KitOutcome) -> dict:
    pack = outcome.pack
    if pack is None:
        return {"kit": outcome.kit, "built": False, "exit_code": outcome.exit_code, "failure": list(outcome.failure)}
    errors, warnings = pack.counts()
    return {"kit": outcome.kit, "built": True, "exit_code": outcome.exit_code, "posts": len(pack.posts),
            "cards": pack.cards_total, "errors": errors, "warnings": warnings,
            "languages": sorted({post.slot.language for post in pack.posts}),
            "problems": [_shortened(str(p)) for p in pack.problems[:MAX_PROBLEMS_LISTED]],
            "problems_not_listed": max(0, len(pack.problems) - MAX_PROBLEMS_LISTED),
            "preview": f"{outcome.kit}/index.html"}


def summary_json(network: NetworkBuild) -> str:
    """network.json: every kit's outcome, for CI; the same order and figures as the index page."""
    return json.dumps({"period": network.own.period.label, "kits": [_row(o) for o in network.kits],
                       "exit_code": network.exit_code},
                      ensure_ascii=False, indent=2) + "\n"


def index_html(own: Pack, outcomes: list[KitOutcome]) -> str:
    """The network's index page: kit names, languages and problems come from partner kits, which are hostile
    input, so everything is escaped (autoescape), and links only ever point at `<kit>/index.html` (a kit id is
    an identifier: lower-case letters, digits, hyphens)."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    rows = [_row(o) for o in outcomes]
    template = resources.files("generator").joinpath("data", INDEX_TEMPLATE).read_text(encoding="utf-8")
    return env.from_string(template).render(
        period=own.period.label, kits=rows, built=sum(r["built"] for r in rows),
        failed=sum(not r["built"] for r in rows))
