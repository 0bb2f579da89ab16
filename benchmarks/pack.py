"""A whole year of weekly packs: cold, again with nothing changed, then after editing one message.

    .venv/bin/python benchmarks/pack.py [--year 2026] [--weeks 52] [--jobs N]

Works on a temporary copy of the repository's workspace (campaigns, templates, assets, partners), all
shipped campaigns, every platform and language. Prints the totals of each pass and per-card figures.

Targets: the rebuild with nothing changed takes under 5% of the cold build; the one-message edit redraws
only that message's cards. The cold year is also checked as an editorial calendar: no post off its
campaign's season, no message twice in one week on one account while the campaign has unused ones, no two
posts at the same minute on one account. The edit changes the English text of the first campaign's first message, so
only its English cards (one per card format) may be drawn again.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The code is measured from a snapshot of generator/ taken at start, so that edits made to the checkout while
# the benchmark runs (a pack's fingerprint includes the package's code) cannot turn the rebuilds into cold ones.
SNAPSHOT = Path(tempfile.mkdtemp(prefix="campaign-gen-bench-code-"))
shutil.copytree(ROOT / "generator", SNAPSHOT / "generator", ignore=shutil.ignore_patterns("__pycache__"))
sys.path.insert(0, str(SNAPSHOT))

from collections import Counter  # noqa: E402

from generator.campaign import campaign_files, load_campaign, load_campaigns  # noqa: E402
from generator.dates import in_season  # noqa: E402
from generator.pack.build import build_pack
from generator.pack.model import PackOptions  # noqa: E402
from generator.dates import parse_week  # noqa: E402
from generator.workspace import Workspace  # noqa: E402
from generator.yamlfile import load_yaml  # noqa: E402

EDIT_MARK = " (edited)"


def copy_workspace(target: Path) -> Workspace:
    for name in ("campaigns", "facts", "templates", "assets", "partners"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    return Workspace(target.resolve())


def edit_one_message(workspace: Workspace) -> tuple[str, str]:
    """Append a word to the first message's English text, in the YAML file itself; (campaign, message)."""
    path = campaign_files(workspace)[0]
    campaign = load_campaign(workspace, path.stem)
    message = campaign.messages[0]
    document = load_yaml(path, path.name)
    line = document.source.location(("messages", 0, "text", "en")).line
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first_words = " ".join(message.text["en"].split()[:3])
    for index in range(line - 1, len(lines)):
        if first_words in lines[index]:
            lines[index] = lines[index].replace(first_words, first_words + EDIT_MARK, 1)
            break
    else:
        raise SystemExit(f"could not find the text of {campaign.id}/{message.id} in {path}")
    path.write_text("".join(lines), encoding="utf-8")
    assert EDIT_MARK in load_campaign(workspace, path.stem).messages[0].text["en"]
    return campaign.id, message.id


def year_of_packs(workspace: Workspace, out: Path, year: int, weeks: int, jobs: int | None) -> dict:
    started = time.perf_counter()
    posts = cards = 0
    drawn: list[str] = []
    slots = []
    for week in range(1, weeks + 1):
        pack = build_pack(workspace, PackOptions(parse_week(f"{year}-W{week:02d}"), out_dir=out, jobs=jobs))
        posts += len(pack.posts)
        cards += pack.cards_total
        drawn.extend(pack.drawn_cards)
        slots.extend(post.slot for post in pack.posts)
    return {"seconds": time.perf_counter() - started, "posts": posts, "cards": cards, "drawn": drawn,
            "slots": slots}


def calendar_counts(workspace: Workspace, slots) -> dict:
    """The editorial calendar's faults in a year of packs (each should be 0)."""
    campaigns = {campaign.id: campaign for campaign in load_campaigns(workspace)}
    off_season = sum(not in_season(campaigns[s.campaign_id], s.day) for s in slots)
    weeks: dict = {}
    for s in slots:
        weeks.setdefault((s.campaign_id, s.account, s.day.isocalendar()[:2]), []).append(s.message_id)
    repeats = 0
    for (campaign_id, (platform, _), _), messages in weeks.items():
        counts = Counter(messages)
        eligible = {m.id for m in campaigns[campaign_id].messages if m.targets(platform) and not m.only_during}
        if max(counts.values()) > 1 and not eligible <= set(counts):
            repeats += 1
    same_minute = sum(n - 1 for n in Counter((s.account, s.when) for s in slots).values() if n > 1)
    return {"posts": len(slots), "off season": off_season, "weekly repeats with unused messages": repeats,
            "same-minute posts on one account": same_minute}


def report(name: str, result: dict, cold: dict | None = None) -> None:
    seconds, cards, drawn = result["seconds"], result["cards"], len(result["drawn"])
    share = f", {100 * seconds / cold['seconds']:.1f}% of cold" if cold else ""
    per_drawn = f", {1000 * seconds / drawn:.0f} ms per card drawn" if drawn else ""
    print(f"{name:<10} {seconds:8.1f} s{share}: {result['posts']} posts, {cards} cards in packs "
          f"({1000 * seconds / max(cards, 1):.1f} ms per card), {drawn} drawn{per_drawn}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="campaign-gen-bench-") as folder:
        workspace = copy_workspace(Path(folder) / "workspace")
        out = Path(folder) / "out"
        print(f"{args.weeks} weekly packs of {args.year}, every campaign, platform and language; "
              f"jobs={args.jobs or 'all cores'}")
        cold = year_of_packs(workspace, out, args.year, args.weeks, args.jobs)
        report("cold", cold)
        faults = calendar_counts(workspace, cold["slots"])
        print("calendar: " + ", ".join(f"{name} {count}" for name, count in faults.items()))
        unchanged = year_of_packs(workspace, out, args.year, args.weeks, args.jobs)
        report("unchanged", unchanged, cold)
        campaign_id, message_id = edit_one_message(workspace)
        edited = year_of_packs(workspace, out, args.year, args.weeks, args.jobs)
        report("one edit", edited, cold)

        ratio = unchanged["seconds"] / cold["seconds"]
        prefix = f"{campaign_id}-{message_id}-en-"
        strangers = sorted(name for name in edited["drawn"] if not name.startswith(prefix))
        print(f"unchanged rebuild: {100 * ratio:.1f}% of cold (target < 5%): {'met' if ratio < 0.05 else 'NOT met'}")
        redrawn = sorted(set(edited["drawn"]))
        print(f"after editing {campaign_id}/{message_id} (en): redrew {len(redrawn)} cards {redrawn[:6]}"
              f"{' ...' if len(redrawn) > 6 else ''}: "
              f"{'only that message' if not strangers else f'also {len(strangers)} others, e.g. {strangers[:3]}'}")
        if unchanged["drawn"]:
            print(f"the unchanged rebuild drew {len(unchanged['drawn'])} cards, e.g. {unchanged['drawn'][:3]} "
                  "(cards that failed to draw are not cached)")
        calendar_clean = not any(count for name, count in faults.items() if name != "posts")
        return 0 if ratio < 0.05 and not strangers and not unchanged["drawn"] and calendar_clean else 1


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(SNAPSHOT, ignore_errors=True)
    sys.exit(code)
