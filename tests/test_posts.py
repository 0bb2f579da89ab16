"""Posts from templates: lookup order, partner overrides, context, language fallback, the guards run on
every post, template errors, the `render` command, and the shipped campaigns rendering clean."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import posts
from generator.dates import observance_on
from generator.campaign import campaign_ids, load_campaign
from generator.cli import cli
from generator.errors import TemplateError
from generator.partners.kit import Partner
from generator.workspace import Workspace
from posts_helpers import make_campaign, message

FIXTURES = Path(__file__).parent / "data" / "templates" / "workspace"
LINK = "https://www.unwomen.org/en/what-we-do/ending-violence-against-women"


@pytest.fixture
def fixture_workspace(tmp_path) -> Workspace:
    """The template fixtures (tests/data/templates/workspace) as a workspace of their own."""
    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, root)
    return Workspace(root.resolve())


@pytest.fixture
def workspace(make_workspace) -> Workspace:
    return make_workspace()


TEXT = {"en": "Every survivor deserves protection.", "fr": "Chaque survivante mérite protection.",
        "ar": "كل ناجية تستحق الحماية."}


@pytest.mark.parametrize("campaign_id, platform, language, template", [
    ("demo", "x", "fr", "posts/demo/x.fr.j2"),
    ("demo", "x", "en", "posts/demo/x.j2"),
    ("other", "x", "fr", "posts/x.fr.j2"),
    ("other", "x", "en", "posts/x.j2"),
    ("other", "mastodon", "fr", "posts/base.j2"),
])
def test_lookup_order_most_specific_first(fixture_workspace, campaign_id, platform, language, template):
    msg = message("m", TEXT)
    campaign = make_campaign([msg], campaign_id=campaign_id, languages=("en", "fr"))
    post = posts.build_post(campaign, msg, platform, language, workspace=fixture_workspace)
    assert post.template == template
    marker = template.removeprefix("posts/").removesuffix(".j2")
    assert post.text.startswith(f"[{marker}] " if marker != "base" else TEXT[language])


def test_lookup_order_is_the_documented_one():
    assert posts.template_names("orange-day", "x", "ar") == [
        "posts/orange-day/x.ar.j2", "posts/orange-day/x.j2", "posts/x.ar.j2", "posts/x.j2", "posts/base.ar.j2",
        "posts/base.j2"]


def test_partner_override_changes_one_block_of_the_default(fixture_workspace):
    msg = message("m", TEXT)
    campaign = make_campaign([msg], campaign_id="other", suggested=())
    partner = Partner(id="acme", name="Acme", folder=fixture_workspace.partners_dir / "acme", languages=("en",))
    post = posts.build_post(campaign, msg, "x", "en", workspace=fixture_workspace, partner=partner)
    assert post.text == "[x] Every survivor deserves protection.\n\n#OrangeDay #AcmeForEquality"
    own = posts.build_post(campaign, msg, "mastodon", "en", workspace=fixture_workspace, partner=partner)
    assert own.text.startswith("[acme/mastodon] ")


def test_context_observance_theme_link_with_utm_and_direction(workspace):
    msg = message("m", TEXT, link=LINK)
    campaign = make_campaign([msg], languages=("en", "ar"),
                             utm={"utm_source": "{platform}", "utm_medium": "social"})
    day = date(2026, 7, 30)
    post = posts.build_post(campaign, msg, "linkedin", "en", workspace=workspace, date=day,
                            observance=observance_on(campaign, day))
    tagged = f"{LINK}?utm_source=linkedin&utm_medium=social"
    assert post.text.splitlines()[0] == "World Day against Trafficking in Persons: A theme for the test"
    assert post.link == tagged and tagged in post.text
    assert post.direction == "ltr" and post.date == day
    arabic = posts.build_post(campaign, msg, "linkedin", "ar", workspace=workspace)
    assert arabic.direction == "rtl" and arabic.text.startswith(TEXT["ar"])


def test_missing_language_falls_back_to_english_with_a_warning(workspace):
    msg = message("m", {"en": TEXT["en"]})
    campaign = make_campaign([msg], languages=("en", "ar"))
    post = posts.build_post(campaign, msg, "mastodon", "ar", workspace=workspace)
    assert post.language_fallback and post.direction == "ltr" and post.text.startswith(TEXT["en"])
    assert [(p.code, p.severity.value, p.message, p.where) for p in post.problems] == [
        ("language.fallback", "warning", "message 'm' has no 'ar' text; the English text is used",
         "demo/m/mastodon/ar")]


@pytest.mark.parametrize("text, terminology, codes", [
    ("Support every illegal migrant.", (), ["terms.avoid"]),
    ("92% of detected victims are women and girls.", (), ["facts.unsourced"]),
    ("Read http://www.unwomen.org today.", (), ["link.insecure"]),
    ("Listen to trafficking victims.", ({"avoid": "trafficking victim", "prefer": "survivor of trafficking",
                                         "reason": "campaign choice", "language": "en"},), ["terms.avoid"]),
    ("Of every 10 victims detected, 5 are women and 2 are girls.", (), []),
])
def test_guards_run_on_every_post(workspace, text, terminology, codes):
    msg = message("m", text, facts=("five-in-ten",) if "10" in text else ())
    campaign = make_campaign([msg], terminology=terminology)
    post = posts.build_post(campaign, msg, "mastodon", "en", workspace=workspace)
    assert [p.code for p in post.problems] == codes
    assert all(p.where == "demo/m/mastodon/en" for p in post.problems)


def test_template_error_names_the_template_file_and_line(fixture_workspace):
    (fixture_workspace.templates_dir / "posts" / "mastodon.j2").write_text(
        '{% extends "posts/base.j2" %}\n{% block body %}\n{{ message.txt }}\n{% endblock %}\n', encoding="utf-8")
    msg = message("m", TEXT)
    with pytest.raises(TemplateError) as caught:
        posts.build_post(make_campaign([msg]), msg, "mastodon", "en", workspace=fixture_workspace)
    assert str(caught.value) == "templates/posts/mastodon.j2:3: 'dict object' has no attribute 'txt'"


def test_templates_see_plain_data_only(fixture_workspace):
    """The model's Path and Document never reach a template: they could read or write files."""
    (fixture_workspace.templates_dir / "posts" / "mastodon.j2").write_text("{{ campaign.path }}", encoding="utf-8")
    msg = message("m", TEXT)
    with pytest.raises(TemplateError, match="'dict object' has no attribute 'path'"):
        posts.build_post(make_campaign([msg]), msg, "mastodon", "en", workspace=fixture_workspace)


