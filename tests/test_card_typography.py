"""Line breaking on cards, proved through `campaign-gen card --explain --json` on the cases of
tests/data/cards/typography.yaml in all six languages: balanced headlines, no lone word or character on a last
line, and no line starting with closing punctuation or ending with an opening one (CJK line-breaking rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from clirunner import run_cli

CASES = yaml.safe_load((Path(__file__).parent / "data" / "cards" / "typography.yaml").read_text(encoding="utf-8"))
CLOSING = tuple("。，、」』）！？：；")
OPENING = tuple("「『（")


def campaign_with(minimal_campaign_text: str, case: dict) -> str:
    """The minimal test campaign, in the case's language, with one message holding the case's texts."""
    text = minimal_campaign_text.replace("languages: [en, fr]", f"languages: [en, {case['language']}]"
                                         if case["language"] != "en" else "languages: [en]")
    languages = dict.fromkeys(["en", case["language"]])  # English is required; the case's language is drawn
    message = ("  - id: case\n    headline:\n"
               + "".join(f"      {lang}: {json.dumps(case['headline'], ensure_ascii=False)}\n" for lang in languages)
               + "    text:\n"
               + "".join(f"      {lang}: {json.dumps(case['text'], ensure_ascii=False)}\n" for lang in languages))
    return text.replace("messages:\n", "messages:\n" + message, 1)


def explain(make_workspace, minimal_campaign_text, case) -> dict:
    workspace = make_workspace({"minimal.yaml": campaign_with(minimal_campaign_text, case)})
    result = run_cli("--root", str(workspace.root), "card", "minimal", "--message", "case", "--lang",
                     case["language"], "--format", case["format"], "--explain", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    [explanation] = json.loads(result.stdout)
    return {layer["layer"]: layer for layer in explanation["layers"]}


def units(line: str, language: str) -> int:
    return len(line.replace(" ", "")) if language == "zh" else len(line.split())


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_line_breaking_rules(make_workspace, minimal_campaign_text, case):
    layers = explain(make_workspace, minimal_campaign_text, case)
    for layer_id, rules in case["expect"].items():
        lines, widths = layers[layer_id]["lines"], layers[layer_id]["widths"]
        if "lines" in rules:
            assert lines == rules["lines"]
        if rules.get("no_lone_last_line") and len(lines) > 1:
            assert units(lines[-1], case["language"]) >= 2, lines
        if "balanced" in rules and len(lines) > 1:
            assert min(widths) >= rules["balanced"] * max(widths), (lines, widths)
        if rules.get("kinsoku"):
            assert not [line for line in lines[1:] if line.startswith(CLOSING)], lines
            assert not [line for line in lines[:-1] if line.rstrip().endswith(OPENING)], lines


def test_explain_prints_each_layer_for_people(make_workspace, minimal_campaign_text):
    case = CASES["cases"][0]
    workspace = make_workspace({"minimal.yaml": campaign_with(minimal_campaign_text, case)})
    result = run_cli("--root", str(workspace.root), "card", "minimal", "--message", "case", "--lang", "zh",
                     "--format", "square", "--explain")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "minimal/case/zh/square/statement: square 1080x1080, layout statement, zh"
    assert any(line.startswith("  headline (headline): ") and line.endswith("balance, box 936x253 at 72,250")
               for line in lines)
    assert "    | 她们的故事，" in lines


@pytest.mark.parametrize("arguments, message", [
    ((), "Error: give -o FILE.png (the card to write), or --explain"),
    (("--json", "-o", "x.png"), "Error: --json goes with --explain"),
])
def test_card_needs_an_output_or_explain(make_workspace, minimal_campaign_text, arguments, message):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    result = run_cli("--root", str(workspace.root), "card", "minimal", "--message", "solidarity", *arguments)
    assert result.exit_code == 2 and message in result.stderr


def test_a_word_wider_than_its_box_is_hyphenated_where_the_language_allows():
    """Only a word that cannot fit even at the smallest size is cut, at the dictionary's points, with a hyphen at
    the end of the line; Chinese (no dictionary) is never cut this way, and short words never are."""
    from generator.cards.fonts import library
    from generator.cards.textfit import Overflow, TextStyle, fit_text

    fonts = library()
    style = TextStyle("bold", 40, 60, 4, 1.1, "ru", wrap="greedy")
    word = "человеконенавистнический"
    fitted = fit_text(fonts, fonts.assign(f"Это {word} текст", "ru").runs, style, 360, 400, "sans")
    assert not isinstance(fitted, Overflow), fitted
    lines = ["".join(run.text for run in line.runs) for line in fitted.lines]
    assert any(line.endswith("-") for line in lines), lines
    assert "".join(line.removesuffix("-") for line in lines).replace(" ", "") == f"Это{word}текст"
    assert all(line.width <= 360 for line in fitted.lines)
    short = fit_text(fonts, fonts.assign("Это короткий текст", "ru").runs, style, 360, 400, "sans")
    assert not any("".join(r.text for r in line.runs).endswith("-") for line in short.lines)


def test_explain_shows_a_layer_that_does_not_fit(make_workspace, minimal_campaign_text):
    case = {"language": "en", "headline": "Short", "text": "Words " * 400}
    workspace = make_workspace({"minimal.yaml": campaign_with(minimal_campaign_text, case)})
    result = run_cli("--root", str(workspace.root), "card", "minimal", "--message", "case", "--lang", "en",
                     "--format", "square", "--explain")
    assert result.exit_code == 1
    body = [line for line in result.stdout.splitlines() if line.startswith("  body (body): ")]
    assert body and "does not fit even at 24 px: needs" in body[0]
