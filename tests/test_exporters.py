"""Each exporter on a pack built by hand: exact formats, parsed back with csv, icalendar and ElementTree.

No rendering and no cards here (those are tested through whole builds in test_pack*.py): the posts are made
directly, so each case shows exactly what goes in and what must come out.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from generator.dates import Occurrence
from generator.errors import error, warning
from generator.pack.exporters import buffer, hootsuite, ics, posts_json, preview, reports
from generator.pack.model import Pack, PackOptions, PackPost
from generator.posts import Post
from generator.dates import parse_week
from generator.schedule import Slot

NEW_YORK = ZoneInfo("America/New_York")
REPO = Path(__file__).resolve().parent.parent
WEEK = parse_week("2026-W48")
ORANGE_DAY = Occurrence(date(2026, 11, 25), date(2026, 11, 25), "orange-day", "orange-day", "Orange Day")


def make_post(when: datetime, *, platform="x", language="en", message="solidarity", text="We stand with survivors.",
              parts=None, tags=(), link=None, problems=(), card_problems=(), card=True, observance=None,
              direction="ltr") -> PackPost:
    parts = tuple(parts) if parts else (text,)
    post = Post(campaign="orange-day", message=message, platform=platform, language=language, text=text,
                parts=parts, count=max(len(p) for p in parts), limit=280, tags=tuple(tags), link=link,
                fitting="thread" if len(parts) > 1 else "as-written", direction=direction,
                language_fallback=False, problems=tuple(problems), date=when.date())
    slot = Slot(when, "orange-day", platform, language, message, observance)
    files = (f"cards/orange-day-{message}-{language}-landscape.png",) if card else ()
    return PackPost(slot, post, files, f"Card: {text[:20]}", tuple(card_problems),
                    card_formats=("landscape",) if card else ())


def make_pack(posts, tmp_path, **options) -> Pack:
    return Pack(PackOptions(WEEK, **options), tmp_path / WEEK.label, list(posts), cards_total=len(posts))


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK)


def read_csv(path) -> list[list[str]]:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "CSV files are written without a byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# -- Buffer --------------------------------------------------------------------------------------------------------
def test_buffer_csv_has_the_header_and_one_file_per_platform_and_language(tmp_path):
    arabic = "نقف مع الناجيات. #OrangeTheWorld"
    pack = make_pack([
        make_post(at(23, 9, 30), text="We stand with survivors, always. #OrangeTheWorld", tags=("OrangeTheWorld",)),
        make_post(at(23, 9, 30), language="ar", text=arabic, direction="rtl"),
        make_post(at(24, 12, 0), platform="mastodon", text='She said "enough".\nA second line.'),
    ], tmp_path)
    buffer.write(pack, tmp_path)

    assert sorted(p.name for p in tmp_path.glob("buffer-*.csv")) == [
        "buffer-mastodon-en.csv", "buffer-x-ar.csv", "buffer-x-en.csv"]
    assert read_csv(tmp_path / "buffer-x-en.csv") == [
        ["Text", "Image URL", "Tags", "Posting Time"],
        ["We stand with survivors, always. #OrangeTheWorld", "cards/orange-day-solidarity-en-landscape.png",
         "orange-day", "2026-11-23 09:30"],
    ]
    assert read_csv(tmp_path / "buffer-x-ar.csv")[1][0] == arabic
    assert read_csv(tmp_path / "buffer-mastodon-en.csv")[1][0] == 'She said "enough".\nA second line.'
    assert (tmp_path / "buffer-x-en.csv").read_bytes().endswith(b"09:30\r\n")


def test_buffer_and_hootsuite_hold_a_thread_joined_in_one_row_never_split(tmp_path):
    """The bulk importers post rows, not threads: parts 5 minutes apart would go out as unrelated posts. The
    row holds the whole text (the pack flags the post, see test_pack_cli)."""
    pack = make_pack([make_post(at(25, 9, 30), text="One.\n\nTwo.", parts=("One. 1/2", "Two. 2/2"))], tmp_path)
    buffer.write(pack, tmp_path)
    hootsuite.write(pack, tmp_path)
    assert read_csv(tmp_path / "buffer-x-en.csv")[1:] == [
        ["One.\n\nTwo.", "cards/orange-day-solidarity-en-landscape.png", "orange-day", "2026-11-25 09:30"]]
    assert read_csv(tmp_path / "hootsuite-x-en.csv") == [["25/11/2026 09:30", "One.\n\nTwo.", ""]]


def test_buffer_image_urls_are_absolute_under_the_media_base_url(tmp_path):
    pack = make_pack([make_post(at(23, 9, 30)), make_post(at(24, 9, 30), card=False)], tmp_path,
                     media_base_url="https://example.org/packs/")
    buffer.write(pack, tmp_path)
    assert [row[1] for row in read_csv(tmp_path / "buffer-x-en.csv")[1:]] == [
        "https://example.org/packs/2026-W48/cards/orange-day-solidarity-en-landscape.png", ""]


# -- Hootsuite -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("given, expected", [
    (at(23, 9, 30), at(23, 9, 30)),
    (at(23, 9, 31), at(23, 9, 35)),
    (at(23, 9, 34), at(23, 9, 35)),
    (at(23, 23, 58), at(24, 0, 0)),
    (at(23, 9, 30) + timedelta(seconds=1), at(23, 9, 35)),
])
def test_hootsuite_times_round_up_to_five_minute_marks(given, expected):
    assert hootsuite.round_up_to_mark(given) == expected


@pytest.mark.parametrize("date_format, expected", [("DD/MM/YYYY", "23/11/2026 09:35"),
                                                   ("MM/DD/YYYY", "11/23/2026 09:35")])
def test_hootsuite_csv_has_no_header_and_date_message_link(tmp_path, date_format, expected):
    link = "https://example.org/orange?utm_source=x"
    pack = make_pack([
        make_post(at(23, 9, 32), text="Stand with survivors.", link=link),
        make_post(at(23, 9, 32), message="detection", text=f"Read more: {link}", link=link),
    ], tmp_path, hootsuite_date_format=date_format)
    hootsuite.write(pack, tmp_path)
    assert read_csv(tmp_path / "hootsuite-x-en.csv") == [
        [expected, "Stand with survivors.", link],
        [expected, f"Read more: {link}", ""],  # the text holds the link already: not added twice
    ]


def test_hootsuite_gives_instagram_rows_no_link(tmp_path):
    """Instagram captions leave their link out on purpose (links there are not clickable): none is added."""
    link = "https://example.org/orange"
    pack = make_pack([make_post(at(23, 13, 0), platform="instagram", text="Stand with survivors.", link=link)],
                     tmp_path)
    hootsuite.write(pack, tmp_path)
    assert read_csv(tmp_path / "hootsuite-instagram-en.csv") == [["23/11/2026 13:00", "Stand with survivors.", ""]]


def test_hootsuite_splits_files_past_350_rows(tmp_path):
    start = at(23, 0, 0)
    many = [make_post(start + timedelta(minutes=5 * n), message=f"m{n}", text=f"Post {n}") for n in range(351)]
    pack = make_pack(many + [make_post(start, platform="mastodon")], tmp_path)
    hootsuite.write(pack, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("hootsuite-*.csv")) == [
        "hootsuite-mastodon-en.csv", "hootsuite-x-en-1.csv", "hootsuite-x-en-2.csv"]
    first, second = read_csv(tmp_path / "hootsuite-x-en-1.csv"), read_csv(tmp_path / "hootsuite-x-en-2.csv")
    assert (len(first), len(second)) == (350, 1)
    assert second[0][1] == "Post 350"


# -- ICS -----------------------------------------------------------------------------------------------------------
def test_ics_has_one_event_per_day_and_account_listing_its_posts(tmp_path):
    posts = [make_post(at(25, 9, 30), observance=ORANGE_DAY, link="https://example.org/a"),
             make_post(at(25, 14, 0), message="detection", text="Second post of the day."),
             make_post(at(25, 9, 30), language="fr", text="Nous sommes là ; toujours, ensemble."),
             make_post(at(26, 12, 0), platform="mastodon", problems=(error("length.over", "too long", "w"),))]
    ics.write(make_pack(posts, tmp_path), tmp_path)
    calendar = icalendar.Calendar.from_ical((tmp_path / "schedule.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "x (en): 2 posts: orange-day / solidarity, orange-day / detection",
        "x (fr): 1 post: orange-day / solidarity",
        "mastodon (en): 1 post: orange-day / solidarity"]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (at(25, 9, 30), at(25, 14, 15)), (at(25, 9, 30), at(25, 9, 45)), (at(26, 12, 0), at(26, 12, 15))]
    assert events[0].decoded("dtstart").utcoffset() == timedelta(hours=-5)
    description = str(events[0]["description"])
    assert description.startswith("09:30 orange-day / solidarity\nWe stand with survivors.")
    assert "\n\n14:00 orange-day / detection\nSecond post of the day." in description
    assert str(events[1]["description"]).startswith("09:30 orange-day / solidarity\nNous sommes là ; toujours")
    assert "length.over" in str(events[2]["description"])
    assert len({str(e["uid"]) for e in events}) == 3
    # DTSTAMP from the inputs (the period's first day), never from the clock
    assert {e.decoded("dtstamp") for e in events} == {datetime(2026, 11, 23, tzinfo=timezone.utc)}
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_time_zones_come_out_in_one_order_whatever_the_process(tmp_path):
    """Three accounts in three zones: the same file under any string-hash seed (icalendar collects zones in a
    set, whose order changes from one process to the next)."""
    script = (
        "import sys; sys.path[:0] = ['tests', '.']\n"
        "from datetime import datetime\nfrom zoneinfo import ZoneInfo\nfrom pathlib import Path\n"
        "from test_exporters import make_post, make_pack\nfrom generator.pack.exporters import ics\n"
        "posts = [make_post(datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo(zone)), language=language)\n"
        "         for zone, language in (('Europe/Paris', 'fr'), ('America/New_York', 'en'), ('Asia/Tokyo', 'zh'))]\n"
        "sys.stdout.write(ics.to_ical(make_pack(posts, Path(sys.argv[1]))).decode())\n")
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                              check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(done.stdout)
    assert len(outputs) == 1
    zones = [line for line in outputs.pop().splitlines() if line.startswith("TZID:")]
    assert zones == ["TZID:America/New_York", "TZID:Asia/Tokyo", "TZID:Europe/Paris"]


def test_the_calendar_written_from_kept_texts_is_icalendars_own_export_byte_for_byte(tmp_path):
    """schedule.ics is put together from event and zone texts kept in the process (a `serve` rebuild folds only
    the events that changed): the same bytes as icalendar's export of the whole calendar, cold or warm."""
    posts = [make_post(at(25, 9, 30), observance=ORANGE_DAY, link="https://example.org/a"),
             make_post(at(25, 14, 0), message="detection", text="A long second post; " * 12,
                       problems=(error("length.over", "too long", "w"),), card_problems=(warning("c", "dim", "w"),)),
             make_post(datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Europe/Paris")), language="fr",
                       text="Nous sommes là ; toujours, ensemble.", card=False),
             make_post(datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")), language="zh", text="我们同在",
                       parts=("第一部分", "第二部分")),
             make_post(datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc), platform="mastodon")]
    pack = make_pack(posts, tmp_path)
    ics._event_text.cache_clear()
    ics._zone_text.cache_clear()
    exported = ics.calendar(pack).to_ical()
    assert ics.to_ical(pack) == exported  # nothing kept yet
    assert ics.to_ical(pack) == exported  # every text kept
    ics.write(pack, tmp_path)
    assert (tmp_path / "schedule.ics").read_bytes() == exported
    edited = make_pack([make_post(at(25, 9, 30), observance=ORANGE_DAY, text="Edited.")] + posts[1:], tmp_path)
    assert ics.to_ical(edited) == ics.calendar(edited).to_ical() != exported
    # One instant in two zones: equal datetimes, but each event names its own zone.
    london, utc = (make_pack([make_post(datetime(2026, 11, 27, 14, 0, tzinfo=ZoneInfo(zone)))], tmp_path)
                   for zone in ("Europe/London", "Etc/UTC"))
    assert london.posts[0].slot.when == utc.posts[0].slot.when
    assert ics.to_ical(london) == ics.calendar(london).to_ical()
    assert ics.to_ical(utc) == ics.calendar(utc).to_ical() != ics.to_ical(london)


