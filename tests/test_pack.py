"""Whole builds through the library: a known week field by field, the files parsed back, determinism, atomicity."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import icalendar
import pytest
import yaml

from generator import hashtags, platforms, posts
from generator.campaign import load_campaign
from generator.errors import OutputError
from generator.pack.exporters import hootsuite, ics
from generator.pack.build import build_pack
from generator.pack.model import PackOptions
from generator.dates import parse_week

from packsupport import DATA, MEDIA_BASE_URL, files_of, make_pack_workspace, pack_campaign_text

KNOWN_WEEK = yaml.safe_load((DATA / "pack" / "minimal-2026-W48.yaml").read_text(encoding="utf-8"))
WEEK = parse_week(KNOWN_WEEK["week"])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return make_pack_workspace(tmp_path_factory.mktemp("pack") / "workspace", {"minimal.yaml": pack_campaign_text()})


@pytest.fixture(scope="module")
def built(workspace, tmp_path_factory):
    """The known week, built once for the tests that only read it."""
    return build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path_factory.mktemp("out"), jobs=2))


def test_known_week_field_by_field(built, workspace):
    campaign = load_campaign(workspace, "minimal")
    data = json.loads((built.folder / "posts.json").read_text(encoding="utf-8"))
    expected_order = [(day, platform, language) for day in KNOWN_WEEK["days"]
                      for platform in KNOWN_WEEK["platforms"] for language in KNOWN_WEEK["languages"]]
    assert len(data["posts"]) == len(expected_order)
    for post, (day, platform, language) in zip(data["posts"], expected_order):
        message = campaign.message(day["message"])
        rules = platforms.get(platform)
        card = f"minimal-{message.id}-{language}-{rules.default_card_format}"
        assert (post["campaign"], post["message"], post["platform"], post["language"], post["local_time"]) == (
            "minimal", message.id, platform, language, day["local_time"])
        assert (post["observance"] or {}).get("id") == day.get("observance")
        assert message.text_in(language) in post["text"]
        assert post["parts"] == [post["text"]] or post["fitting"] == "thread"
        assert post["limit"] == rules.limit
        assert post["count"] == max(rules.count(part) for part in post["parts"]) <= rules.limit
        assert post["tags"] == hashtags.extract(post["text"], platform=platform)
        assert "OrangeDay" in post["tags"]
        assert post["link"] == message.link
        assert post["card_files"] == [f"cards/{card}.png"]
        assert (built.folder / "cards" / f"{card}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert post["alt_text"] == (built.folder / "cards" / f"{card}.alt.txt").read_text(encoding="utf-8").strip()
        assert post["alt_text"]
        assert post["direction"] == "ltr"
        fallback = not message.has_language(language)
        assert post["language_fallback"] is fallback
        assert ("language.fallback" in [p["code"] for p in post["problems"]]) is fallback
    assert data["posts"] == [post.as_dict() for post in built.posts]
    assert data["pack"] == {"label": "2026-W48", "start": "2026-11-23", "end": "2026-11-29"}


def test_pack_holds_every_file(built):
    formats = sorted({platforms.get(p).default_card_format for p in KNOWN_WEEK["platforms"]})
    cards = sorted(f"cards/minimal-{m}-{lang}-{f}.{ext}" for m in ("detection", "solidarity") for lang in ("en", "fr")
                   for f in formats for ext in ("png", "alt.txt"))
    channels = [f"{p}-{lang}" for p in KNOWN_WEEK["platforms"] for lang in KNOWN_WEEK["languages"]]
    assert sorted(files_of(built.folder)) == sorted(
        ["index.html", "posts.json", "report.json", "report.txt", "junit.xml", "schedule.ics", *cards]
        + [f"buffer-{c}.csv" for c in channels] + [f"hootsuite-{c}.csv" for c in channels]
        + [f"fonts/{name}" for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "ArabicLatinSans-Regular.ttf",
                                        "ArabicLatinSans-Bold.ttf", "NotoSansSC-Regular-subset.otf",
                                        "NotoSansSC-Bold-subset.otf")])
    assert [p.name for p in built.folder.parent.iterdir()] == ["2026-W48"]  # no temporary folder left behind


def test_scheduler_csv_files_parse_back_to_the_posts(built):
    posts = json.loads((built.folder / "posts.json").read_text(encoding="utf-8"))["posts"]
    for platform in KNOWN_WEEK["platforms"]:
        for language in KNOWN_WEEK["languages"]:
            mine = [p for p in posts if (p["platform"], p["language"]) == (platform, language)]
            text = (built.folder / f"buffer-{platform}-{language}.csv").read_text(encoding="utf-8")
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert rows[0] == ["Text", "Image URL", "Tags", "Posting Time"]
            # The workspace publishes out/ at MEDIA_BASE_URL: each card by its public address.
            assert rows[1:] == [[p["text"], f"{MEDIA_BASE_URL}/2026-W48/{p['card_files'][0]}", "minimal",
                                 p["local_time"][:16].replace("T", " ")] for p in mine]

            text = (built.folder / f"hootsuite-{platform}-{language}.csv").read_text(encoding="utf-8")
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert [row[1] for row in rows] == [p["text"] for p in mine]
            for row, post in zip(rows, mine):
                when = datetime.strptime(row[0], "%d/%m/%Y %H:%M")
                assert when.minute % hootsuite.MARK_MINUTES == 0
                assert when.isoformat()[:16] == post["local_time"][:16]  # 10:00 is on a mark already
                assert row[2] == ("" if not post["link"] or post["link"] in post["text"] else post["link"])


def test_calendar_parses_back_with_stable_uids(built):
    calendar = icalendar.Calendar.from_ical((built.folder / "schedule.ics").read_bytes())
    events = calendar.walk("VEVENT")
    # One event per day and account (platform and language), starting at its first post.
    days_and_accounts = sorted({(p.slot.day, p.post.platform, p.post.language) for p in built.posts})
    assert len(events) == len(days_and_accounts) == 5 * 2 * 2
    first_posts = {}
    for p in sorted(built.posts, key=lambda p: p.slot.when):
        first_posts.setdefault((p.slot.day, p.post.platform, p.post.language), p)
    assert [e.decoded("dtstart") for e in events] == [first_posts[key].slot.when for key in days_and_accounts]
    assert [str(e["uid"]) for e in events] == [ics.uid(*key) for key in days_and_accounts]
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert {e.decoded("dtstamp").isoformat() for e in events} == {"2026-11-23T00:00:00+00:00"}
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vienna"]


def test_two_builds_are_byte_identical_and_the_second_draws_nothing(built, workspace, tmp_path):
    again = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=2, zip=True))
    assert files_of(again.folder) == files_of(built.folder)
    assert (again.cards_total, again.cards_drawn) == (built.cards_total, 0)
    first_zip = again.zip_path.read_bytes()
    third = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1, zip=True))
    assert third.zip_path.read_bytes() == first_zip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W48", "2026-W48.zip"]


@pytest.mark.parametrize("failure", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_interrupted_build_leaves_the_previous_pack_untouched(workspace, tmp_path, monkeypatch, failure):
    first = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1))
    before = files_of(first.folder)

    def fail_half_way(pack, folder):  # after posts.json, the CSVs and cards are written into the staging folder
        assert (folder / "posts.json").is_file()
        raise failure

    monkeypatch.setattr(ics, "write", fail_half_way)
    with pytest.raises(type(failure)):
        build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, platforms=("x",), jobs=1))
    assert files_of(first.folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["2026-W48"]


def test_a_filtered_build_has_its_own_folder_and_never_replaces_the_full_pack(workspace, tmp_path):
    full = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1))
    before = files_of(full.folder)
    narrower = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, platforms=("x",), languages=("en",), jobs=1))
    assert narrower.folder == tmp_path / "2026-W48+en+x"
    assert sorted(p for p in files_of(narrower.folder) if p.endswith(".csv")) == [
        "buffer-x-en.csv", "hootsuite-x-en.csv"]
    assert {p.post.platform for p in narrower.posts} == {"x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W48", "2026-W48+en+x"]
    assert files_of(full.folder) == before


def test_a_zip_is_rebuilt_with_its_folder_or_removed(workspace, tmp_path):
    zip_path = tmp_path / "2026-W48.zip"
    zipped = build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1, zip=True))
    assert zipped.zip_path == zip_path and zip_path.is_file()
    build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1, strict=True))  # rebuilt, no --zip
    assert not zip_path.exists()
    build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1, zip=True))
    build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path, jobs=1))  # unchanged: reused, no --zip
    assert not zip_path.exists()


def test_an_output_folder_that_cannot_be_written_is_an_output_error(workspace, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("generator.pack.output.tempfile.mkdtemp", refuse)
    with pytest.raises(OutputError) as caught:
        build_pack(workspace, PackOptions(WEEK, out_dir=tmp_path / "out", jobs=1))
    assert str(caught.value) == f"output folder '{tmp_path / 'out'}' is not writable (Permission denied)"
    assert not (tmp_path / "out").exists()


def test_an_unchanged_rebuild_reuses_the_pack_until_an_input_or_the_pack_changes(workspace, tmp_path, monkeypatch):
    options = PackOptions(WEEK, out_dir=tmp_path, jobs=1)
    first = build_pack(workspace, options)
    before = files_of(first.folder)
    rendered = []
    original = posts.build_post
    monkeypatch.setattr(posts, "build_post", lambda *args, **kwargs: rendered.append(1) or original(*args, **kwargs))

    again = build_pack(workspace, options)
    assert rendered == []  # nothing rendered, drawn or written
    assert (again.posts, again.counts(), again.exit_code, again.cards_drawn) == (
        first.posts, first.counts(), first.exit_code, 0)
    assert files_of(again.folder) == before

    (first.folder / "index.html").write_text("edited by hand", encoding="utf-8")
    build_pack(workspace, options)
    assert files_of(first.folder) == before  # a pack touched since is written again whole ...
    assert rendered == []  # ... from the records of its posts: none of them changed

    rendered.clear()
    campaign_file = workspace.campaigns_dir / "minimal.yaml"
    original_text = campaign_file.read_text(encoding="utf-8")
    try:
        campaign_file.write_text(original_text.replace("every survivor", "each survivor"), encoding="utf-8")
        edited = build_pack(workspace, options)
    finally:
        campaign_file.write_text(original_text, encoding="utf-8")
    assert rendered and "each survivor" in (edited.folder / "posts.json").read_text(encoding="utf-8")
