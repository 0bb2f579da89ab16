"""Card rendering speed and memory (a script, not a test: `.venv/bin/python benchmarks/cards.py`).

Renders a fixed set of cards (the shipped campaigns' messages x languages x formats x layouts, at least 200)
three ways, on one core so the figures compare:

  cold   render_cards with an empty cache: resolve, fit, check contrast, draw, encode, write PNG + alt text;
  warm   the same again with the cache filled (nothing changed): every card comes from the cache;
  floor  the same pixels drawn directly with Pillow: the plans (fonts, sizes, positions) computed beforehand,
         then only the Pillow calls, the PNG encoding (same settings) and the file write are timed.

Times are this process's CPU time (time.process_time), so other work on the machine does not skew the
ratios. Targets (issue 5): cold at most 1.3x the floor, warm at most 5% of cold. Then, in a subprocess, 2000 cards
are rendered with the default process pool and the peak resident memory of the parent and of the workers is
reported (target: under 300 MB). Fonts are loaded before timing: once per process, not per card.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from generator.cards.images import ImageCache  # noqa: E402
from generator.cards.draw import draw_plan, encode_png, plan_card  # noqa: E402
from generator.cards import CardRequest, render_cards  # noqa: E402
from generator.cards.resolve import Resolver  # noqa: E402
from generator.cards.fonts import FONT_DIR, FontLibrary, library  # noqa: E402
from generator.cards.layouts import available_layouts  # noqa: E402
from generator.platforms import card_formats
from generator.workspace import Workspace  # noqa: E402

WORKSPACE = Workspace(ROOT)


def campaigns():
    """The shipped campaigns when the campaign loader can read them, else the card tests' campaign."""
    try:
        from generator.campaign import load_campaigns

        found = list(load_campaigns(WORKSPACE))
        if found:
            return found
    except Exception as err:  # noqa: BLE001 - a benchmark still runs on the test campaign
        print(f"(shipped campaigns not loadable: {err}; using tests/data/cards/campaign.yaml)")
    from cardsupport import build_campaign

    return [build_campaign()]


def card_requests(count: int) -> list[CardRequest]:
    layouts = available_layouts(WORKSPACE.templates_dir)
    combos = []
    for campaign in campaigns():
        for message in campaign.messages:
            for language in campaign.languages:
                if language in message.text:
                    for fmt, layout in itertools.product(card_formats(), layouts):
                        combos.append((campaign, message.id, language, fmt, layout))
    requests = []
    for index, (campaign, message, language, fmt, layout) in enumerate(itertools.islice(itertools.cycle(combos), count)):
        requests.append(CardRequest(campaign, message, language, fmt, layout, platforms=(), workspace=WORKSPACE,
                                    name=f"card-{index:05d}"))
    return requests


def measure(count: int) -> None:
    requests = card_requests(count)
    library()  # fonts loaded once, as each pool worker does
    work = Path(tempfile.mkdtemp(prefix="cards-bench-"))
    try:
        cache = work / "cache"
        start = time.process_time()
        cold_results = render_cards(requests, work / "cold", jobs=1, cache_dir=cache)
        cold = time.process_time() - start
        failed = [r for r in cold_results if r.path is None]

        start = time.process_time()
        warm_results = render_cards(requests, work / "warm", jobs=1, cache_dir=cache)
        warm = time.process_time() - start
        assert all(r.cached for r in warm_results if r.path is not None)

        planner = FontLibrary(FONT_DIR)
        resolver = Resolver()
        plans = []
        for request in requests:
            spec = resolver.resolve(request).spec
            plan = plan_card(spec, planner)
            if plan.drawable:
                plans.append((plan.ops, (spec.card_format.width, spec.card_format.height), plan.smooth))
        drawer, images = FontLibrary(FONT_DIR), ImageCache()  # fresh: faces and images made inside the timing
        (work / "floor").mkdir()
        start = time.process_time()
        for index, (ops, size, smooth) in enumerate(plans):
            png = encode_png(draw_plan(ops, size, drawer, images), palette=not smooth)
            (work / "floor" / f"card-{index:05d}.png").write_bytes(png)
        floor = time.process_time() - start

        same = sum((work / "cold" / f"{r.name}.png").read_bytes() == (work / "floor" / f"card-{i:05d}.png").read_bytes()
                   for i, r in enumerate(r for r in cold_results if r.path is not None))
        n = len(requests)
        print(f"cards: {n} ({len(failed)} not drawn because of errors), one core")
        print(f"cold : {cold * 1000 / n:7.2f} ms/card")
        print(f"warm : {warm * 1000 / n:7.2f} ms/card  = {warm / cold:.1%} of cold (target <= 5%)")
        print(f"floor: {floor * 1000 / len(plans):7.2f} ms/card  cold/floor = "
              f"{(cold / n) / (floor / len(plans)):.2f}x (target <= 1.3x)")
        print(f"floor PNGs byte-identical to the renderer's: {same}/{len(plans)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def memory_child(count: int) -> None:
    requests = card_requests(count)
    with tempfile.TemporaryDirectory(prefix="cards-mem-") as folder:
        results = render_cards(requests, Path(folder) / "out", jobs=None, cache_dir=Path(folder) / "cache")
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"memory: {len(results)} cards with {os.cpu_count()} workers: peak RSS parent {parent:.0f} MB, "
          f"largest worker {workers:.0f} MB (target < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=240, help="cards in the timed set (at least 200)")
    parser.add_argument("--memory-cards", type=int, default=2000, help="cards in the memory run (0: skip)")
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    measure(max(200, args.cards))
    if args.memory_cards:
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--memory-child", str(args.memory_cards)], check=True)
        print(f"memory run took {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