def test_post_as_dict_is_json_ready(workspace):
    msg = message("m", TEXT)
    post = posts.build_post(make_campaign([msg]), msg, "x", "en", workspace=workspace)
    data = json.loads(json.dumps(post.as_dict()))
    assert data["fitting"] == "as-written" and data["parts"] == [post.text] and data["problems"] == []


def test_unknown_message_is_a_usage_error(workspace):
    from generator.errors import UsageError

    campaign = make_campaign([message("m", TEXT)])
    with pytest.raises(UsageError, match="campaign 'demo' has no message 'nope'; its messages are: m"):
        posts.build_posts(campaign, workspace, messages=("nope",))


def run(workspace, *args):
    return CliRunner().invoke(cli, ["--root", str(workspace.root), *args], standalone_mode=False)


def test_render_command_prints_posts_with_count_tags_and_problems(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    result = run(workspace, "render", "minimal", "--message", "detection", "--platform", "x", "--lang", "fr")
    assert result.output == (
        "== minimal/detection/x/fr  110/280  as-written\n"
        "In 2020, detection of trafficking cases fell by 11%.\n\n"
        "https://www.unodc.org/unodc/en/data-and-analysis/glotip.html\n\n"
        "#OrangeDay #EndHumanTrafficking\n"
        "tags: #OrangeDay #EndHumanTrafficking\n"
        "warning: message 'detection' has no 'fr' text; the English text is used [language.fallback]\n\n"
        "1 post: 0 errors, 1 warning\n")
    assert result.return_value == 0


def test_render_command_json(make_workspace, minimal_campaign_text):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    result = run(workspace, "render", "minimal", "--platform", "mastodon", "--json")
    data = json.loads(result.output)
    assert [(p["message"], p["language"]) for p in data["posts"]] == [
        ("solidarity", "en"), ("detection", "en"), ("solidarity", "fr"), ("detection", "fr")]
    assert data["errors"] == 0 and data["warnings"] == 1


def test_validate_renders_every_post(make_workspace, minimal_campaign_text):
    broken = minimal_campaign_text.replace("We stand with every survivor of violence.",
                                           "We stand with every survivor, never a helpless victim.")
    workspace = make_workspace({"minimal.yaml": broken})
    problems = posts.check_campaign(load_campaign(workspace, "minimal"), workspace)
    assert sorted({(p.code, p.where) for p in problems if p.is_error}) == [
        ("terms.avoid", "minimal/solidarity/mastodon/en"), ("terms.avoid", "minimal/solidarity/x/en")]


@pytest.mark.parametrize("campaign_id", campaign_ids(Workspace(Path(__file__).resolve().parent.parent)))
def test_shipped_campaigns_render_clean_on_every_platform_and_language(repo_workspace, campaign_id):
    campaign = load_campaign(repo_workspace, campaign_id)
    problems = posts.check_campaign(campaign, repo_workspace)
    assert [str(p) for p in problems] == []


def test_a_shortcode_in_a_message_text_is_published_as_its_emoji(make_workspace, minimal_campaign_text):
    """`:orange_heart:` works in message texts as it does in templates: posts, headlines and cards get the emoji."""
    from generator.cards.resolve import card_context

    text = minimal_campaign_text.replace("en: We stand with every survivor of violence.",
                                         'en: "We stand with every survivor of violence :orange_heart:"', 1)
    text = text.replace("fr: Nous sommes aux côtés de chaque survivante de violence.",
                        'fr: "Nous sommes aux côtés de chaque survivante de violence :cœur_orange:"', 1)
    workspace = make_workspace({"minimal.yaml": text})
    campaign = load_campaign(workspace, "minimal")
    message = campaign.message("solidarity")
    assert message.text == {"en": "We stand with every survivor of violence 🧡",
                            "fr": "Nous sommes aux côtés de chaque survivante de violence 🧡"}
    post = posts.build_post(campaign, message, "x", "en", workspace=workspace)
    assert "🧡" in post.text and ":orange_heart:" not in post.text
    assert card_context(campaign, message, "en", "square")["body"].endswith("🧡")


def test_a_message_about_survivors_carries_the_referral_line_where_it_fits(make_workspace, minimal_campaign_text):
    """`referral: true` on a message: its posts end with where to find help (the partner's own services first);
    a phone number there is not a statistic; when the post is too long the line is dropped before anything else."""
    text = minimal_campaign_text.replace("  - id: solidarity\n", "  - id: solidarity\n    referral: true\n", 1)
    text = text.rstrip("\n") + ("\nreferral:\n  en: {text: 'Need help? Call 0800 123 456:', link: "
                                "'https://example.org/help'}\n")
    workspace = make_workspace({"minimal.yaml": text})
    campaign = load_campaign(workspace, "minimal")
    post = posts.build_post(campaign, campaign.message("solidarity"), "mastodon", "en", workspace=workspace)
    assert "Need help? Call 0800 123 456: https://example.org/help" in post.text
    assert post.problems == ()  # 0800 123 456 is no figure to source
    french = posts.build_post(campaign, campaign.message("solidarity"), "mastodon", "fr", workspace=workspace)
    assert "Need help" not in french.text  # no referral line in French: none is given
    other = posts.build_post(campaign, campaign.message("detection"), "mastodon", "en", workspace=workspace)
    assert "Need help" not in other.text  # not a message about survivors
    long_text = text.replace("en: We stand with every survivor of violence.",
                             "en: " + "We stand with every survivor of violence, everywhere and always. " * 3, 1)
    workspace = make_workspace({"minimal.yaml": long_text})
    campaign = load_campaign(workspace, "minimal")
    fitted = posts.build_post(campaign, campaign.message("solidarity"), "x", "en", workspace=workspace)
    assert fitted.fitting == "without-referral" and "Need help" not in fitted.text
