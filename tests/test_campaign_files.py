"""Campaign files: each invalid file under tests/data/campaigns/invalid/ must produce exactly the error lines
in its .expected file, and the valid one must load with the values it states."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.campaign import load_campaign, load_campaign_with_warnings
from generator.errors import CampaignGenError, InvalidInput, UsageError

INVALID = Path(__file__).parent / "data" / "campaigns" / "invalid"
CASES = sorted(path.stem for path in INVALID.glob("*.yaml"))


def error_lines(err: CampaignGenError) -> list[str]:
    return str(err).splitlines()


@pytest.mark.parametrize("name", CASES)
def test_invalid_campaign_reports_exact_error(make_workspace, name):
    source = INVALID / f"{name}.yaml"
    workspace = make_workspace({f"{name}.yaml": source.read_bytes()})
    expected = (INVALID / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(CampaignGenError) as caught:
        load_campaign(workspace, name)
    assert error_lines(caught.value) == expected


def test_minimal_campaign_loads(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    loaded = load_campaign_with_warnings(workspace, "minimal")
    campaign = loaded.campaign
    assert loaded.warnings == ()
    assert campaign.id == "minimal"
    assert campaign.languages == ("en", "fr")
    assert campaign.platforms == ("x", "mastodon")
    assert [o.kind for o in campaign.observances] == ["monthly", "date", "range"]
    assert campaign.observance("world-day").themes == {
        2023: {"en": "Reach every victim of trafficking, leave no one behind"}}  # given once: the English text
    assert campaign.observance("world-day").theme(2023, "fr") == "Reach every victim of trafficking, leave no one behind"
    assert campaign.observance("sixteen-days").start == (11, 25)
    assert campaign.observance("sixteen-days").end == (12, 10)
    assert campaign.hashtags.required == ("OrangeDay",)
    assert campaign.facts["detection-fell"].figures == ("-11%", "2020")
    assert campaign.facts["detection-fell"].source.citation() == (
        "UNODC, Global Report on Trafficking in Persons 2022 (2023)"
    )
    assert campaign.message("detection").facts == ("detection-fell",)
    assert campaign.brand.colours == {"primary": "#F58220", "background": "#FFFFFF", "text": "#1A1A1A",
                                      "secondary": "#1A1A1A", "accent": "#F58220"}
    assert campaign.brand.logo_path == workspace.root / "assets" / "logos" / "test.png"
    assert campaign.schedule.time_for("x") == "10:00"


def test_unknown_key_is_a_warning_with_a_suggestion(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("summary:", "sumary:")
    workspace = make_workspace({"minimal.yaml": text})
    with pytest.raises(InvalidInput) as caught:  # summary is required: one error, on the misspelt key's own line
        load_campaign(workspace, "minimal")
    assert error_lines(caught.value) == [
        "campaigns/minimal.yaml:4:1: sumary: unknown key 'sumary'; did you mean 'summary'? ('summary' is required)"]
    text = minimal_campaign_text.replace("timezone:", "langauges: [fr]\ncolour: blue\ntimezone:")
    workspace = make_workspace({"minimal.yaml": text})
    warnings = load_campaign_with_warnings(workspace, "minimal").warnings
    assert [str(w) for w in warnings] == [
        "campaigns/minimal.yaml:6:1: langauges: warning: unknown key 'langauges'; did you mean 'languages'? "
        "[campaign.unknown-key]",
        "campaigns/minimal.yaml:7:1: colour: warning: unknown key 'colour'; known keys: id, name, organisers, "
        "summary, url, timezone, languages, platforms, observances, season, hashtags, facts, messages, brand, "
        "schedule, utm, terminology, referral [campaign.unknown-key]",
    ]


def test_monthly_day_31_says_which_months_it_skips(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text.replace("monthly: 25", "monthly: 31")})
    warnings = load_campaign_with_warnings(workspace, "minimal").warnings
    assert [w.message for w in warnings] == ["day 31 skips February, April, June, September, November"]


def test_monthly_day_29_skips_february_outside_leap_years(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text.replace("monthly: 25", "monthly: 29")})
    warnings = load_campaign_with_warnings(workspace, "minimal").warnings
    assert [w.message for w in warnings] == ["day 29 skips February (except in leap years)"]


def test_unknown_campaign_lists_the_known_ones(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    with pytest.raises(UsageError) as caught:
        load_campaign(workspace, "orange")
    assert str(caught.value) == "unknown campaign 'orange'; known campaigns: minimal"


def test_logo_link_leading_outside_is_refused(make_workspace, minimal_campaign_text, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not a logo")
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text.replace("logos/test.png", "logos/link.png")})
    (workspace.root / "assets" / "logos" / "link.png").symlink_to(outside)
    with pytest.raises(InvalidInput) as caught:
        load_campaign(workspace, "minimal")
    assert error_lines(caught.value) == [
        "campaigns/minimal.yaml:51:9: brand.logo: logo 'logos/link.png' leads outside the workspace"
    ]


@pytest.mark.parametrize("change, expected", [
    (("languages: [en, fr]", "languages: [en, no]"),
     "campaigns/minimal.yaml:7:17: languages[1]: expected a string, got false (YAML reads yes, no, on and off as "
     "true/false: put the word in quotes)"),
    (("  logo: logos/test.png", "  logo: logos/test.png\nschedule:\n  times:\n    x: 9:30"),
     "campaigns/minimal.yaml:54:8: schedule.times.x: '570' is not a time; expected HH:MM such as '09:30'; put the "
     "time in quotes, as in '09:30'"),
    (("    monthly: 25\n", "    monthly: 25\n    months: [0, 13, abc]\n"),
     "campaigns/minimal.yaml:13:14: observances[0].months[0]: expected a whole number from 1 to 12, got 0"),
])
def test_what_yaml_does_to_unquoted_words_is_explained(make_workspace, minimal_campaign_text, change, expected):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text.replace(*change)})
    with pytest.raises(InvalidInput) as caught:
        load_campaign(workspace, "minimal")
    assert error_lines(caught.value)[0] == expected


def test_a_campaign_id_is_never_a_path(make_workspace, minimal_campaign_text, tmp_path):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    (tmp_path / "outside.yaml").write_text(minimal_campaign_text.replace("id: minimal", "id: outside"))
    with pytest.raises(UsageError) as caught:
        load_campaign(workspace, "../../outside")
    assert str(caught.value) == "unknown campaign '../../outside'; known campaigns: minimal"


SHARED = """facts:
  - id: shared-92
    statement: Women and girls are 92% of the victims of trafficking for sexual exploitation.
    figures: ["92%"]
    source: {publisher: UNODC, title: Global Report on Trafficking in Persons 2020, year: 2021,
             url: "https://www.unodc.org/unodc/en/data-and-analysis/glotip.html"}
"""


def test_a_shared_fact_has_one_home_in_facts_and_is_referenced_by_id(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("  - id: solidarity\n", "  - id: solidarity\n    facts: [shared-92]\n", 1)
    text = text.replace("en: We stand with every survivor of violence.",
                        "en: 92% of the victims of sexual exploitation are women and girls.", 1)
    workspace = make_workspace({"minimal.yaml": text})
    (workspace.root / "facts").mkdir()
    (workspace.root / "facts" / "shared.yaml").write_text(SHARED, encoding="utf-8")
    campaign = load_campaign(workspace, "minimal")
    assert sorted(campaign.facts) == ["detection-fell", "shared-92"]  # its own, and the shared one it quotes
    assert campaign.facts["shared-92"].source.publisher == "UNODC"
    copy = text.replace("facts:\n  - id: detection-fell\n", "facts:\n" + SHARED.split("facts:\n")[1]
                        + "  - id: detection-fell\n", 1)
    (workspace.campaigns_dir / "minimal.yaml").write_text(copy, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_campaign(workspace, "minimal")
    assert error_lines(caught.value) == ["campaigns/minimal.yaml:28:9: facts[0].id: fact 'shared-92' is also in "
                                         "facts/shared.yaml; reference that one and remove this copy"]
