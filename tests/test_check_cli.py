"""`campaign-gen check`: exact output and exit codes, through generator.cli.main."""

from __future__ import annotations

import json

import pytest

from clirunner import run_cli


@pytest.fixture
def root(repo_workspace):
    return str(repo_workspace.root)


def test_check_text_on_two_platforms(root):
    result = run_cli("--root", root, "check", "--platform", "x", "--platform", "bluesky",
                     "Orange the World #OrangeDay #end-trafficking https://www.unwomen.org 🧡")
    assert result.stdout == (
        "x: 71/280 (209 left); tags: #OrangeDay #end\n"
        "  error: x: links only #end, not #end-trafficking [hashtag.unlinkable]\n"
        "bluesky: 70/300 (230 left); tags: #OrangeDay #end-trafficking\n"
    )
    assert result.exit_code == 1


def test_links_must_be_https_and_well_formed(root):
    result = run_cli("--root", root, "check", "--platform", "x", "see http://example.org/page and https://localhost/x")
    assert result.stdout == (
        "x: 51/280 (229 left); tags: none\n"
        "  error: 'http://example.org/page' is not secure: use https:// [link.insecure]\n"
        "  error: 'https://localhost/x' has no valid host name [link.malformed]\n"
    )
    assert result.exit_code == 1


def test_clean_text_exits_0(root):
    result = run_cli("--root", root, "check", "--platform", "mastodon", "Orange the World #OrangeDay")
    assert (result.exit_code, result.stdout) == (0, "mastodon: 27/500 (473 left); tags: #OrangeDay\n")


def test_warnings_alone_exit_0(root):
    result = run_cli("--root", root, "check", "--platform", "x", "#OrangeDay #UNiTE #EndVAW")
    assert result.stdout == ("x: 25/280 (255 left); tags: #OrangeDay #UNiTE #EndVAW\n"
                             "  warning: x: 3 hashtags, 2 at most recommended [hashtag.too-many-recommended]\n")
    assert result.exit_code == 0


def test_all_platforms_by_default(root):
    result = run_cli("--root", root, "check", "hi")
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "bluesky", "facebook", "instagram", "linkedin", "mastodon", "threads", "x"]
    assert result.exit_code == 0


def test_text_from_stdin_as_json(root):
    result = run_cli("--root", root, "check", "--json", "--platform", "x", "-", input="a" * 291 + "\n")
    assert json.loads(result.stdout) == {"platforms": [{
        "platform": "x", "count": 291, "limit": 280, "remaining": -11, "tags": [],
        "problems": [{"severity": "error", "code": "length.over", "message": "x: 291/280 (11 over)", "where": ""}],
    }]}
    assert result.exit_code == 1


def test_unknown_platform_exits_2(root):
    result = run_cli("--root", root, "check", "--platform", "tiktok", "hi")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("error: unknown platform 'tiktok' (known: bluesky, facebook, instagram, linkedin, "
                             "mastodon, threads, x)\n")


def test_invalid_utf8_on_stdin_exits_2(root):
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    with runner.isolation(input=b"ab\xff") as (out, err, _):
        with pytest.raises(SystemExit) as done:
            main(["--root", root, "check", "-"])
    assert done.value.code == 2
    assert err.getvalue().decode() == "<stdin>: error: not valid UTF-8 (byte 3)\n"


def test_campaign_hashtags(make_workspace):
    workspace = make_workspace(copy_shipped_campaigns=True)  # with the facts they share
    result = run_cli("--root", str(workspace.root), "check", "--campaign", "orange-day", "--platform", "x",
                     "Say no to violence #orangetheworld")
    assert result.stdout == (
        "x: 34/280 (246 left); tags: #orangetheworld\n"
        "  warning: x: write #OrangeTheWorld, not #orangetheworld (capitals let screen readers say the words)"
        " [hashtag.case]\n"
        "  error: x: required hashtag missing: #OrangeDay [hashtag.required-missing]\n"
    )
    assert result.exit_code == 1


def test_unknown_campaign_exits_2(root):
    result = run_cli("--root", root, "check", "--campaign", "no-such-campaign", "hi")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