def test_ics_uid_depends_on_the_day_and_account_not_on_the_posts():
    assert ics.uid(date(2026, 11, 25), "x", "en") == ics.uid(date(2026, 11, 25), "x", "en")
    assert ics.uid(date(2026, 11, 25), "x", "en") != ics.uid(date(2026, 11, 26), "x", "en")
    assert ics.uid(date(2026, 11, 25), "x", "en") != ics.uid(date(2026, 11, 25), "x", "fr")
    assert ics.uid(date(2026, 11, 25), "x", "en").endswith("@campaign-gen")


# -- posts.json and reports ----------------------------------------------------------------------------------------
def test_posts_json_holds_every_field(tmp_path):
    problem = warning("language.fallback", "no 'fr' text", "orange-day/solidarity/x/fr")
    pack = make_pack([make_post(at(25, 9, 30), language="fr", observance=ORANGE_DAY, tags=("OrangeDay",),
                                link="https://example.org", problems=(problem,))], tmp_path)
    posts_json.write(pack, tmp_path)
    data = json.loads((tmp_path / "posts.json").read_text(encoding="utf-8"))
    assert data["pack"] == {"label": "2026-W48", "start": "2026-11-23", "end": "2026-11-29"}
    assert data["posts"] == [{
        "campaign": "orange-day", "message": "solidarity", "platform": "x", "language": "fr",
        "account": {"platform": "x", "language": "fr", "handle": None},
        "local_time": "2026-11-25T09:30:00-05:00",
        "observance": {"id": "orange-day", "name": "Orange Day", "theme": None},
        "text": "We stand with survivors.", "parts": ["We stand with survivors."], "count": 24, "limit": 280,
        "tags": ["OrangeDay"], "link": "https://example.org",
        "card_files": ["cards/orange-day-solidarity-fr-landscape.png"], "card_formats": ["landscape"],
        "alt_text": "Card: We stand with surviv",
        "direction": "ltr", "language_fallback": False, "fitting": "as-written",
        "problems": [problem.as_dict()],
    }]


