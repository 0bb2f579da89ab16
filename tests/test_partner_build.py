"""A partner build end to end, with the shipped example kit (partners/example-ngo): its language, its hashtag,
its template override, its links and UTM parameters in the posts; its logo and colours on the cards; and the
languages: every UN language renders clean, `--lang` selects, a missing translation falls back to English with
a `language.fallback` warning, never silently."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from clirunner import run_cli
from generator import stock
from generator.campaign import load_campaign, load_campaigns
from generator.cards import CardRequest, render_card
from generator.cards.layouts import load_layout
from generator.platforms import card_formats
from generator.partners.kit import load_partner
from generator.posts import build_post, build_posts
from generator.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
SHIPPED = sorted(path.stem for path in (REPO / "campaigns").glob("*.yaml"))
WEEK = "2026-W48"  # Orange Day, 25 November, opens the 16 Days: observance posts and ordinary ones
VIOLET = (107, 44, 143)  # the example kit's logo disc (partners/example-ngo/make_logo.py) and its accent
KIT_TEXT, KIT_SECONDARY = (31, 26, 36), (59, 20, 86)  # partners/example-ngo/partner.yaml: text, secondary
CAMPAIGN_ORANGE = (245, 130, 32)  # orange-day's primary colour and its logo's disc
STATEMENT = load_layout(stock.TEMPLATES / "cards" / "statement.yaml")


def colours_in(image: Image.Image, card_format: str, layer_id: str | None = None, *, outside: bool = False) -> set:
    """The colours inside a statement-layout layer's box (or, `outside`, everywhere but in it)."""
    layer = STATEMENT.layer(layer_id)
    left, top, width, height = layer.box_for(card_format).pixels(card_formats()[card_format], layer.area)
    if outside:
        image = image.copy()
        image.paste((0, 0, 0), (left, top, left + width, top + height))
    else:
        image = image.crop((left, top, left + width, top + height))
    return {colour for _, colour in image.getcolors(maxcolors=image.width * image.height)}


def assert_co_branded(image: Image.Image, card_format: str, card: str) -> None:
    """The kit's logo in the partner-logo box, the campaign's logo (its orange) in its locked box, and the
    campaign's orange nowhere else: the kit's colours replace the campaign's."""
    assert VIOLET in colours_in(image, card_format, "partner-logo"), f"{card}: the kit's logo is not on the card"
    assert CAMPAIGN_ORANGE in colours_in(image, card_format, "logo"), f"{card}: the campaign logo is missing"
    assert CAMPAIGN_ORANGE not in colours_in(image, card_format, "logo", outside=True), \
        f"{card}: the campaign's orange is on the card outside its logo"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    """A copy of the repository's campaigns, facts, assets and example kit (builds write a card cache)."""
    root = tmp_path_factory.mktemp("partner-build") / "workspace"
    for folder in ("campaigns", "facts", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "partners" / "example-ngo", root / "partners" / "example-ngo")
    return Workspace(root.resolve())


@pytest.fixture(scope="module")
def partner(workspace):
    return load_partner(workspace, "example-ngo")


@pytest.fixture(scope="module")
def orange_day(workspace):
    return load_campaign(workspace, "orange-day")


@pytest.fixture(scope="module")
def pack(workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("partner-pack")
    result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                     "--platform", "x", "--platform", "instagram", "--partner", "example-ngo", "--out", str(out),
                     "--jobs", "1")
    folder = out / f"{WEEK}+orange-day+instagram+x+partner-example-ngo"  # a partner build has its own folder
    posts = json.loads((folder / "posts.json").read_text(encoding="utf-8"))
    return result, folder, posts["posts"] if isinstance(posts, dict) else posts


def test_partner_pack_is_in_french_with_the_kit_hashtag_and_override(pack):
    result, folder, posts = pack
    assert result.exit_code == 0, result.stdout + result.stderr
    assert posts, "the week has posts"
    for post in posts:
        assert post["language"] == "fr" and not post["language_fallback"]
        assert "#OrangeDay" in post["text"]  # the campaign's required tag is kept
        # the kit's override puts its tag right after the required ones, on every platform
        assert post["tags"][:2] == ["OrangeDay", "VoixSolidaires"], post["text"]
        assert not [p for p in post["problems"] if p["severity"] == "error"], post["problems"]


