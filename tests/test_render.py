"""The one template environment: lookup through partner, workspace and stock, `!default/` and `!stock/`, error
messages with file and line, the sandbox and its limits, and the globals and filters templates use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import render
from generator.errors import TemplateError

DATA = Path(__file__).parent / "data" / "templates"
WORKSPACE = DATA / "workspace"
PARTNER = WORKSPACE / "partners" / "acme"
SANDBOX_CASES = yaml.safe_load((DATA / "sandbox.yaml").read_text(encoding="utf-8"))["cases"]

CONTEXT = {
    "message": {"text": "Every woman has the right to live free from violence.", "link": None, "facts": [1],
                "inline_tags": ()},
    "campaign": {"hashtags": {"required": ("OrangeDay",), "suggested": ("EndVAW", "GenerationEquality")},
                 "facts": {}},
    "platform": {"name": "x", "hashtag_cap": 2},
    "language": "en",
    "tags": ("EndVAW", "OrangeDay", "GenerationEquality"),
}


@pytest.fixture(scope="module")
def env():
    return render.create_environment(WORKSPACE)


@pytest.fixture(scope="module")
def partner_env():
    return render.create_environment(WORKSPACE, PARTNER)


def test_workspace_template_renders_with_its_base(env):
    text = render.render_template(env, "posts/x.j2", CONTEXT)
    assert text == "[x] Every woman has the right to live free from violence.\n\n\n\n#OrangeDay #EndVAW"


def test_partner_override_extends_the_default_and_changes_one_block(partner_env):
    text = render.render_template(partner_env, "posts/x.j2", CONTEXT)
    assert text == "[x] Every woman has the right to live free from violence.\n\n\n\n#OrangeDay #EndVAW #AcmeForEquality"


def test_partner_template_of_its_own_comes_first(partner_env, env):
    assert render.render_template(partner_env, "posts/mastodon.j2", CONTEXT).startswith("[acme/mastodon] ")
    with pytest.raises(TemplateError, match="template 'posts/mastodon.j2' not found"):
        render.render_template(env, "posts/mastodon.j2", CONTEXT)


def test_default_prefix_loads_only_the_workspace_template(partner_env):
    text = render.render_template(partner_env, "!default/posts/x.j2", CONTEXT)
    assert "#AcmeForEquality" not in text and text.startswith("[x] ")


def test_not_found_names_the_folders_searched(partner_env):
    with pytest.raises(TemplateError) as caught:
        render.render_template(partner_env, "posts/none.j2", CONTEXT)
    assert str(caught.value) == ("template 'posts/none.j2' not found (searched partners/acme/templates/, templates/, "
                                 "generator/stock/templates/)")


def test_a_workspace_without_templates_renders_with_the_stock_ones(tmp_path):
    text = render.render_template(render.create_environment(tmp_path), "posts/base.j2", CONTEXT)
    assert text.strip().startswith("Every woman has the right") and text.endswith("\n#OrangeDay #EndVAW")


def test_a_workspace_template_extends_the_stock_one_of_its_name_with_the_stock_prefix(tmp_path):
    (tmp_path / "templates" / "posts").mkdir(parents=True)
    (tmp_path / "templates" / "posts" / "base.j2").write_text(
        '{% extends "!stock/posts/base.j2" %}{% block hashtags %}{{ super() }} #Ours{% endblock %}', encoding="utf-8")
    env = render.create_environment(tmp_path)
    assert render.render_template(env, "posts/base.j2", CONTEXT).endswith("\n#OrangeDay #EndVAW #Ours")
    assert render.render_template(env, "!default/posts/base.j2", CONTEXT).endswith("#Ours")  # the workspace's
    assert render.render_template(env, "!stock/posts/base.j2", CONTEXT).endswith("#EndVAW")


@pytest.mark.parametrize("name, message", [
    ("undefined.j2", "templates/posts/broken/undefined.j2:3: 'foo' is undefined"),
    ("syntax.j2", "templates/posts/broken/syntax.j2:3: syntax error: unexpected '}'"),
    ("undefined_in_block.j2", "templates/posts/broken/undefined_in_block.j2:4: 'dict object' has no attribute 'missing'"),
    ("missing_parent.j2", "templates/posts/broken/missing_parent.j2:1: template 'posts/nowhere.j2' not found"),
    ("escape.j2", "templates/posts/broken/escape.j2:2: refused by the sandbox: "
                  "access to attribute '__class__' of 'str' object is unsafe."),
])
def test_template_errors_name_file_and_line(env, name, message):
    with pytest.raises(TemplateError) as caught:
        render.render_template(env, f"posts/broken/{name}", CONTEXT)
    assert str(caught.value) == message


@pytest.mark.parametrize("case", SANDBOX_CASES, ids=[case["name"] for case in SANDBOX_CASES])
def test_sandbox_stops_escapes_and_runaway_templates(case):
    env = render.create_environment(WORKSPACE, max_seconds=0.2)
    with pytest.raises(TemplateError) as caught:
        render.render_string(env, case["source"], CONTEXT, "test.yaml:3:5: text")
    assert str(caught.value) == case["error"]
    # the environment is not left in a broken state: the next render is whole and correct
    assert render.render_string(env, "{{ message.text }}", CONTEXT, "next") == CONTEXT["message"]["text"]


def test_render_string_reports_undefined_with_origin_and_line(env):
    with pytest.raises(TemplateError) as caught:
        render.render_string(env, "first\n{{ headline }}", CONTEXT, "templates/cards/square.yaml:12:9: layers[1].text")
    assert str(caught.value) == "templates/cards/square.yaml:12:9: layers[1].text: line 2: 'headline' is undefined"


def test_plain_text_is_not_html_escaped(env):
    assert render.render_string(env, "{{ text }}", {"text": "Women & girls <3 'orange'"}, "t") == \
        "Women & girls <3 'orange'"


@pytest.mark.parametrize("tags, cap, expected", [
    (("EndVAW", "OrangeDay", "GenerationEquality"), 2, "#OrangeDay #EndVAW"),  # required first, then within cap
    (("EndVAW", "OrangeDay", "GenerationEquality"), None, "#OrangeDay #EndVAW #GenerationEquality"),
    (("OrangeDay", "orangeday", "#EndVAW"), 5, "#OrangeDay #EndVAW"),  # duplicates in any case, '#' tolerated
    (("OrangeDay", "EndVAW"), 0, "#OrangeDay"),  # required tags stay even beyond the cap
])
def test_hashtags_within_caps_required_first(env, tags, cap, expected):
    context = dict(CONTEXT, platform={"name": "x", "hashtag_cap": cap})
    assert render.render_string(env, "{{ hashtags(tags) }}", dict(context, tags=tags), "t") == expected


@pytest.mark.parametrize("cap, expected", [(3, "#OrangeDay #GenerationEquality"), (2, "#OrangeDay")])
def test_hashtags_leaves_out_tags_the_text_already_carries(env, cap, expected):
    """#EndVAW is in the text already: not repeated, but it counts towards the platform's cap."""
    context = dict(CONTEXT, message=dict(CONTEXT["message"], inline_tags=("endvaw",)),
                   platform={"name": "x", "hashtag_cap": cap})
    assert render.render_string(env, "{{ hashtags(tags) }}", context, "t") == expected


