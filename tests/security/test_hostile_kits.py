"""Hostile partner kits in one network build beside a good kit (`build --partner case --partner good`): each is
refused with exit 2 and the lines naming its own files (the same lines as `partner check`), never a traceback,
while the workspace's pack and the good kit's pack are built, byte for byte as without the hostile kit. The kits
are tests/data/security/kits/*.yaml: links out of the kit, to another kit and to themselves, pipes, huge files,
NUL characters, a colour with a trailing newline, Python tags and a template the sandbox refuses. A kit that
reaches a limit of its process (partners/isolation.py) is stopped the same way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from clirunner import run_cli
from generator import sandbox, stock
from generator.pack import build as pack_build
from generator.pack.settings import load_settings
from generator.partners.isolation import KitLimits, can_isolate
from partner_support import HOSTILE_KITS, add_kit, build_workspace as kit_workspace

WEEK = "2026-W30"
PACK = f"{WEEK}+x"  # the workspace's pack folder: the week, and the one platform built
CASES = sorted(HOSTILE_KITS.glob("*.yaml"))


def build_workspace(base: Path):
    """The partner-kit test workspace, with the shipped statement layout the test campaign's cards use."""
    workspace, outside = kit_workspace(base)
    shutil.copy(stock.TEMPLATES / "cards" / "statement.yaml", workspace.root / "templates" / "cards")
    return workspace, outside


def pack_files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def errors(stderr: str) -> list[str]:
    """stderr without the warning that the week has gone by (the tests build a fixed week)."""
    return [line for line in stderr.splitlines() if not line.startswith(f"warning: {WEEK} is in the past")]


def network_build(workspace, *kits: str, out: Path):
    arguments = [argument for kit in kits for argument in ("--partner", kit)]
    return run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--platform", "x", *arguments,
                   "--out", str(out))


@pytest.fixture(scope="module")
def good_pack(tmp_path_factory):
    """The good kit's pack, from a network build with no hostile kit: what every case must leave unchanged."""
    workspace, _ = build_workspace(tmp_path_factory.mktemp("reference"))
    add_kit(workspace, "good")
    add_kit(workspace, "other")
    out = workspace.root / "out"
    result = network_build(workspace, "good", "other", out=out)
    assert result.exit_code == 0 and errors(result.stderr) == [], result.stderr
    return pack_files(out / PACK / "partners" / "good"), pack_files(out / PACK)


@pytest.mark.parametrize("case_path", CASES, ids=[path.stem for path in CASES])
def test_a_hostile_kit_stops_only_itself(tmp_path, case_path, good_pack):
    workspace, outside = build_workspace(tmp_path)
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    add_kit(workspace, "case", case.get("partner_yaml"), case.get("files"), case.get("links"), outside,
            special=case.get("special"))
    add_kit(workspace, "good")
    out = workspace.root / "out"

    result = network_build(workspace, "case", "good", out=out)

    assert result.exit_code == 2
    assert errors(result.stderr) == case["expected"]
    assert "Traceback" not in result.stderr + result.stdout
    assert "the content of a file outside" not in result.stdout + result.stderr
    assert "partner kit 'case': not built (exit 2); the other kits are built" in result.stdout.splitlines()
    good_files, own_files = good_pack
    assert pack_files(out / PACK / "partners" / "good") == good_files
    assert {name: data for name, data in pack_files(out / PACK).items() if not name.startswith("partners/")} == {
        name: data for name, data in own_files.items() if not name.startswith("partners/")}
    assert not (out / PACK / "partners" / "case").exists()
    summary = json.loads((out / PACK / "partners" / "network.json").read_text(encoding="utf-8"))
    assert [(kit["kit"], kit["exit_code"]) for kit in summary["kits"]] == [("case", 2), ("good", 0)]
    assert summary["kits"][0]["failure"] == case["expected"]
    assert summary["exit_code"] == 2