def test_partner_links_and_utm_are_used(pack, partner):
    _, _, posts = pack
    linked = [post for post in posts if post["link"]]
    assert linked
    for post in linked:
        assert "utm_content=voix-solidaires" in post["link"]
        assert "utm_medium=partner-social" in post["link"]
        assert "www.unwomen.org/en/what-we-do/ending-violence-against-women?" not in post["link"]


def test_partner_cards_carry_its_logo_and_colours(pack, partner):
    _, folder, posts = pack
    cards = sorted({card for post in posts for card in post["card_files"]})
    assert cards and all("example-ngo" in card for card in cards)
    for card in cards:
        card_format = next(name for name in card_formats() if f"-{name}-" in Path(card).name)
        assert_co_branded(Image.open(folder / card).convert("RGB"), card_format, card)


def test_posts_use_the_kit_template_and_terminology(workspace, partner, orange_day):
    message = orange_day.messages[0]
    post = build_post(orange_day, message, "mastodon", "fr", workspace=workspace, partner=partner)
    assert list(post.tags[:2]) == ["OrangeDay", "VoixSolidaires"]  # the kit's hashtags block, not the stock one
    # the kit's own glossary entry applies to its posts
    flagged = dataclasses.replace(message, text={**message.text, "fr": "Il n'y a pas de victime consentante."})
    post = build_post(orange_day, flagged, "mastodon", "fr", workspace=workspace, partner=partner)
    assert [p.code for p in post.problems if "Protocole de Palerme" in p.message] == ["terms.avoid"]
    without_kit = build_post(orange_day, flagged, "mastodon", "fr", workspace=workspace)
    assert "terms.avoid" not in [p.code for p in without_kit.problems]  # the kit's own entry, not the glossary's


def test_partner_card_request_directly(workspace, partner, orange_day):
    result = render_card(CardRequest(orange_day, orange_day.messages[0].id, language="fr", format="square",
                                     colours=partner.colours, logo=partner.logo_path, workspace=workspace,
                                     partner_dir=partner.folder))
    assert result.ok, result.problems
    image = Image.open(io.BytesIO(result.png)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=image.width * image.height)}
    assert {KIT_TEXT, KIT_SECONDARY, (255, 255, 255)} <= colours  # its text, hashtag strip and background
    assert_co_branded(image, "square", "the card")


@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_un_language_renders_clean(workspace, campaign_id):
    campaign = load_campaign(workspace, campaign_id)
    assert set(UN_LANGUAGES) <= set(campaign.languages)
    posts = build_posts(campaign, workspace, languages=UN_LANGUAGES)
    problems = [f"{p.where}: {p.message}" for post in posts for p in post.problems]
    assert problems == []
    assert {post.language for post in posts} == set(UN_LANGUAGES)
    assert not [post.where for post in posts if post.language_fallback]
    assert {post.direction for post in posts if post.language == "ar"} == {"rtl"}


def test_lang_selects_the_language(workspace, tmp_path):
    result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                     "--platform", "mastodon", "--lang", "es", "--out", str(tmp_path), "--jobs", "1")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads((tmp_path / f"{WEEK}+orange-day+es+mastodon" / "posts.json").read_text(encoding="utf-8"))
    posts = data["posts"] if isinstance(data, dict) else data
    assert posts and {post["language"] for post in posts} == {"es"}


def test_lang_overrides_the_partner_language(workspace, tmp_path):
    result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                     "--platform", "mastodon", "--lang", "ar", "--partner", "example-ngo", "--out", str(tmp_path),
                     "--jobs", "1")
    assert result.exit_code == 0, result.stdout + result.stderr
    folder = tmp_path / f"{WEEK}+orange-day+ar+mastodon+partner-example-ngo"
    data = json.loads((folder / "posts.json").read_text(encoding="utf-8"))
    posts = data["posts"] if isinstance(data, dict) else data
    assert {post["language"] for post in posts} == {"ar"} and {post["direction"] for post in posts} == {"rtl"}