@pytest.mark.parametrize("language, source, expected", [
    ("en", "{{ ':orange_heart: :raised_fist:'|emojize }}", "🧡 ✊"),
    ("fr", "{{ ':cœur_orange: :orange_heart:'|emojize }}", "🧡 🧡"),  # French names, English ones still work
    ("es", "{{ ':corazón_naranja:'|emojize }}", "🧡"),
    ("en", "{{ 'no shortcodes here'|emojize }}", "no shortcodes here"),
])
def test_emojize_with_language_names(env, language, source, expected):
    assert render.render_string(env, source, dict(CONTEXT, language=language), "t") == expected


def test_fact_and_cite(env):
    fact = render.FactInfo("ninety-two", "Women and girls are 92% of detected victims of trafficking for sexual "
                    "exploitation.", ("92%",), "UNODC, Global Report on Trafficking in Persons 2020 (2021)",
                    "https://www.unodc.org/")
    context = dict(CONTEXT, campaign=dict(CONTEXT["campaign"], facts={"ninety-two": fact}))
    text = render.render_string(env, "{{ fact('ninety-two') }} Source: {{ cite('ninety-two') }}", context, "t")
    assert text == f"{fact.statement} Source: {fact.citation}"
    with pytest.raises(TemplateError) as caught:
        render.render_string(env, "{{ cite('nope') }}", context, "t")
    assert str(caught.value) == "t: line 1: unknown fact 'nope'; the campaign's facts are: ninety-two"
