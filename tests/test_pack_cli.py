"""`campaign-gen build` as a person runs it: exact output, exit codes, and bad input refused with nothing written."""

from __future__ import annotations

import json
import os

import pytest

from generator import platforms
from generator.pack.build import build_pack
from generator.pack.model import PackOptions
from generator.dates import parse_week

from clirunner import run_cli
from packsupport import make_pack_workspace, pack_campaign_text

PAST_W48 = ("warning: 2026-W48 is in the past (it ended on 2026-11-29): its posting times have gone by, so do not "
            "upload its scheduler files\n")
LONG_SENTENCE = "We stand with every survivor of violence and with everyone who works to end it " * 5


def overlong_campaign_text() -> str:
    """A campaign for X only whose 'solidarity' message is one sentence too long for X, even as a thread."""
    text = pack_campaign_text().replace("id: minimal", "id: overlong", 1).replace("platforms: [x, mastodon]",
                                                                                  "platforms: [x]", 1)
    return text.replace("en: We stand with every survivor of violence.", f"en: {LONG_SENTENCE.strip()}", 1)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    workspace = make_pack_workspace(tmp_path_factory.mktemp("cli") / "workspace", {
        "minimal.yaml": pack_campaign_text(), "overlong.yaml": overlong_campaign_text()})
    # Draw every card once, so each test below sees the same cache state: nothing left to draw.
    build_pack(workspace, PackOptions(parse_week("2026-W48"), out_dir=tmp_path_factory.mktemp("warm"), jobs=2))
    return workspace


def build(workspace, *args):
    return run_cli("--root", str(workspace.root), "build", *args)


def summary_line(folder) -> str:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    posts = json.loads((folder / "posts.json").read_text(encoding="utf-8"))["posts"]
    s = data["summary"]
    days = len({p["local_time"][:10] for p in posts})
    def counted(n, noun):
        return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

    def on_posts(n, noun, posts):  # a problem shared by several posts counts once, and says on how many
        return counted(n, noun) + (f" on {counted(posts, 'post')}" if n and posts else "")

    return (f"{folder.name}: {counted(s['posts'], 'post')} on {counted(days, 'day')}, {counted(s['cards'], 'card')} "
            f"(0 drawn), {on_posts(s['errors'], 'error', s['posts_with_errors'])}, "
            f"{on_posts(s['warnings'], 'warning', s['posts_with_warnings'])}")


def test_a_clean_build_prints_where_the_pack_is_and_a_summary(workspace, tmp_path):
    result = build(workspace, "--week", "2026-W48", "--campaign", "minimal", "--lang", "en", "--out", str(tmp_path))
    folder = tmp_path / "2026-W48+minimal+en"  # a filtered build has a folder of its own
    # Not a terminal: no progress bar. 2026-W48 is over, which the build says on stderr.
    assert (result.exit_code, result.stderr) == (0, PAST_W48)
    cards = 2 * len({platforms.get(p).default_card_format for p in ("x", "mastodon")})  # two messages, one language
    assert result.stdout == (f"pack written to {folder}/ (open index.html to review it)\n"
                             f"2026-W48+minimal+en: 10 posts on 5 days, {cards} cards (0 drawn), 0 errors, "
                             "0 warnings\n")



def test_a_build_removes_the_staging_folders_of_killed_builds_and_keeps_a_running_ones(workspace, tmp_path):
    killed = tmp_path / ".2026-W47+minimal+en.999999999.k1ll3d00.building"  # no process ever has that id
    running = tmp_path / f".2026-W49+minimal.{os.getpid()}.run4ever.building"
    unrelated = tmp_path / ".notes.building"
    for folder in (killed, running, unrelated):
        (folder / "cards").mkdir(parents=True)
    result = build(workspace, "--week", "2026-W48", "--campaign", "minimal", "--lang", "en", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, unrelated.name, "2026-W48+minimal+en"])

def test_warnings_fail_only_with_strict(workspace, tmp_path):
    args = ("--week", "2026-W48", "--campaign", "minimal", "--out", str(tmp_path))
    relaxed = build(workspace, *args)
    folder = tmp_path / "2026-W48+minimal"
    expected = (f"pack written to {folder}/ (open index.html to review it)\n{summary_line(folder)}\n"
                f"problems listed in {folder}/report.txt\n")
    # 'detection' has no French text: its French posts fall back to English, one warning per platform (the
    # same problem on three days counts once).
    assert "0 errors, 2 warnings on 8 posts" in expected
    assert (relaxed.exit_code, relaxed.stdout) == (0, expected)
    strict = build(workspace, *args, "--strict")
    assert (strict.exit_code, strict.stdout) == (1, expected)
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["summary"]["exit_code"] == 1


