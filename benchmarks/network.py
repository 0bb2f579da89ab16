"""A partner network's week: N synthetic kits built at once, cold, unchanged, after a one-message edit, and as
4 shards merged (a script, not a test).

    .venv/bin/python benchmarks/network.py [--kits 20 100] [--week 2026-W50] [--jobs 2]

For each N, in a fresh process (so that peak memory is that N's alone), on a temporary copy of the repository's
workspace:

  kits       N kits made by `partner init` (generator.partners.scaffold.init_partner), then edited as a
             coordinator's script would: languages (one or two of the six), colours (one of four palettes that
             keep card text readable), a logo drawn for the kit, and a wording of its own to avoid;
  cold       `build --all-partners` with empty caches: the workspace's pack and every kit's;
  unchanged  the same again, nothing changed;
  edit       the same after changing the English text of one message (a new wording each run);
  shards     the same work as 4 shards (`build --all-partners --shard i/4`), one after another, then `merge`;
             the merged folder must be byte-identical to the unsharded build.

Cost is CPU seconds (this process and its children: the kits' processes and the card workers), per kit-week
(the workspace's own pack counts as one more kit), and wall seconds. Peak memory is the largest resident size
of this process and of any child. Targets (issue 15): unchanged at most 5% of cold, the edit at most 10% of
cold, the merge identical, peak memory flat in N.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
# Palettes whose text colours keep their contrast on every shipped layout (as example-ngo's does).
PALETTES = (
    {"primary": "#FFC94D", "secondary": "#3B1456", "background": "#FFFFFF", "text": "#1F1A24", "accent": "#6B2C8F"},
    {"primary": "#F58220", "secondary": "#4A1A6B", "background": "#F3ECF8", "text": "#2B0D40", "accent": "#3A1254"},
    {"primary": "#A8D4FF", "secondary": "#124C8C", "background": "#EAF2FB", "text": "#10243F", "accent": "#0B2E55"},
    {"primary": "#9BE3C4", "secondary": "#0E4D3A", "background": "#F2FAF6", "text": "#0F2A21", "accent": "#0B3A2C"},
)
EDITED_CAMPAIGN = "sixteen-days"
EDITED_WORDS = "organisations are on the front line"  # in the English text of fund-womens-movements (2026-W50)
SHARDS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kits", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--week", default="2026-W50")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one N in this process, print JSON
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.week, args.jobs)))
        return
    results = []
    for count in args.kits:
        print(f"N = {count} kits ...", flush=True)
        done = subprocess.run([sys.executable, __file__, "--one", str(count), "--week", args.week, "--jobs",
                               str(args.jobs)], check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results)


# -- one N, in its own process ---------------------------------------------------------------------------------
def measure(count: int, week: str, jobs: int) -> dict:
    # The code is a snapshot taken now: an edit to the checkout during the run must not turn rebuilds cold.
    snapshot = Path(tempfile.mkdtemp(prefix="campaign-gen-network-code-"))
    shutil.copytree(ROOT / "generator", snapshot / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(snapshot))
    work = Path(tempfile.mkdtemp(prefix="campaign-gen-network-"))
    try:
        workspace = work / "workspace"
        for name in ("campaigns", "facts", "templates", "assets"):
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, workspace / name)
        (workspace / "partners").mkdir()
        make_kits(workspace, count)
        out = work / "out"
        build = ["--root", str(workspace), "build", "--week", week, "--all-partners", "--jobs", str(jobs)]
        figures = {"kits": count}
        figures["cold"] = timed(build + ["--out", str(out)])
        figures["unchanged"] = timed(build + ["--out", str(out)])
        edit_message(workspace)
        figures["edit"] = timed(build + ["--out", str(out)])
        shard_dirs = [work / f"shard-{index}" for index in range(1, SHARDS + 1)]
        shard_cost = [timed(build + ["--shard", f"{index}/{SHARDS}", "--out", str(folder)])
                      for index, folder in enumerate(shard_dirs, start=1)]
        merged = work / "merged"
        merge_cost = timed(["merge", *map(str, shard_dirs), "--out", str(merged)])
        figures["shards"] = {"cpu": sum(c["cpu"] for c in shard_cost) + merge_cost["cpu"],
                             "wall": sum(c["wall"] for c in shard_cost) + merge_cost["wall"],
                             "codes": [c["code"] for c in shard_cost] + [merge_cost["code"]]}
        label = next(p.name for p in out.iterdir() if p.is_dir())
        figures["identical"] = same_tree(out / label, merged / label)
        figures["peak_mb"] = {"parent": rss_mb(resource.RUSAGE_SELF), "largest_child": rss_mb(resource.RUSAGE_CHILDREN)}
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(snapshot, ignore_errors=True)


def make_kits(workspace: Path, count: int) -> None:
    """`partner init` for each kit, then the scripted edits a coordinator would make to partner.yaml."""
    import yaml
    from PIL import Image, ImageDraw

    from generator.partners.scaffold import init_partner
    from generator.workspace import Workspace

    space = Workspace(workspace.resolve())
    for index in range(count):
        name = f"kit-{index:03d}"
        init_partner(space, name, ())
        folder = workspace / "partners" / name
        data = yaml.safe_load((folder / "partner.yaml").read_text(encoding="utf-8")) or {}
        first = LANGUAGES[index % len(LANGUAGES)]
        second = LANGUAGES[(index * 7 + 3) % len(LANGUAGES)]
        palette = PALETTES[index % len(PALETTES)]
        data.update({
            "name": f"Partner organisation {index}",
            "languages": [first] if index % 3 else list(dict.fromkeys([first, second])),
            "colours": palette,
            "logo": "logo.png",
            "hashtags": [f"Partner{index}"],
            "terminology": [{"avoid": [f"unfortunate women {index}"], "prefer": "women who faced violence",
                             "reason": "The kit's own wording rule, written by the benchmark.", "language": "en"}],
        })
        (folder / "partner.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
        logo = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
        ImageDraw.Draw(logo).ellipse((8, 8, 232, 232), fill=palette["accent"], outline=palette["primary"], width=16)
        logo.save(folder / "logo.png")


def edit_message(workspace: Path) -> None:
    """A new English wording of one message: every run of the benchmark edits to a text never built before."""
    path = workspace / "campaigns" / f"{EDITED_CAMPAIGN}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(EDITED_WORDS) == 1, f"'{EDITED_WORDS}' must appear once in {path.name}"
    stamp = "".join(chr(ord("a") + int(digit)) for digit in str(time.time_ns())[-8:])  # letters: a figure
    # in the text would need a source
    path.write_text(text.replace(EDITED_WORDS, f"{EDITED_WORDS} ({stamp})"), encoding="utf-8")


def timed(argv: list) -> dict:
    """Run the CLI in this process: its exit code, wall seconds and CPU seconds (this process and children)."""
    from generator.cli.base import main as cli_main

    before_self, before_children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli_main(argv)
        except SystemExit as stop:
            code = stop.code or 0
    wall = time.perf_counter() - start
    after_self, after_children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(after, field) - getattr(before, field)
              for before, after in ((before_self, after_self), (before_children, after_children))
              for field in ("ru_utime", "ru_stime"))
    return {"code": code, "wall": wall, "cpu": cpu}


def same_tree(first: Path, second: Path) -> bool:
    """Every file of both folders present in both, with the same bytes."""
    def files(folder: Path) -> set:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    names = files(first)
    if names != files(second):
        return False
    return all(filecmp.cmp(first / name, second / name, shallow=False) for name in names)


def rss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kilobytes


# -- the table -------------------------------------------------------------------------------------------------
def report(results: list) -> None:
    print(f"\nCPU seconds (this process and its children) and wall seconds, on {os.cpu_count()} cores")
    print(f"{'N':>4} {'pass':<10} {'code':>4} {'CPU s':>8} {'per kit-week':>12} {'wall s':>8} {'ratio':>8}  target")
    for figures in results:
        weeks = figures["kits"] + 1  # the workspace's own pack is a kit-week too
        cold = figures["cold"]["cpu"]
        rows = [("cold", figures["cold"], "", ""), ("unchanged", figures["unchanged"], "<= 5%", 0.05),
                ("edit", figures["edit"], "<= 10%", 0.10)]
        for name, cost, target, limit in rows:
            ratio = f"{cost['cpu'] / cold:.1%}" if name != "cold" else ""
            met = "" if not target else ("met" if cost["cpu"] <= limit * cold else "NOT met")
            print(f"{figures['kits']:>4} {name:<10} {cost['code']:>4} {cost['cpu']:>8.1f} {cost['cpu'] / weeks:>12.2f} "
                  f"{cost['wall']:>8.1f} {ratio:>8}  {target} {met}")
        shards = figures["shards"]
        print(f"{figures['kits']:>4} {'4 shards':<10} {max(shards['codes']):>4} {shards['cpu']:>8.1f} "
              f"{shards['cpu'] / weeks:>12.2f} {shards['wall']:>8.1f} {shards['cpu'] / cold:>8.1%}  "
              f"merged = unsharded: {'yes' if figures['identical'] else 'NO'}")
        peak = figures["peak_mb"]
        print(f"{figures['kits']:>4} peak memory: this process {peak['parent']:.0f} MB, largest child "
              f"{peak['largest_child']:.0f} MB")
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = max(large["peak_mb"].values()) / max(small["peak_mb"].values())
        print(f"peak memory at N={large['kits']} is {growth:.2f}x that at N={small['kits']} (target: flat)")


if __name__ == "__main__":
    main()