@pytest.mark.skipif(not can_isolate(), reason="kit isolation needs fork and setrlimit (Linux)")
def test_a_kit_past_its_time_limit_is_stopped_and_the_others_are_built(tmp_path, monkeypatch):
    """Every render of this kit keeps within the sandbox's 2 s, but together they pass the kit's wall-clock limit
    (1 s here; campaign-gen.yaml allows 10 s at least): the whole kit is stopped, and only it."""
    workspace, _ = build_workspace(tmp_path)
    add_kit(workspace, "slow", "name: Slow\nlanguages: [fr]\n", {
        "templates/posts/base.j2": '{% extends "!default/posts/base.j2" %}{% block hashtags %}'
                                   "{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}"
                                   "{{ super() }}{% endblock %}"})
    add_kit(workspace, "good")
    settings = load_settings(workspace)
    monkeypatch.setattr(pack_build, "load_settings",
                        lambda _workspace: type(settings)(**{**vars(settings), "kit_limits": KitLimits(wall_seconds=1)}))
    # On a loaded machine one render could pass the sandbox's 2 s: give renders room, so only the kit's limit acts
    budget_init = sandbox.Budget.__init__
    monkeypatch.setattr(sandbox.Budget, "__init__",
                        lambda self, max_output, max_seconds: budget_init(self, max_output, 60.0))
    out = workspace.root / "out"

    result = network_build(workspace, "slow", "good", out=out)

    assert result.exit_code == 2
    assert errors(result.stderr) == ["partners/slow: error: the kit's job took longer than 1 s (wall_seconds) and "
                                     "was stopped; the limit is set by kit_limits in campaign-gen.yaml"]
    assert (out / PACK / "partners" / "good" / "index.html").is_file()
    assert not (out / PACK / "partners" / "slow").exists()
    assert not [p for p in (out / PACK / "partners").iterdir() if p.name.endswith(".building")]


def test_the_hostile_kits_all_at_once_leave_the_network_built(tmp_path):
    """`build --all-partners` with every hostile kit in the workspace: each is refused on its own lines, the good
    kit is built, and the index page lists them all, escaped."""
    workspace, outside = build_workspace(tmp_path)
    for case_path in CASES:
        case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
        add_kit(workspace, case_path.stem, case.get("partner_yaml"), case.get("files"), case.get("links"), outside,
                special=case.get("special"))
    add_kit(workspace, "good")
    out = workspace.root / "out"

    result = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--platform", "x", "--all-partners",
                     "--out", str(out))

    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    refused = [line.split("'")[1] for line in result.stdout.splitlines() if line.startswith("partner kit '")]
    assert refused == [path.stem for path in CASES]
    index = (out / PACK / "partners" / "index.html").read_text(encoding="utf-8")
    assert '<a href="good/index.html">good</a>' in index
    assert index.count('<tr class="failed">') == len(CASES)
    assert "<script" not in index and "\x00" not in index
    shutil.rmtree(out)


LEAD = '{% extends "!default/posts/base.j2" %}{% block lead %}'


def test_kits_that_build_with_a_documented_outcome_do_so_side_by_side(tmp_path):
    """The attacks that are not refused outright, in one network build: a backtracking wildcard over an 8 kB
    word (matched as a glob, in linear time), a template of 15 000 characters (the thread split gives up past 25
    parts: exit 1), a post that a spreadsheet would run as a formula (exit 1, never a formula in the CSVs) and a
    kit in a language no campaign has (English, with a warning). Each ends with its own outcome; the good kit's
    pack is built as usual."""
    workspace, _ = build_workspace(tmp_path)
    add_kit(workspace, "wildcard", "name: W\nlanguages: [fr]\nterminology:\n  - avoid: '" + "*a" * 12 + "*q'\n"
            "    prefer: x\n    reason: y\n    language: fr\n",
            {"templates/posts/base.j2": LEAD + "{{ 'a' * 8000 }} {% endblock %}"})
    add_kit(workspace, "long", "name: L\nlanguages: [fr]\n",
            {"templates/posts/base.j2": LEAD + "{{ 'Mot. ' * 3000 }}{% endblock %}"})
    add_kit(workspace, "formula", "name: F\nlanguages: [fr]\n",
            {"templates/posts/base.j2": LEAD + '=HYPERLINK("https://evil.example","ici"){% endblock %}'})
    add_kit(workspace, "deutsch", "name: D\nlanguages: [de]\n")
    add_kit(workspace, "good")
    out = workspace.root / "out"

    result = network_build(workspace, "wildcard", "long", "formula", "deutsch", "good", out=out)

    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and errors(result.stderr) == []
    network = out / PACK / "partners"
    summary = {kit["kit"]: kit for kit in json.loads((network / "network.json").read_text(encoding="utf-8"))["kits"]}
    assert {kit: row["exit_code"] for kit, row in summary.items()} == {
        "deutsch": 0, "formula": 1, "good": 0, "long": 1, "wildcard": 1}
    assert any("[length.over]" in problem or "[thread." in problem for problem in summary["long"]["problems"])
    assert any("[text.formula-start]" in problem for problem in summary["formula"]["problems"])
    formula_csv = (network / "formula" / "buffer-x-fr.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in formula_csv and '\n=HYPERLINK' not in formula_csv and ',=HYPERLINK' not in formula_csv
    assert summary["deutsch"]["languages"] == ["en"]
    assert any("[partner.language-fallback]" in problem for problem in summary["deutsch"]["problems"])
    assert pack_files(network / "good")
