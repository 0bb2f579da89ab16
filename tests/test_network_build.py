"""`build --all-partners` and `build --partner A --partner B`: the workspace's pack, then every kit's pack in
`<pack>/partners/<kit>/`, an index page and network.json listing them all; a broken kit is reported and the
others are built; the exit code is the worst outcome."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from clirunner import run_cli
from generator import stock
from generator.errors import Problem, Severity
from generator.pack.network import KitOutcome, index_html
from partner_support import add_kit, build_workspace

WEEK = "2026-W30"
PACK = f"{WEEK}+x"


def workspace_with_kits(base: Path, good: int):
    workspace, _ = build_workspace(base)
    shutil.copy(stock.TEMPLATES / "cards" / "statement.yaml", workspace.root / "templates" / "cards")
    for number in range(good):
        add_kit(workspace, f"kit-{number:02d}")
    return workspace


def build(workspace, *arguments):
    return run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--platform", "x", *arguments)


def test_a_broken_kit_among_twenty_does_not_stop_the_others(tmp_path):
    workspace = workspace_with_kits(tmp_path, 19)
    add_kit(workspace, "kit-broken", "name: Broken\nlanguages: [fr]\ncolours: {primary: red}\n")

    result = build(workspace, "--all-partners")

    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "partners/kit-broken/partner.yaml:3:20: colours.primary: error:" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["pack written to out/2026-W30+x/ (open index.html to review it)",
                         lines[1], "problems listed in out/2026-W30+x/report.txt"]
    assert lines[1].startswith("2026-W30+x: 10 posts on 5 days, ")
    assert "partner kit 'kit-broken': not built (exit 2); the other kits are built" in lines
    built = [line.split(":")[0] for line in lines if line.startswith("2026-W30+x/partners/")]
    assert built == [f"2026-W30+x/partners/kit-{n:02d}" for n in range(19)]
    assert lines[-1] == "partner packs listed in out/2026-W30+x/partners/index.html"
    network = workspace.root / "out" / PACK / "partners"
    summary = json.loads((network / "network.json").read_text(encoding="utf-8"))
    assert [(kit["kit"], kit["built"]) for kit in summary["kits"]] == [
        *[(f"kit-{n:02d}", True) for n in range(19)], ("kit-broken", False)]
    assert summary["exit_code"] == 2
    assert all((network / f"kit-{n:02d}" / "index.html").is_file() for n in range(19))
    index = (network / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr class="failed">') == 1 and index.count("/index.html\">kit-") == 19


def test_a_kit_that_fails_this_time_loses_the_pack_an_earlier_build_left(tmp_path):
    workspace = workspace_with_kits(tmp_path, 2)
    assert build(workspace, "--all-partners").exit_code == 0
    network = workspace.root / "out" / PACK / "partners"
    assert (network / "kit-01" / "index.html").is_file()
    (workspace.partners_dir / "kit-01" / "partner.yaml").write_text("name: Broken\nlanguages: [fr]\n"
                                                                 "colours: {primary: red}\n", encoding="utf-8")
    assert build(workspace, "--all-partners").exit_code == 2
    assert not (network / "kit-01").exists()  # the index says it was not built: no old pack beside it
    assert (network / "kit-00" / "index.html").is_file()


def test_the_workspace_pack_keeps_its_partner_packs_when_rebuilt_and_zips_only_its_own(tmp_path):
    workspace = workspace_with_kits(tmp_path, 2)
    first = build(workspace, "--partner", "kit-00", "--partner", "kit-01")
    assert first.exit_code == 0, first.stderr
    # the workspace's pack alone, changed and rebuilt: the kits' packs stay in it, untouched
    kit_index = workspace.root / "out" / PACK / "partners" / "kit-00" / "index.html"
    before = kit_index.read_bytes()
    campaign = workspace.root / "campaigns" / "test.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("name: Test campaign", "name: Test campaign 2"),
                        encoding="utf-8")
    again = build(workspace, "--zip")
    assert again.exit_code == 0, again.stderr
    assert kit_index.read_bytes() == before
    with zipfile.ZipFile(workspace.root / "out" / f"{PACK}.zip") as archive:
        names = archive.namelist()
    assert f"{PACK}/index.html" in names and not [n for n in names if n.startswith(f"{PACK}/partners/")]
    # and an unchanged rebuild of the workspace's pack is still recognised as unchanged
    unchanged = build(workspace)
    assert "(0 drawn)" in unchanged.stdout.splitlines()[1]


def test_one_partner_alone_builds_into_its_own_folder_as_before(tmp_path):
    workspace = workspace_with_kits(tmp_path, 1)
    result = build(workspace, "--partner", "kit-00")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "pack written to out/2026-W30+x+partner-kit-00/ (open index.html to review it)"


@pytest.mark.parametrize("arguments, message", [
    (("--all-partners", "--partner", "kit-00"), "error: give either --all-partners or --partner NAME, not both"),
    (("--partner", "kit-00", "--partner", "nobody"), None),
])
def test_network_requests(tmp_path, arguments, message):
    workspace = workspace_with_kits(tmp_path, 1)
    result = build(workspace, *arguments)
    assert result.exit_code == 2
    if message:
        assert (result.stdout, result.stderr) == ("", message + "\n")
    else:  # an unknown kit is a kit that cannot be built: reported, and the others built
        assert "error: unknown partner 'nobody'; known partners: kit-00" in result.stderr
        assert "2026-W30+x/partners/kit-00: " in result.stdout


def test_the_index_escapes_what_kits_wrote():
    """Problems quote kit files, which are hostile input: the page shows them as text."""

    class Own:
        class period:
            label = "2026-W30"
        exit_code = 0

    class KitPack:
        posts, cards_total, exit_code = [], 0, 1
        problems = [Problem(Severity.ERROR, "x", '<script>alert("kit")</script>', "partners/k/partner.yaml:1")]

        def counts(self):
            return 1, 0

    page = index_html(Own, [KitOutcome("k", pack=KitPack()), KitOutcome("z", failure=("<img src=x onerror=1>",))])
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;kit&#34;)&lt;/script&gt;" in page


def test_an_output_folder_among_the_kits_is_refused(tmp_path):
    workspace = workspace_with_kits(tmp_path, 1)
    for out in ("partners", "partners/kit-00/templates"):
        result = build(workspace, "--all-partners", "--out", str(workspace.root / out))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.splitlines()[0] == (f"error: output folder '{workspace.root / out}' is inside partners/, "
                                                 "where the kits are; choose another --out")
    assert sorted(p.name for p in (workspace.root / "partners").iterdir()) == ["kit-00"]


def test_a_kit_folder_name_cannot_forge_a_line_of_the_report(tmp_path):
    workspace = workspace_with_kits(tmp_path, 1)
    (workspace.root / "partners" / "nl\nfake").mkdir()
    result = build(workspace, "--all-partners")
    assert result.exit_code == 2
    assert "partner kit 'nl\\nfake': not built (exit 2); the other kits are built" in result.stdout.splitlines()
    assert not [line for line in result.stdout.splitlines() if line.startswith("fake")]