def test_missing_translation_falls_back_to_english_with_a_warning(workspace, orange_day):
    message = orange_day.messages[0]
    english_only = dataclasses.replace(message, text={"en": message.text["en"]}, short={}, headline={},
                                       call_to_action={})
    post = build_post(orange_day, english_only, "mastodon", "fr", workspace=workspace)
    assert post.language_fallback
    assert message.text["en"].split()[0] in post.text
    assert [(p.code, p.severity.value) for p in post.problems if p.code == "language.fallback"] == \
        [("language.fallback", "warning")]
    translated = build_post(orange_day, message, "mastodon", "fr", workspace=workspace)
    assert not translated.language_fallback
    assert "language.fallback" not in [p.code for p in translated.problems]


def test_a_broken_kit_stops_only_its_own_build(workspace, tmp_path):
    broken = workspace.partners_dir / "broken"
    broken.mkdir()
    (broken / "partner.yaml").write_text("name: Broken\nlanguages: [fr]\ncolours:\n  accent: 'orange'\n",
                                         encoding="utf-8")
    try:
        result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                         "--platform", "mastodon", "--partner", "broken", "--out", str(tmp_path), "--jobs", "1")
        assert result.exit_code == 2
        assert result.stderr.startswith("partners/broken/partner.yaml:4:11: colours.accent: error: ")
        assert list(tmp_path.iterdir()) == []
        fine = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                       "--platform", "mastodon", "--partner", "example-ngo", "--out", str(tmp_path), "--jobs", "1")
        assert fine.exit_code == 0, fine.stderr
    finally:
        shutil.rmtree(broken)


# -- loading reads, rendering happens once per run ---------------------------------------------------------------
def refuse_rendering(*args, **kwargs):
    raise AssertionError("a post was rendered")


def test_loading_a_kit_reads_it_and_renders_nothing(workspace, monkeypatch):
    monkeypatch.setattr("generator.posts.build_post", refuse_rendering)
    assert load_partner(workspace, "example-ngo").templates_dir is not None


def test_partner_check_renders_every_message_of_every_campaign_once(workspace, monkeypatch):
    from generator import posts
    from generator.partners.kit import check_partner

    rendered = []
    real = posts.build_post

    def counting(campaign, message, platform, language, **options):
        rendered.append((campaign.id, message.id, platform, language))
        return real(campaign, message, platform, language, **options)

    monkeypatch.setattr("generator.posts.build_post", counting)
    check_partner(workspace, "example-ngo")
    campaigns = load_campaigns(workspace)
    expected = {(c.id, m.id, p, "fr") for c in campaigns for m in c.messages for p in c.platforms if m.targets(p)}
    assert len(rendered) == len(set(rendered)) and set(rendered) == expected


def test_a_partner_build_renders_each_scheduled_post_once(workspace, tmp_path, monkeypatch):
    from generator import posts
    from generator.pack.build import build_pack
    from generator.pack.model import PackOptions
    from generator.dates import parse_week

    rendered = []
    real = posts.build_post

    def counting(*args, **options):
        rendered.append(args[:4])
        return real(*args, **options)

    monkeypatch.setattr("generator.posts.build_post", counting)
    shutil.rmtree(workspace.root / ".cache" / "posts", ignore_errors=True)  # an earlier test's records: render all
    pack = build_pack(workspace, PackOptions(parse_week(WEEK), ("orange-day",), ("mastodon",), partner="example-ngo",
                                             out_dir=tmp_path, jobs=1))
    assert pack.posts and len(rendered) == len(pack.posts)