@pytest.mark.parametrize("strict, exit_code, failures", [(False, 1, 1), (True, 1, 2)])
def test_reports_count_problems_and_junit_has_one_case_per_post(tmp_path, strict, exit_code, failures):
    shared_card_problem = error("card.contrast", "contrast 2.1:1 below 4.5:1", "orange-day/solidarity/en/landscape")
    posts = [
        make_post(at(23, 9, 30)),
        make_post(at(24, 9, 30), problems=(warning("hashtag.case", "write #OrangeDay", "p2"),)),
        make_post(at(25, 9, 30), card_problems=(shared_card_problem,)),
        make_post(at(25, 9, 30), platform="mastodon", card_problems=(shared_card_problem,), card=False),
    ]
    pack = make_pack(posts, tmp_path, strict=strict)
    reports.write(pack, tmp_path)

    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    # The card problem is shared by two posts: it counts once, and the summary says on how many posts it stands,
    # which is what report.txt lists and junit.xml fails (without --strict).
    assert report["summary"] == {"posts": 4, "cards": 4, "errors": 1, "warnings": 1, "posts_with_errors": 2,
                                 "posts_with_warnings": 1, "strict": strict, "exit_code": exit_code}
    assert [p["status"] for p in report["posts"]] == ["ok", "error" if strict else "warning", "error", "error"]

    text = (tmp_path / "report.txt").read_text(encoding="utf-8").splitlines()
    assert text[0] == "Post pack 2026-W48 (2026-11-23 to 2026-11-29)"
    assert text[1] == ("2026-11-24T09:30:00-05:00 orange-day/solidarity/x/en/2026-11-24: warning: write #OrangeDay "
                       "[hashtag.case]")
    assert text[-1] == (f"4 posts, 4 cards: 1 error on 2 posts, 1 warning on 1 post"
                        f"{' (strict: warnings fail)' if strict else ''}; exit code {exit_code}")
    assert sum(line.endswith("[card.contrast]") for line in text) == 2  # listed on each of its 2 posts

    root = ET.parse(tmp_path / "junit.xml").getroot()
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 4
    assert (root.get("tests"), root.get("failures")) == ("4", str(failures + 1))
    if not strict:  # the failing cases are the posts with errors, as the summary says
        assert int(root.get("failures")) == report["summary"]["posts_with_errors"]
    assert cases[0].get("classname") == "orange-day.x.en"
    assert cases[0].get("name") == "2026-11-23T09:30:00-05:00 solidarity"
    assert cases[2].find("failure").get("type") == "card.contrast"
    if not strict:
        assert cases[1].find("failure") is None
        assert "hashtag.case" in cases[1].find("system-out").text


