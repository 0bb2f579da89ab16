"""What running a partner build in its own process costs (a script, not a test).

    .venv/bin/python benchmarks/kit_isolation.py [--week 2026-W50] [--runs 3]

Builds the shipped example kit's pack for one week on a temporary copy of the workspace, alternately in this
process (build_pack) and in a limited child process (build_pack_for_kit), into fresh output folders each time
with the card cache warm (so only rendering, checking and writing are timed, where the fork and the result's
trip back through a pipe weigh most). Prints the median wall time of each and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.dates import parse_week  # noqa: E402
from generator.pack.build import build_pack, build_pack_for_kit  # noqa: E402
from generator.pack.model import PackOptions  # noqa: E402
from generator.workspace import Workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="2026-W50")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="campaign-gen-isolation-") as temporary:
        root = Path(temporary) / "workspace"
        for name in ("campaigns", "facts", "templates", "assets", "partners"):
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, root / name)
        workspace = Workspace(root)
        timings = {"in this process": [], "in its own process": []}
        functions = {"in this process": build_pack, "in its own process": build_pack_for_kit}
        for run in range(args.runs + 1):  # the first run of each warms the card cache and is not counted
            for label, function in functions.items():
                options = PackOptions(parse_week(args.week), partner="example-ngo", jobs=2,
                                      out_dir=Path(temporary) / f"out-{label.replace(' ', '-')}-{run}")
                started = time.perf_counter()
                pack = function(workspace, options)
                if run:
                    timings[label].append(time.perf_counter() - started)
        medians = {label: statistics.median(values) for label, values in timings.items()}
        for label, value in medians.items():
            print(f"{label:<20} {value:6.2f} s (median of {args.runs}, {len(pack.posts)} posts)")
        print(f"isolation costs {medians['in its own process'] / medians['in this process']:.2f}x the "
              "in-process build")


if __name__ == "__main__":
    main()