def test_a_kit_template_that_drops_a_required_tag_stops_build_and_render(workspace, tmp_path):
    kit = workspace.partners_dir / "dropper"
    shutil.copytree(workspace.partners_dir / "example-ngo", kit)
    (kit / "templates" / "posts").mkdir(parents=True, exist_ok=True)
    (kit / "templates" / "posts" / "mastodon.j2").write_text("{{ message.text }}\n", encoding="utf-8")
    try:
        build = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                        "--platform", "mastodon", "--partner", "dropper", "--out", str(tmp_path), "--jobs", "1")
        render = run_cli("--root", str(workspace.root), "render", "orange-day", "--platform", "mastodon",
                         "--partner", "dropper")
        check = run_cli("--root", str(workspace.root), "partner", "check", "dropper")
        for result in (build, render, check):
            assert result.exit_code == 2, result.stdout + result.stderr
            assert result.stderr.startswith("partners/dropper/templates/posts/mastodon.j2: error: ")
            assert "[partner" not in result.stderr and "required" in result.stderr
        assert not (tmp_path / WEEK).exists()
    finally:
        shutil.rmtree(kit)


def test_the_partners_own_hashtags_are_on_its_cards_too(workspace, partner, orange_day, tmp_path, monkeypatch):
    """Its posts carry #VoixSolidaires after the campaign's tags; so does the hashtag strip of its cards."""
    from generator import cards
    from generator.cards.resolve import Resolver

    request = CardRequest(orange_day, orange_day.messages[0].id, language="fr", format="square",
                          workspace=workspace, hashtags=partner.hashtags, platforms=())
    strip = Resolver().resolve(request).spec.texts["hashtags"]
    assert strip.startswith("#OrangeDay") and strip.endswith("#VoixSolidaires")
    asked = []
    real = cards.render_cards
    monkeypatch.setattr(cards, "render_cards", lambda requests, *a, **k: asked.extend(requests) or real(requests, *a, **k))
    from generator.pack.build import build_pack
    from generator.pack.model import PackOptions
    from generator.dates import parse_week

    build_pack(workspace, PackOptions(parse_week(WEEK), ("orange-day",), ("x",), partner="example-ngo",
                                      out_dir=tmp_path, jobs=1))
    assert asked and {r.hashtags for r in asked} == {("VoixSolidaires",)}


def test_a_kit_changes_one_languages_wording_on_every_platform_with_one_file(workspace, orange_day):
    """partners/<kit>/templates/posts/base.fr.j2: a `closing` for French posts, whatever the platform."""
    kit = workspace.partners_dir / "closing"
    shutil.copytree(workspace.partners_dir / "example-ngo", kit)
    (kit / "templates" / "posts" / "base.fr.j2").write_text(
        '{% extends "posts/base.j2" %}\n{% block closing %}Agissons ensemble avec Voix Solidaires.{% endblock %}\n',
        encoding="utf-8")
    try:
        partner = load_partner(workspace, "closing")
        french = build_posts(orange_day, workspace, languages=("fr",), partner=partner)
        english = build_posts(orange_day, workspace, languages=("en",), partner=partner)
        assert {p.platform for p in french} == set(orange_day.platforms)
        assert all("Agissons ensemble avec Voix Solidaires." in p.text for p in french)
        assert not any("Voix Solidaires." in p.text for p in english)
        linkedin = next(p for p in french if p.platform == "linkedin")
        body = orange_day.messages[0].text["fr"]
        assert linkedin.text.index(body) < linkedin.text.index("Agissons ensemble")  # after the body
    finally:
        shutil.rmtree(kit)


def test_a_kit_whose_colours_are_too_faint_builds_with_exit_1(workspace, tmp_path):
    """Low contrast is a content problem: the pack is written so the preview shows it, and CI fails (exit 1)."""
    result, folder = build_with_a_temporary_kit(workspace, tmp_path, "faint", {
        "partner.yaml": "name: Faint\nlanguages: [fr]\ncolours:\n  accent: '#FFFFFE'\n"})
    assert result.exit_code == 1, result.stderr
    report = (folder / "report.txt").read_text(encoding="utf-8")
    assert "partners/faint/partner.yaml:4:11: colours.accent: error: accent text (#FFFFFE)" in report


