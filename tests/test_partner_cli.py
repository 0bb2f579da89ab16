"""`campaign-gen partner init | list | check`: exact output and exit codes."""

from __future__ import annotations

import pytest

from clirunner import run_cli
from generator.partners.kit import load_partner
from partner_support import add_kit, build_workspace


@pytest.fixture
def workspace(tmp_path):
    return build_workspace(tmp_path)[0]


def cli(workspace, *args):
    return run_cli("--root", str(workspace.root), "partner", *args)


def test_init_scaffolds_a_kit_that_passes_its_check(workspace):
    result = cli(workspace, "init", "my-ngo", "--copy-template", "posts/base.j2",
                 "--copy-template", "templates/cards/card.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created partners/my-ngo/partner.yaml",
        "created partners/my-ngo/templates/cards/card.yaml",
        "created partners/my-ngo/templates/posts/base.j2",
        "next: edit partners/my-ngo/partner.yaml, then run: campaign-gen partner check my-ngo",
    ]
    folder = workspace.partners_dir / "my-ngo"
    assert (folder / "templates/posts/base.j2").read_bytes() == (workspace.templates_dir / "posts/base.j2").read_bytes()
    text = (folder / "partner.yaml").read_text(encoding="utf-8")
    for key in ("name:", "languages:", "handles:", "logo:", "colours:", "hashtags:", "links:", "utm:", "terminology:"):
        assert key in text
    assert "Voix Solidaires" in text and "exploitation sexuelle" in text  # French and English examples
    checked = cli(workspace, "check", "my-ngo")
    assert (checked.exit_code, checked.stderr) == (0, "")
    # The id as typed is the display name until the kit says otherwise: never a guessed "My Ngo".
    assert checked.stdout == ("partners/my-ngo: ok (my-ngo; languages en; overrides cards/card.yaml, "
                              "posts/base.j2)\n")
    assert load_partner(workspace, "my-ngo").templates_dir == folder / "templates"


def test_init_copies_a_stock_template_the_workspace_has_none_of(workspace):
    from generator import stock

    result = cli(workspace, "init", "my-ngo", "--copy-template", "cards/figure.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    copy = workspace.partners_dir / "my-ngo" / "templates" / "cards" / "figure.yaml"
    assert copy.read_bytes() == (stock.TEMPLATES / "cards" / "figure.yaml").read_bytes()


@pytest.mark.parametrize("name, kit, display", [
    ("My NGO", "my-ngo", "My NGO"),
    ("Égalité Maintenant!", "egalite-maintenant", "Égalité Maintenant!"),
    ("  UN Women   Country Office ", "un-women-country-office", "UN Women Country Office"),
    ('The "Safe" Home', "the-safe-home", 'The "Safe" Home'),
])
def test_init_with_the_organisations_name_makes_its_id_and_keeps_the_name(workspace, name, kit, display):
    result = cli(workspace, "init", name)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"created partners/{kit}/partner.yaml",
        f"next: edit partners/{kit}/partner.yaml, then run: campaign-gen partner check {kit}",
    ]
    assert load_partner(workspace, kit).name == display


@pytest.mark.parametrize("args, message", [
    (("init", "جمعية النساء"), "error: 'جمعية النساء' gives no folder name in letters a-z and digits; give an id "
                              "such as my-ngo and write the organisation's name in partner.yaml"),
    (("init", "../escape"), "error: '../escape' is a path; give the organisation's name or an id such as my-ngo"),
    (("init", "good"), "error: partners/good already exists; edit it, or choose another name"),
    (("init", "new", "--copy-template", "posts/nope.j2"),
     "error: no template 'templates/posts/nope.j2'; templates you can copy: cards/card.yaml, cards/figure.yaml, "
     "cards/photo.yaml, cards/quote.yaml, cards/statement.yaml, posts/base.j2, posts/facebook.j2, "
     "posts/instagram.j2, posts/linkedin.j2"),
    (("init", "new", "--copy-template", "../campaigns/test.yaml"),
     "error: template '../campaigns/test.yaml' uses '..'; give a path inside the workspace"),
    (("init", "new", "--copy-template", "/etc/passwd"),
     "error: template '/etc/passwd' is absolute; give a path inside the workspace"),
    (("check", "zzz"), "error: unknown partner 'zzz'; known partners: good"),
])
def test_refusals_are_one_line_and_write_nothing(workspace, args, message):
    add_kit(workspace, "good")
    before = sorted(p.name for p in workspace.partners_dir.iterdir())
    result = cli(workspace, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert sorted(p.name for p in workspace.partners_dir.iterdir()) == before


def test_list_shows_name_and_languages(workspace):
    add_kit(workspace, "good")
    add_kit(workspace, "another", 'name: "Другая организация"\nlanguages: [ru]\n')
    result = cli(workspace, "list")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "another  Другая организация (ru)\ngood  Bonne Association (fr, en)\n"


def test_list_without_kits(workspace):
    result = cli(workspace, "list")
    assert (result.exit_code, result.stdout) == (0, "no partner kits in partners/ (campaign-gen partner init NAME "
                                                    "makes one)\n")


def test_check_prints_warnings_and_the_summary(workspace):
    text = 'name: Asso\nlanguages: [fr]\nhashtags: [Asso, OrangeDay]\n'
    add_kit(workspace, "kit", text)
    result = cli(workspace, "check", "kit")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        # the one problem format of every command: place, severity, message, code
        "partners/kit/partner.yaml:3:18: hashtags[1]: warning: 'OrangeDay' is already required by a campaign; "
        "it is added anyway [partner.hashtag-duplicate]",
        "partners/kit: ok (Asso; languages fr; hashtags #Asso)",
    ]


def test_check_of_the_shipped_example(repo_workspace):
    result = run_cli("--root", str(repo_workspace.root), "partner", "check", "example-ngo")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("partners/example-ngo: ok (Voix Solidaires (exemple fictif); languages fr; "
                                    "logo logo.png; colours ")
    assert "overrides posts/base.j2" in result.stdout