def test_errors_exit_1_and_the_pack_is_still_written(workspace, tmp_path):
    result = build(workspace, "--week", "2026-W48", "--campaign", "overlong", "--out", str(tmp_path), "--zip")
    folder = tmp_path / "2026-W48+overlong"
    assert result.exit_code == 1
    assert result.stdout == (f"pack written to {folder}/ (open index.html to review it)\n"
                             f"zip written to {tmp_path / '2026-W48+overlong.zip'}\n{summary_line(folder)}\n"
                             f"problems listed in {folder}/report.txt\n")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    too_long = [p for p in report["posts"] if any(q["code"] == "length.over" for q in p["problems"])]
    assert too_long and all(p["id"].startswith("overlong/solidarity/x/en/") for p in too_long)
    assert f'id="post-{too_long[0]["id"].replace("/", "-")}"' in (folder / "index.html").read_text(encoding="utf-8")


def _bad_input_cases():
    return [
        (("--week", "2026-W54"), "'2026-W54' is not an ISO week: 2026 has weeks 1 to 53"),
        (("--week", "2026-48"), "'2026-48' is not an ISO week; expected the year, -W and the week number, such as "
                                "2026-W48"),
        (("--from", "2026-12-01", "--to", "2026-11-01"), "the date range ends (2026-11-01) before it starts (2026-12-01)"),
        (("--week", "2026-W48", "--from", "2026-11-23"), "give either --week or --from/--to, not both"),
        (("--from", "2026-11-23"), "--from needs --to too: give both days of the range"),
        (("--campaign", "nope"), "unknown campaign 'nope'; known campaigns: minimal, overlong"),
        (("--platform", "tiktok"), f"unknown platform 'tiktok'; known platforms: {', '.join(platforms.names())}"),
        (("--campaign", "minimal", "--lang", "de"),
         "unknown language 'de'; the chosen campaigns are written in: en, fr"),
        (("--partner", "nope"), "unknown partner 'nope'; known partners: none"),
    ]


@pytest.mark.parametrize("args, message", _bad_input_cases())
def test_bad_input_is_one_line_exit_2_and_nothing_written(workspace, tmp_path, args, message):
    out = tmp_path / "out"
    result = build(workspace, *args, "--out", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not out.exists()


def test_an_output_folder_that_is_a_file_is_refused(workspace, tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    result = build(workspace, "--week", "2026-W48", "--out", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"error: output folder '{out}' is a file, not a folder\n")
    inside = out / "deeper"
    result = build(workspace, "--week", "2026-W48", "--out", str(inside))
    assert result.stderr == f"error: output folder '{inside}' cannot be created: '{out}' is a file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and out.read_text(encoding="utf-8") == "not a folder"


def test_a_date_range_builds_into_a_folder_named_after_it(workspace, tmp_path):
    result = build(workspace, "--from", "2026-11-25", "--to", "2026-11-26", "--campaign", "minimal",
                   "--platform", "x", "--lang", "en", "--out", str(tmp_path))
    assert result.exit_code == 0
    folder = tmp_path / "2026-11-25_2026-11-26+minimal+en+x"
    posts = json.loads((folder / "posts.json").read_text(encoding="utf-8"))["posts"]
    assert [(p["local_time"], p["platform"], p["language"]) for p in posts] == [
        ("2026-11-25T10:00:00+01:00", "x", "en"), ("2026-11-26T10:00:00+01:00", "x", "en")]
    assert posts[0]["message"] == "solidarity" and posts[0]["observance"]["id"] == "orange-day"


def test_pack_files_get_the_permissions_of_ordinary_files(workspace, tmp_path):
    """Temporary files are private (0600); the pack put in their place must be readable like any file."""
    import os
    import stat

    previous = os.umask(0o022)
    try:
        result = build(workspace, "--week", "2026-W48", "--campaign", "minimal", "--lang", "en", "--out",
                       str(tmp_path), "--zip")
    finally:
        os.umask(previous)
    assert result.exit_code == 0
    folder = tmp_path / "2026-W48+minimal+en"
    modes = {stat.S_IMODE(path.stat().st_mode) for path in folder.rglob("*") if path.is_file()}
    assert modes == {0o644}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "2026-W48+minimal+en.zip").stat().st_mode) == 0o644