# -- the preview page ------------------------------------------------------------------------------------------------
def test_segments_highlight_linked_tags_and_links_only():
    """Tags and links as the post's platform links them: X does not link a tag of digits alone, Threads links
    one topic tag per post, and a link's trailing full stop is text."""
    text = "Act now #OrangeTheWorld #2026 https://example.org/a?b=1. Done #EndVAW"
    assert preview.segments(text, "x") == (
        ("text", "Act now "), ("tag", "#OrangeTheWorld"), ("text", " #2026 "),
        ("link", "https://example.org/a?b=1"), ("text", ". Done "), ("tag", "#EndVAW"),
    )
    assert preview.segments(text, "threads") == (
        ("text", "Act now "), ("tag", "#OrangeTheWorld"), ("text", " #2026 "),
        ("link", "https://example.org/a?b=1"), ("text", ". Done #EndVAW"),
    )


def test_preview_escapes_post_text_and_marks_rtl_and_problems(tmp_path):
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)> #OrangeDay'
    posts = [
        make_post(at(23, 9, 30), text=hostile, tags=("OrangeDay",),
                  problems=(error("length.over", "x: 291/280 (11 over)", "p"),)),
        make_post(at(25, 9, 30), language="ar", text="نقف مع الناجيات", direction="rtl", observance=ORANGE_DAY),
    ]
    page = preview.render(make_pack(posts, tmp_path))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; " in page
    assert '<span class="tag" dir="auto">#OrangeDay</span>' in page
    assert '<div class="text" dir="rtl" lang="ar">نقف مع الناجيات</div>' in page
    assert 'x: 291/280 (11 over) <code>length.over</code>' in page
    assert 'href="#post-orange-day-solidarity-x-en-2026-11-23"' in page  # the problem list links to the post
    assert '<span class="observance">Orange Day</span>' in page
    assert "http://" not in page.replace("http-equiv", "") and "https://" not in page  # nothing from the network
    assert page.count("<article ") == 2


def test_the_page_from_kept_post_markup_is_the_page_rendered_from_nothing(tmp_path):
    """Each post's markup is kept in the process (a `serve` rebuild renders only the posts that changed): the page
    is the same, byte for byte, as one rendered with nothing kept, before and after an edit."""
    posts = [make_post(at(23, 9, 30), text="We stand with survivors. #OrangeDay https://example.org/a",
                       tags=("OrangeDay",), problems=(error("length.over", "x: 291/280 (11 over)", "p"),)),
             make_post(at(24, 12, 0), platform="mastodon", parts=("First part.", "Second part."), card=False),
             make_post(at(25, 9, 30), language="ar", text="نقف مع الناجيات", direction="rtl", observance=ORANGE_DAY)]
    pack = make_pack(posts, tmp_path)
    preview._kept_posts.clear()
    cold = preview.render(pack)
    assert preview.render(pack) == cold
    edited = make_pack([make_post(at(23, 9, 30), text="We stand with every survivor.")] + posts[1:], tmp_path)
    warm = preview.render(edited)
    preview._kept_posts.clear()
    assert preview.render(edited) == warm != cold
    assert "We stand with every survivor." in warm and "We stand with survivors." not in warm
    assert warm.count("<article ") == 3
