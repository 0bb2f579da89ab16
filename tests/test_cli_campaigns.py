"""`campaign-gen list` and `campaign-gen validate`: exact output and exit codes, workspace discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clirunner import run_cli

INVALID = Path(__file__).parent / "data" / "campaigns" / "invalid"


def no_content_checks(loaded, workspace):
    return []


@pytest.fixture
def workspace(make_workspace, minimal_campaign_text):
    return make_workspace({"minimal.yaml": minimal_campaign_text})


def test_list_shows_dates_and_themes(workspace):
    result = run_cli("--root", str(workspace.root), "list", "--from", "2023-07-01", "--weeks", "5")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "2023-07-25 Tue  minimal: Orange Day",
        "2023-07-30 Sun  minimal: World Day against Trafficking in Persons "
        "(theme 2023: Reach every victim of trafficking, leave no one behind)",
    ]


def test_list_shows_periods_with_both_ends(workspace):
    result = run_cli("--root", str(workspace.root), "list", "--from", "2026-11-23", "--weeks", "1")
    assert result.stdout.splitlines() == [
        "2026-11-25 Wed  minimal: Orange Day",
        "2026-11-25 Wed to 2026-12-10 Thu  minimal: 16 Days of Activism",
    ]


def test_list_with_a_bad_date(workspace):
    result = run_cli("--root", str(workspace.root), "list", "--from", "2026-13-01")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--from': '2026-13-01' is not a date; expected YYYY-MM-DD such as 2026-07-01"
    )


def test_workspace_from_environment_and_upward_search(workspace, tmp_path, monkeypatch):
    result = run_cli("list", "--from", "2026-07-20", "--weeks", "1", env={"CAMPAIGN_GEN_ROOT": str(workspace.root)})
    assert result.stdout.splitlines() == ["2026-07-25 Sat  minimal: Orange Day"]
    nested = workspace.root / "campaigns" / "deeper"
    nested.mkdir()
    monkeypatch.chdir(nested)
    result = run_cli("list", "--from", "2026-07-20", "--weeks", "1", env={"CAMPAIGN_GEN_ROOT": ""})
    assert result.stdout.splitlines() == ["2026-07-25 Sat  minimal: Orange Day"]


def test_no_workspace_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("list", env={"CAMPAIGN_GEN_ROOT": ""})
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no workspace found: neither '{tmp_path.resolve()}' nor any folder above it holds campaigns/; "
        "use --root DIR or set CAMPAIGN_GEN_ROOT\n"
    )
    result = run_cli("--root", str(tmp_path), "list")
    assert (result.exit_code, result.stderr) == (
        2, f"error: --root '{tmp_path}' is not a workspace: it has no campaigns/ folder\n")


def test_validate_unusable_file_exit_2(make_workspace, minimal_campaign_text, monkeypatch):
    monkeypatch.setattr("generator.validate.check_content", no_content_checks)
    broken = (INVALID / "bad-colour.yaml").read_text()
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text, "bad-colour.yaml": broken})
    result = run_cli("--root", str(workspace.root), "validate")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "campaigns/bad-colour.yaml:48:14: brand.colours.primary: error: 'orange' is not a colour; "
        "expected a hex colour such as '#F58220'",
        "bad-colour: unusable",
        "minimal: 2 messages, 3 observances: ok",
        "2 campaigns checked: 1 error, 0 warnings",
    ]


def test_validate_unknown_campaign(workspace):
    result = run_cli("--root", str(workspace.root), "validate", "orange")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: unknown campaign 'orange'; known campaigns: minimal\n"


def test_validate_warnings_fail_only_with_strict(make_workspace, minimal_campaign_text, monkeypatch):
    monkeypatch.setattr("generator.validate.check_content", no_content_checks)
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text.replace("monthly: 25", "monthly: 31")})
    warning = ("campaigns/minimal.yaml:12:14: observances[0].monthly: warning: day 31 skips February, April, June, "
               "September, November [campaign.skipped-months]")
    result = run_cli("--root", str(workspace.root), "validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == warning
    assert run_cli("--root", str(workspace.root), "validate", "--strict").exit_code == 1


def test_validate_json(make_workspace, minimal_campaign_text, monkeypatch):
    import json
    monkeypatch.setattr("generator.validate.check_content", no_content_checks)
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "campaigns": [{"id": "minimal", "usable": True, "input_errors": [], "messages": 2, "observances": 3,
                       "problems": []}],
        "errors": 0, "warnings": 0, "exit_code": 0,
    }


@pytest.mark.parametrize("command", ["", "list", "validate", "check", "render", "card", "build", "partner",
                                     "partner init", "partner list", "partner check"])
def test_help_has_an_example(command):
    result = run_cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("list", "--from", "0001-01-01"),
     "Error: Invalid value for '--from': 0001-01-01 is outside the years 1900 to 2100"),
    (("list", "--from", "2100-12-01", "--weeks", "10"),
     "error: the last of 10 weeks from 2100-12-01 (2101-02-08) is outside the years 1900 to 2100"),
    (("build", "--week", "9999-W52"), "error: the week 9999-W52 (9999-12-27) is outside the years 1900 to 2100"),
    (("render", "minimal", "--date", "9999-12-31"),
     "Error: Invalid value for '--date': 9999-12-31 is outside the years 1900 to 2100"),
    (("render", "minimal", "--date", "2026-07-25", "--lang", "de"),
     "error: unknown language 'de'; campaign 'minimal' is written in: en, fr"),
])
def test_dates_outside_the_planned_years_and_unknown_languages_are_usage_errors(workspace, args, message):
    result = run_cli("--root", str(workspace.root), *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


# -- the schedule over a year ----------------------------------------------------------------------------------------
def only_orange_day(text: str) -> str:
    """The minimal campaign posting on Orange Day alone (season: observances), with a third message."""
    start = text.index("  - id: world-day\n")
    text = text[:start] + text[text.index("hashtags:\n"):]
    text = text.replace("hashtags:\n", "season: observances\nhashtags:\n", 1)
    return text.replace("brand:\n", "  - id: unused\n    text:\n      en: Written, never scheduled.\nbrand:\n", 1)


def test_list_stats_shows_each_messages_share_and_the_ones_never_posted(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": only_orange_day(minimal_campaign_text)})
    result = run_cli("--root", str(workspace.root), "list", "--stats", "--from", "2026-03-01")
    assert (result.exit_code, result.stderr) == (0, "")
    # Twelve 25ths, each on 4 accounts (x and mastodon, in English and French), all featuring 'solidarity'.
    assert result.stdout.splitlines() == [
        "minimal: 48 posts in 2026 on 4 accounts",
        "  solidarity      48  100.0%",
        "  detection        0  never posted",
        "  unused           0  never posted",
    ]


def test_validate_warns_about_a_message_the_schedule_never_reaches(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": only_orange_day(minimal_campaign_text)})
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    problems = [p for p in json.loads(result.stdout)["campaigns"][0]["problems"]
                if p["code"] == "schedule.never-posted"]
    assert [(p["where"], p["severity"]) for p in problems] == [
        ("campaigns/minimal.yaml:33:9: messages[1].id", "warning"),
        ("campaigns/minimal.yaml:38:9: messages[2].id", "warning")]
    assert problems[0]["message"] == ("message 'detection' is never posted in 2024-2027: feature it on an "
                                      "observance, or widen the campaign's season (see `campaign-gen list --stats`)")


def test_an_unusable_file_reads_the_same_in_validate_and_build(make_workspace, minimal_campaign_text):
    """One error format in every command: `place: error: message`."""
    broken = (INVALID / "bad-colour.yaml").read_text()
    workspace = make_workspace({"bad-colour.yaml": broken})
    line = ("campaigns/bad-colour.yaml:48:14: brand.colours.primary: error: 'orange' is not a colour; expected a hex "
            "colour such as '#F58220'")
    validated = run_cli("--root", str(workspace.root), "validate")
    built = run_cli("--root", str(workspace.root), "build", "--week", "2026-W48")
    rendered = run_cli("--root", str(workspace.root), "render", "bad-colour")
    assert validated.stdout.splitlines()[0] == line
    assert (built.exit_code, built.stderr) == (2, line + "\n")
    assert (rendered.exit_code, rendered.stderr) == (2, line + "\n")