def build_with_a_temporary_kit(workspace, tmp_path, kit_id: str, files: dict):
    """A one-week Mastodon build of Orange Day for a kit written only for this test (removed after it):
    the CLI's result and the pack folder."""
    kit = workspace.partners_dir / kit_id
    for name, text in files.items():
        (kit / name).parent.mkdir(parents=True, exist_ok=True)
        (kit / name).write_text(text, encoding="utf-8")
    try:
        result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day",
                         "--platform", "mastodon", "--partner", kit_id, "--out", str(tmp_path), "--jobs", "1")
    finally:
        shutil.rmtree(kit)
    return result, tmp_path / f"{WEEK}+orange-day+mastodon+partner-{kit_id}"


def test_a_kit_in_none_of_the_campaigns_languages_builds_in_english_and_says_so(workspace, tmp_path):
    result, folder = build_with_a_temporary_kit(workspace, tmp_path, "deutsch",
                                              {"partner.yaml": "name: Verein\nlanguages: [de]\n"})
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads((folder / "posts.json").read_text(encoding="utf-8"))
    posts = data["posts"] if isinstance(data, dict) else data
    assert posts and {post["language"] for post in posts} == {"en"}
    assert "partner.language-fallback" in (folder / "report.json").read_text(encoding="utf-8")


def test_a_post_a_spreadsheet_would_run_as_a_formula_is_an_error_and_never_a_formula_in_the_csv(workspace, tmp_path):
    result, folder = build_with_a_temporary_kit(workspace, tmp_path, "formula", {
        "partner.yaml": "name: Formula\nlanguages: [fr]\n",
        "templates/posts/base.j2": '{% extends "!default/posts/base.j2" %}'
                                   '{% block lead %}=HYPERLINK("https://evil.example","ici"){% endblock %}'})
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "[text.formula-start]" in (folder / "report.txt").read_text(encoding="utf-8")
    for name in ("buffer-mastodon-fr.csv", "hootsuite-mastodon-fr.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert any(cell.startswith("'=HYPERLINK") for cell in cells)
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_a_hostile_kit_stops_its_own_build_only(workspace, tmp_path):
    """A loop, a pipe and an 8 GB (sparse) file in one kit: other builds never read it; its own build is
    refused with one line per entry, before anything in it is read."""
    kit = workspace.partners_dir / "hostile"
    (kit / "templates" / "posts").mkdir(parents=True)
    (kit / "partner.yaml").write_text("name: Hostile\nlanguages: [fr]\n", encoding="utf-8")
    (kit / "templates" / "posts" / "base.j2").symlink_to("base.j2")
    os.mkfifo(kit / "templates" / "posts" / "x.j2")
    with (kit / "photo.png").open("wb") as handle:
        handle.truncate(8_000_000_000)
    args = ("--root", str(workspace.root), "build", "--week", WEEK, "--campaign", "orange-day", "--platform",
            "mastodon", "--jobs", "1")
    try:
        plain = run_cli(*args, "--out", str(tmp_path / "plain"))
        other = run_cli(*args, "--partner", "example-ngo", "--out", str(tmp_path / "other"))
        own = run_cli(*args, "--partner", "hostile", "--out", str(tmp_path / "own"))
        listed = run_cli("--root", str(workspace.root), "partner", "list")
    finally:
        shutil.rmtree(kit)
    assert (plain.exit_code, other.exit_code) == (0, 0), plain.stderr + other.stderr
    assert own.exit_code == 2 and own.stderr.splitlines() == [
        "partners/hostile/photo.png: error: is 8000.0 MB; a kit file may be at most 20.0 MB",
        "partners/hostile/templates/posts/base.j2: error: is a symbolic link; a kit holds its own files only: "
        "copy the file into the kit",
        "partners/hostile/templates/posts/x.j2: error: is not a plain file (a pipe, device or socket); a kit holds "
        "files only",
    ]
    assert not (tmp_path / "own").exists()
    assert "hostile  (does not pass its checks: campaign-gen partner check hostile)" in listed.stdout.splitlines()
