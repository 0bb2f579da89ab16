"""`campaign-gen card`: exact output and exit codes, through generator.cli.main as the console script runs."""

from __future__ import annotations

from PIL import Image

from clirunner import run_cli
from conftest import REPO
from generator.cards.resolve import alt_text_verdicts


def test_card_command_writes_the_png_and_its_alt_text(repo_workspace, tmp_path):
    target = tmp_path / "card.png"
    result = run_cli("--root", str(repo_workspace.root), "card", "orange-day", "--message", "orange-the-world",
                     "--format", "portrait", "--lang", "fr", "-o", str(target))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"wrote {target.as_posix()} and card.alt.txt\n"
    assert Image.open(target).size == (1080, 1350)
    assert (tmp_path / "card.alt.txt").read_text(encoding="utf-8").strip()


def test_card_command_all_formats(repo_workspace, tmp_path):
    result = run_cli("--root", str(repo_workspace.root), "card", "orange-day", "--message", "orange-the-world",
                     "--format", "all", "--layout", "figure", "--jobs", "2", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        f"orange-day-orange-the-world-en-{f}-figure.png" for f in ("square", "portrait", "landscape", "linkedin", "story"))


def test_unknown_format_is_a_usage_error(repo_workspace, tmp_path):
    result = run_cli("--root", str(repo_workspace.root), "card", "orange-day", "--message", "orange-the-world",
                     "--format", "round", "-o", str(tmp_path / "card.png"))
    assert result.exit_code == 2
    assert result.stderr == ("error: unknown card format 'round'; known formats: square, portrait, landscape, "
                             "linkedin, story, all\n")


def test_broken_layout_is_one_line_with_file_and_line(make_workspace, tmp_path):
    workspace = make_workspace(copy_shipped_campaigns=True)
    (workspace.templates_dir / "cards" / "broken.yaml").write_text(
        "layers:\n  - type: background\n    colour: background\n  - type: sticker\n", encoding="utf-8")
    result = run_cli("--root", str(workspace.root), "card", "orange-day", "--message", "orange-the-world",
                     "--layout", "broken", "-o", str(tmp_path / "card.png"))
    assert result.exit_code == 2
    assert result.stderr == ("templates/cards/broken.yaml:4:11: layers[1].type: error: unknown value 'sticker'; "
                             "expected one of background, panel, shapes, scrim, image, logo, partner_logo, photo, headline, body, hashtags, source, "
                             "text\n")


def test_alt_text_over_a_platform_limit_is_an_error():
    from generator import platforms

    limit = platforms.get("x").alt_text_limit
    verdicts = alt_text_verdicts("a" * (limit + 3), ("x", "linkedin"), "orange-day/orange-the-world/en/square/statement")
    assert list(verdicts) == ["x"]  # LinkedIn allows 4,086 characters
    problem = verdicts["x"]
    assert problem.code == "card.alt-too-long" and problem.is_error
    assert problem.message == f"alt text is {limit + 3} characters; x allows {limit} (3 over)"
    assert alt_text_verdicts("a" * limit, ("x",), "card") == {}


def test_unknown_language_and_a_layout_path_are_usage_errors(repo_workspace, tmp_path):
    base = ("--root", str(repo_workspace.root), "card", "orange-day", "--message", "orange-the-world")
    result = run_cli(*base, "--lang", "x/../../escaped", "--format", "all", "-o", str(tmp_path / "cards"))
    assert (result.exit_code, result.stderr) == (
        2, "error: unknown language 'x/../../escaped'; campaign 'orange-day' is written in: en, fr, es, ar, ru, zh\n")
    result = run_cli(*base, "--layout", "../cards/statement", "-o", str(tmp_path / "card.png"))
    assert (result.exit_code, result.stderr) == (
        2, "error: unknown layout '../cards/statement'; give the name of a file in templates/cards/ without .yaml\n")
    assert not any(tmp_path.parent.rglob("escaped*"))


def test_an_output_folder_that_is_a_file_is_one_line_exit_2(repo_workspace, tmp_path):
    occupied = tmp_path / "cards"
    occupied.write_text("not a folder")
    result = run_cli("--root", str(repo_workspace.root), "card", "orange-day", "--message", "orange-the-world",
                     "--format", "all", "-o", str(occupied))
    assert (result.exit_code, result.stderr) == (2, f"{occupied}: error: File exists\n")
    assert occupied.read_text() == "not a folder"


def test_a_truncated_campaign_logo_is_named_with_the_campaign_line(tmp_path):
    import shutil

    for folder in ("campaigns", "facts", "assets"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    logo = tmp_path / "assets" / "logos" / "orange-day.png"
    logo.write_bytes(logo.read_bytes()[:300])
    result = run_cli("--root", str(tmp_path), "card", "orange-day", "--message", "orange-the-world",
                     "-o", str(tmp_path / "card.png"))
    line = next(number for number, text in enumerate(
        (tmp_path / "campaigns" / "orange-day.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("logo:"))
    assert (result.exit_code, result.stderr) == (
        2, f"campaigns/orange-day.yaml:{line}:9: error: assets/logos/orange-day.png: the image is corrupt or truncated\n")
