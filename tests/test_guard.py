"""The guard pass over every published text (generator/guards/published.py): planted problems in every field and several
languages are caught at their own line, card layers and alt text at the layout's line, and a partner kit's
texts by `partner check`. Cases: tests/data/guard/planted.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from clirunner import run_cli

PLANTED = yaml.safe_load((Path(__file__).parent / "data" / "guard" / "planted.yaml").read_text(encoding="utf-8"))
GUARD_CODES = ("terms.avoid", "facts.unsourced", "facts.mismatch", "hashtag.banned", "link.insecure",
               "link.malformed")


def plant(text: str, field: str, language: str, value: str) -> str:
    """The minimal campaign in six languages, with `value` at messages[0].<field>.<language>."""
    text = text.replace("languages: [en, fr]", "languages: [en, fr, es, ar, ru, zh]", 1)
    entry = f"    {field}:\n      {language}: {json.dumps(value, ensure_ascii=False)}\n"
    return text.replace("  - id: solidarity\n", "  - id: solidarity\n" + entry, 1)


@pytest.mark.parametrize("case", PLANTED["cases"], ids=lambda c: f"{c['field']}-{c['language']}-{c['value'][:20]}")
def test_a_planted_problem_is_caught_at_its_own_place(make_workspace, minimal_campaign_text, case):
    workspace = make_workspace({"minimal.yaml": plant(minimal_campaign_text, case["field"], case["language"],
                                                       case["value"])})
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    problems = json.loads(result.stdout)["campaigns"][0]["problems"]
    key = f"messages[0].{case['field']}.{case['language']}"
    at_the_value = [p for p in problems if p["code"] in GUARD_CODES and p["where"].endswith(f": {key}")]
    assert [p["code"] for p in at_the_value] == case["expect"], problems
    assert all(p["where"].startswith("campaigns/minimal.yaml:39:") for p in at_the_value)  # the value's line
    assert result.exit_code == (1 if case["expect"] else 0)


def test_card_layers_and_alt_text_are_guarded_at_the_layouts_line(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    layout = workspace.templates_dir / "cards" / "statement.yaml"
    text = layout.read_text(encoding="utf-8").replace(
        "layers:", 'alt_text: "{{ headline }}. Help for child prostitutes."\nlayers:', 1)
    layout.write_text(text, encoding="utf-8")
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    problems = [p for p in json.loads(result.stdout)["campaigns"][0]["problems"] if p["code"] == "terms.avoid"]
    assert {p["where"] for p in problems} == {"templates/cards/statement.yaml: alt_text (minimal/solidarity/en)",
                                              "templates/cards/statement.yaml: alt_text (minimal/detection/en)"}
    assert result.exit_code == 1


def test_a_rendered_posts_problem_names_the_message_line_and_platform(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("en: We stand with every survivor of violence.",
                                         'en: "We stand with every survivor of violence. #sexworkers"', 1)
    workspace = make_workspace({"minimal.yaml": text})
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    wheres = {p["where"] for p in json.loads(result.stdout)["campaigns"][0]["problems"]
              if p["code"] == "hashtag.banned"}
    assert "campaigns/minimal.yaml:39:11: messages[0].text.en (x)" in wheres
    assert "campaigns/minimal.yaml:39:11: messages[0].text.en (mastodon)" in wheres


def test_swapped_and_spelled_out_figures_in_a_shipped_campaign_are_refused_at_their_line(make_workspace):
    workspace = make_workspace(copy_shipped_campaigns=True)
    path = workspace.root / "campaigns" / "orange-day.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      ru: Из каждых 10 выявленных жертв торговли людьми 5 — женщины и 2 — девочки.",
                        "      ru: Из каждых 10 выявленных жертв торговли людьми 2 — женщины и 5 — девочки.", 1)
    text = text.replace("      ar: من بين كل 10 ضحايا للاتجار يُكشف عنهم، 5 من النساء و 2 من الفتيات.",
                        "      ar: من بين كل عشر ضحايا للاتجار يُكشف عنهم، سبع من النساء.", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("--root", str(workspace.root), "validate", "orange-day", "--format", "json")
    problems = [(p["code"], p["where"], p["message"]) for p in json.loads(result.stdout)["campaigns"][0]["problems"]
                if p["code"].startswith("facts.") and ".short." in p["where"] and "(" not in p["where"]]
    line = {language: 1 + next(i for i, row in enumerate(text.splitlines())
                               if row.startswith(f"      {language}: Из каждых 10 выявленных жертв торговли людьми 2")
                               or row.startswith(f"      {language}: من بين كل عشر"))
            for language in ("ru", "ar")}
    assert [(code, where.split(": ")[0].split(":")[1], message) for code, where, message in problems] == [
        ("facts.mismatch", str(line["ar"]),
         "'7' matches no figure of the message's facts (five-women-two-girls: 10, 5, 2)"),
        ("facts.swapped", str(line["ru"]),
         "'2' is said of women here, but fact five-women-two-girls gives 5 for women and 2 for girls"),
        ("facts.swapped", str(line["ru"]),
         "'5' is said of girls here, but fact five-women-two-girls gives 5 for women and 2 for girls"),
    ]
    assert result.exit_code == 1


def test_a_rendered_posts_problem_names_the_field_that_holds_it(make_workspace, minimal_campaign_text):
    """A post is its text and its call to action (or short variant): a wording found in the post is placed at
    the field it comes from, not always at the text."""
    text = minimal_campaign_text.replace("platforms: [x, mastodon]", "platforms: [x, linkedin]").replace(
        "      fr: Nous sommes aux côtés de chaque survivante de violence.\n",
        "      fr: Nous sommes aux côtés de chaque survivante de violence.\n"
        "    call_to_action:\n      en: Say no to child prostitution.\n", 1)
    workspace = make_workspace({"minimal.yaml": text})
    result = run_cli("--root", str(workspace.root), "validate", "--format", "json")
    wheres = {p["where"] for p in json.loads(result.stdout)["campaigns"][0]["problems"] if p["code"] == "terms.avoid"}
    line = 1 + text.splitlines().index("      en: Say no to child prostitution.")
    # LinkedIn's post carries the call to action (X's does not)
    assert wheres == {f"campaigns/minimal.yaml:{line}:11: messages[0].call_to_action.en",
                      f"campaigns/minimal.yaml:{line}:11: messages[0].call_to_action.en (linkedin)"}