def test_a_shared_card_carries_only_each_platforms_own_alt_text_limit(tmp_path):
    """x and mastodon share the landscape card; alt text of 1200 characters is over x's 1000 only."""
    workspace = make_pack_workspace(tmp_path / "workspace", {"minimal.yaml": pack_campaign_text()})
    layout = workspace.root / "templates" / "cards" / "statement.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace(
        "layers:", "alt_text: \"{{ 'A card. ' * 150 }}\"\nlayers:", 1), encoding="utf-8")
    pack = build_pack(workspace, PackOptions(parse_week("2026-W48"), ("minimal",), ("x", "mastodon"), ("en",),
                                             out_dir=tmp_path / "out"))
    codes = {post.slot.platform: {p.code for p in post.problems} for post in pack.posts}
    assert "card.alt-too-long" in codes["x"]
    assert "card.alt-too-long" not in codes["mastodon"]
    messages = {p.message for post in pack.posts for p in post.problems if p.code == "card.alt-too-long"}
    assert messages == {"alt text is 1199 characters; x allows 1000 (199 over)"}


# -- scheduler files ready to import ---------------------------------------------------------------------------------
def test_without_a_media_base_url_the_pack_warns_that_the_scheduler_files_need_one(tmp_path):
    workspace = make_pack_workspace(tmp_path / "workspace", {"minimal.yaml": pack_campaign_text()})
    (workspace.root / "campaign-gen.yaml").unlink()
    result = build(workspace, "--week", "2026-W48", "--lang", "en", "--platform", "x", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0
    report = (tmp_path / "o" / "2026-W48+en+x" / "report.txt").read_text(encoding="utf-8")
    assert ("warning: the Buffer files name each card by its path inside the pack, which Buffer cannot fetch: give "
            "--media-base-url (or media_base_url in campaign-gen.yaml) with the address where the output folder is "
            "published [export.media-url]") in report
    again = build(workspace, "--week", "2026-W48", "--lang", "en", "--platform", "x", "--out", str(tmp_path / "o"),
                  "--media-base-url", "https://example.org/out")
    assert again.stdout.splitlines()[1].endswith("0 errors, 0 warnings")
    rows = (tmp_path / "o" / "2026-W48+en+x" / "buffer-x-en.csv").read_text(encoding="utf-8")
    assert "https://example.org/out/2026-W48+en+x/cards/minimal-" in rows


@pytest.mark.parametrize("url", ["http://example.org/out", "example.org"])
def test_a_media_base_url_must_be_https(workspace, tmp_path, url):
    result = build(workspace, "--week", "2026-W48", "--media-base-url", url, "--out", str(tmp_path / "o"))
    assert (result.exit_code, result.stderr) == (
        2, f"error: --media-base-url '{url}' is not an https address; expected e.g. https://example.org/packs\n")
    assert not (tmp_path / "o").exists()


def test_a_settings_file_with_a_bad_key_or_url_is_named_with_its_line(tmp_path):
    workspace = make_pack_workspace(tmp_path / "workspace", {"minimal.yaml": pack_campaign_text()})
    (workspace.root / "campaign-gen.yaml").write_text("media_base_url: ftp://example.org\n", encoding="utf-8")
    result = build(workspace, "--week", "2026-W48", "--out", str(tmp_path / "o"))
    assert (result.exit_code, result.stderr) == (
        2, "campaign-gen.yaml:1:17: media_base_url: error: 'ftp://example.org' is not an https link; expected "
           "https://...\n")


def test_a_thread_is_flagged_for_the_schedulers_which_cannot_import_one(tmp_path):
    two_sentences = ("We stand with every survivor of violence, in every country and every community, today. " * 3
                     + "And we will keep standing with them until violence against women ends everywhere, for good.")
    text = pack_campaign_text().replace("en: We stand with every survivor of violence.", f"en: {two_sentences}", 1)
    workspace = make_pack_workspace(tmp_path / "workspace", {"minimal.yaml": text})
    pack = build_pack(workspace, PackOptions(parse_week("2026-W48"), platforms=("x",), languages=("en",),
                                             out_dir=tmp_path / "out", jobs=1))
    threads = [p for p in pack.posts if p.post.is_thread]
    assert threads and all(p.post.fitting == "thread" for p in threads)
    flags = [q for p in threads for q in p.problems if q.code == "export.thread"]
    assert len(flags) == len(threads) and all(not q.is_error for q in flags)
    assert flags[0].message.startswith(f"x: a thread of {len(threads[0].post.parts)} parts; the Buffer and "
                                       "Hootsuite files hold it joined")
    rows = (pack.folder / "buffer-x-en.csv").read_text(encoding="utf-8")
    assert threads[0].post.text.replace("\n", "\r\n") in rows or threads[0].post.text in rows
