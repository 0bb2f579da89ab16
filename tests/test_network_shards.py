"""`build --all-partners --shard I/N` and `merge`: the shards of a network build put together are byte for byte
the unsharded build (kits that cannot be built included), a bad request or a mismatched, missing or duplicated
shard is one line and exit 2, and .github/workflows/network.yml runs as written (act-style: each job's commands
in sequence in a folder of its own, the artifact actions replaced by copies)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from clirunner import run_cli
from generator import stock
from generator.pack.shards import shard_of
from partner_support import REPO, add_kit, build_workspace

WEEK = "2026-W30"
PACK = f"{WEEK}+x"
GOOD_KITS = 4
BROKEN = "name: Broken\nlanguages: [fr]\ncolours: {primary: red}\n"
TWO_LANGUAGES = "name: Association\nlanguages: [fr, en]\n"
# A kit whose template drops the campaign's required hashtag (refused over all its posts, whichever shard
# rendered them) and one whose French template fails when rendered (its English posts render).
DROPS_TAG = '{% extends "!default/posts/base.j2" %}\n{% block hashtags %}#Association{% endblock %}\n'
MOTTO = "{{ message.text }}\n{{ partner.motto }}\n"


def make_network(base: Path, good: int = GOOD_KITS, hostile: bool = True):
    workspace, _ = build_workspace(base)
    shutil.copy(stock.TEMPLATES / "cards" / "statement.yaml", workspace.root / "templates" / "cards")
    for number in range(good):
        add_kit(workspace, f"kit-{number:02d}")
    add_kit(workspace, "kit-broken", BROKEN)
    if hostile:
        add_kit(workspace, "kit-tag", TWO_LANGUAGES, files={"templates/posts/base.j2": DROPS_TAG})
        add_kit(workspace, "kit-motto", TWO_LANGUAGES, files={"templates/posts/x.fr.j2": MOTTO})
    return workspace


def build(workspace, *arguments):
    return run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--platform", "x", "--jobs", "1",
                   "--all-partners", *arguments)


def merge(*arguments):
    return run_cli("merge", *[str(argument) for argument in arguments])


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """The workspace, the unsharded build of it, and its shards for N = 1, 2, 3 (built once each)."""
    base = tmp_path_factory.mktemp("network")
    workspace = make_network(base)
    reference = build(workspace, "--out", str(base / "reference"))
    built: dict[int, list[Path]] = {}

    def shards(count: int) -> list[Path]:
        if count not in built:
            built[count] = []
            for index in range(1, count + 1):
                folder = base / f"shards-{count}" / str(index)
                result = build(workspace, "--shard", f"{index}/{count}", "--out", str(folder))
                assert result.exit_code == 0, result.stderr
                built[count].append(folder)
        return built[count]

    return SimpleNamespace(workspace=workspace, base=base, reference=reference, shards=shards)


# -- sharded then merged is the unsharded build ----------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 2, 3])
def test_sharded_then_merged_is_the_unsharded_build_byte_for_byte(network, count, tmp_path):
    assert network.reference.exit_code == 2  # kit-broken, kit-tag and kit-motto cannot be built
    folders = network.shards(count)

    merged = merge(*reversed(folders), "--out", tmp_path / "merged")  # in any order

    assert merged.exit_code == network.reference.exit_code, merged.stderr
    expected = tree(network.base / "reference")
    assert tree(tmp_path / "merged") == expected
    summary = json.loads(expected[f"{PACK}/partners/network.json"])
    assert [(kit["kit"], kit["built"]) for kit in summary["kits"]] == [
        *[(f"kit-{n:02d}", True) for n in range(GOOD_KITS)], ("kit-broken", False), ("kit-motto", False),
        ("kit-tag", False)]
    failures = {kit["kit"]: kit["failure"] for kit in summary["kits"] if not kit["built"]}
    assert failures["kit-motto"] == ["partners/kit-motto/templates/posts/x.fr.j2:2: error: 'dict object' has no "
                                     "attribute 'motto'"]
    assert failures["kit-tag"][0].startswith("partners/kit-tag/templates/posts/base.j2: error: x: required hashtag "
                                             "missing: #OrangeDay (in test/solidarity/x/")
    # the merge reports as the unsharded build does (the cards were drawn by the first build: none by the shards)
    assert _report(merged.stdout, tmp_path / "merged") == _report(network.reference.stdout, network.base / "reference")


def test_merging_over_an_earlier_pack_keeps_what_the_unsharded_build_keeps(network, tmp_path):
    """A kit that left the network keeps its last pack (and zip); a kit built replaces its own; a kit that fails
    loses its own (an old pack beside an index saying it was not built would be published)."""
    earlier = tmp_path / "earlier"
    shutil.copytree(network.base / "reference", earlier)
    kits = earlier / PACK / "partners"
    for kit in ("kit-broken", "kit-gone", "kit-00"):
        (kits / kit).mkdir(exist_ok=True)
        (kits / kit / "last-good.txt").write_text(f"{kit}'s pack of last week\n", encoding="utf-8")
        (kits / f"{kit}.zip").write_bytes(b"an earlier zip")
    shutil.copytree(earlier, tmp_path / "built")
    shutil.copytree(earlier, tmp_path / "merged")

    assert build(network.workspace, "--out", str(tmp_path / "built")).exit_code == 2
    assert merge(*network.shards(2), "--out", tmp_path / "merged").exit_code == 2

    assert tree(tmp_path / "merged") == tree(tmp_path / "built")
    kept = tree(tmp_path / "merged")
    assert f"{PACK}/partners/kit-gone/last-good.txt" in kept and f"{PACK}/partners/kit-gone.zip" in kept
    assert not any(name.startswith(f"{PACK}/partners/kit-broken") for name in kept)
    assert f"{PACK}/partners/kit-00/last-good.txt" not in kept and f"{PACK}/partners/kit-00.zip" not in kept


def _report(stdout: str, out: Path) -> str:
    return re.sub(r"\(\d+ drawn\)", "(N drawn)", stdout.replace(str(out), "OUT"))


def test_each_shard_writes_only_its_part_of_the_work(network):
    folders = network.shards(3)
    units, seen = set(), []
    for index, folder in enumerate(folders, 1):
        record = json.loads((folder / "shard.json").read_text(encoding="utf-8"))
        assert record["shard"] == f"{index}/3" and record["label"] == PACK
        assert sorted(p.name for p in folder.iterdir()) == ["parts", "shard.json"]
        mine = {(part["kit"], *pair) for part in record["parts"] for pair in part["pairs"]}
        assert all(shard_of(unit, 3) == index for unit in mine)
        seen.append(mine)
        units |= mine
    kits = ["", *(f"kit-{n:02d}" for n in range(GOOD_KITS)), "kit-broken", "kit-motto", "kit-tag"]
    assert units == {(kit, "test", language) for kit in kits for language in ("en", "fr")}
    assert sum(len(mine) for mine in seen) == len(units) == record["split"]["units"]
    # the packs whose verdict merge takes over several parts are split: the workspace's own, the kit whose French
    # template fails (its English posts render) and the one whose posts drop the required hashtag
    for kit in ("", "kit-motto", "kit-tag"):
        assert len({index for index, mine in enumerate(seen) for language in ("en", "fr")
                    if (kit, "test", language) in mine}) == 2, kit


def test_a_broken_kit_among_many_does_not_stop_the_other_kits_of_its_shard(network):
    folders = network.shards(3)
    for folder in folders:
        record = json.loads((folder / "shard.json").read_text(encoding="utf-8"))
        parts = {part["kit"]: part for part in record["parts"]}
        if "kit-broken" not in parts:
            continue
        assert parts["kit-broken"]["failure"]["lines"] == [
            "partners/kit-broken/partner.yaml:3:20: colours.primary: error: 'red' is not a colour; expected a hex "
            "colour such as '#F58220'"]
        others = [part for kit, part in parts.items() if kit.startswith("kit-0")]
        assert others and all(part["failure"] is None for part in others)
        for part in others:
            assert (folder / part["folder"] / "part.json").is_file()
            assert list((folder / part["folder"] / "cards").glob("*.png"))


def test_a_shard_reports_its_parts_and_exits_0_once_written(network, tmp_path):
    result = build(network.workspace, "--shard", "1/2", "--out", str(tmp_path / "one"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == (f"shard 1/2 written to {tmp_path / 'one'}/ ({_units(tmp_path / 'one')} of 16 parts of the "
                         "work); put the 2 shards together with campaign-gen merge")
    assert re.fullmatch(rf"{re.escape(PACK)}(/partners/kit-\w+)? \(test/(en|fr)(, test/fr)?\): \d+ posts?, "
                        r"\d+ cards? \(\d+ drawn\)", lines[0])
    assert "Traceback" not in result.stderr


def _units(folder: Path) -> int:
    record = json.loads((folder / "shard.json").read_text(encoding="utf-8"))
    return sum(len(part["pairs"]) for part in record["parts"])


# -- refusals ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, message", [
    ("0/3", "--shard '0/3': I counts the shards from 1 to N (here 1 to 3)"),
    ("4/3", "--shard '4/3': I counts the shards from 1 to N (here 1 to 3)"),
    ("x", "--shard 'x': expected I/N, shard I of N, such as 2/4"),
    ("1/0", "--shard '1/0': N must be from 1 to 1000"),
    ("-1/3", "--shard '-1/3': expected I/N, shard I of N, such as 2/4"),
])
def test_a_bad_shard_is_one_line_and_exit_2(network, value, message, tmp_path):
    result = build(network.workspace, "--shard", value, "--out", str(tmp_path / "s"))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert not (tmp_path / "s").exists()


def test_a_shard_needs_a_network_build(network, tmp_path):
    result = run_cli("--root", str(network.workspace.root), "build", "--week", WEEK, "--shard", "1/2")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "error: --shard splits a network build: give it with --all-partners or several --partner\n")


def test_a_shard_replaces_only_a_shard_folder(network, tmp_path):
    foreign = tmp_path / "other"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = build(network.workspace, "--shard", "1/2", "--out", str(foreign))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: output folder '{foreign}' holds files that are not a shard's; give --shard an "
                             "empty or new --out folder\n")
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def _copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target)
    return target


def _edit_record(folder: Path, change) -> None:
    path = folder / "shard.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record), encoding="utf-8")


def test_merge_refuses_a_missing_or_duplicated_shard_and_keeps_what_was_written(network, tmp_path):
    one, two, three = network.shards(3)
    out = tmp_path / "out"
    assert merge(one, two, three, "--out", out).exit_code == 2  # a first merged pack (kits broken: exit 2)
    before = tree(out)
    cases = [
        ((one, three), "error: shard 2/3 missing: give the folders of all 3 shards (the --out folder of each "
                       "`build --shard I/3`)"),
        ((one,), "error: shards 2/3, 3/3 missing: give the folders of all 3 shards (the --out folder of each "
                 "`build --shard I/3`)"),
        ((one, two, three, two), f"{two}: error: shard 2/3 again ('{two}' is shard 2/3 too); give each shard once"),
        ((one, two, three, tmp_path), f"{tmp_path}: error: not a shard folder: it has no shard.json; give the --out "
                                      "folders of `campaign-gen build --shard I/N`"),
        ((one, network.shards(2)[1], three), f"{network.shards(2)[1]}: error: shard 2/2, but '{one}' is shard 1/3: "
                                             "the shards of one build share their N; give the shards of one build"),
    ]
    for folders, message in cases:
        result = merge(*folders, "--out", out)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n"), folders
    assert tree(out) == before  # nothing already written is lost


def test_merge_refuses_shards_built_differently(network, tmp_path):
    one, two = network.shards(2)
    other_week = tmp_path / "other-week"
    result = run_cli("--root", str(network.workspace.root), "build", "--week", "2026-W31", "--platform", "x",
                     "--jobs", "1", "--all-partners", "--shard", "2/2", "--out", str(other_week))
    assert result.exit_code == 0, result.stderr
    strict = tmp_path / "strict"
    assert build(network.workspace, "--strict", "--shard", "2/2", "--out", str(strict)).exit_code == 0
    other_code = _copy(two, tmp_path / "other-code")
    _edit_record(other_code, lambda record: record.update(code="0" * 64))
    incomplete = _copy(two, tmp_path / "incomplete")
    (incomplete / "parts" / "0000" / "part.json").unlink()
    garbled = _copy(two, tmp_path / "garbled")
    (garbled / "shard.json").write_text("{not json", encoding="utf-8")
    other_files = _copy(two, tmp_path / "other-files")  # a kit split over both shards, from other files in one
    parts = [{part["kit"]: part["folder"] for part in json.loads((folder / "shard.json").read_text(encoding="utf-8"))[
        "parts"] if part["failure"] is None} for folder in (one, two)]
    kit = min(set(parts[0]) & set(parts[1]))
    what = f"partner kit '{kit}'" if kit else "the workspace's own pack"
    part = other_files / parts[1][kit] / "part.json"
    part.write_text(part.read_text(encoding="utf-8").replace('"fingerprint": "', '"fingerprint": "0'),
                    encoding="utf-8")
    cases = [
        (other_week, f"{other_week}: error: built with other options than '{one}': period 2026-W31 (2026-07-27 to "
                     f"2026-08-02), not period 2026-W30 (2026-07-20 to 2026-07-26); build every shard with the same "
                     "options"),
        (strict, f"{strict}: error: built with other options than '{one}': --strict true, not --strict false; build "
                 "every shard with the same options"),
        (other_code, f"{other_code}: error: built by another version of campaign-gen than '{one}'; build every shard "
                     "from the same checkout"),
        (incomplete, f"{incomplete}/parts/0000/part.json: error: missing: the shard folder is incomplete; give it "
                     "whole, as its build wrote it"),
        (other_files, f"{other_files}: error: built {what} from other files than '{one}' did; build "
                      "every shard from the same checkout"),
    ]
    for folder, message in cases:
        result = merge(one, folder, "--out", tmp_path / "out")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n"), folder.name
    result = merge(one, garbled, "--out", tmp_path / "out")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{garbled}/shard.json: error: not readable as a shard's record (")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# -- the workflow, act-style ------------------------------------------------------------------------------------------
WORKFLOW = REPO / ".github" / "workflows" / "network.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _substitute(text: str, values: dict) -> str:
    def value(match):
        assert match.group(1) in values, f"the test runner does not know ${{{{ {match.group(1)} }}}}"
        return str(values[match.group(1)])
    return EXPRESSION.sub(value, text)


class ActStyleRunner:
    """Runs a job's steps in a folder of its own, as a GitHub-hosted runner would: `run:` in bash (-eo pipefail),
    checkout as a copy of the workspace, the install and cache steps as no-ops (the test's own environment is the
    runner's), upload-artifact and download-artifact as copies to and from a folder of artifacts."""

    def __init__(self, checkout: Path, base: Path, values: dict):
        self.checkout, self.base, self.values = checkout, base, values
        self.artifacts = base / "artifacts"
        self.artifacts.mkdir()
        bin_folder = base / "bin"  # `make install`: already installed
        bin_folder.mkdir()
        (bin_folder / "make").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        (bin_folder / "make").chmod(0o755)
        self.path = f"{bin_folder}{os.pathsep}{os.environ['PATH']}"
        self.log: list[tuple[str, str, int]] = []

    def run_job(self, name: str, job: dict, matrix: dict, job_total: int) -> Path:
        folder = self.base / "jobs" / "-".join([name, *(str(v) for v in matrix.values())])
        values = {**self.values, **{f"matrix.{key}": value for key, value in matrix.items()},
                  "strategy.job-total": job_total}
        failed = False
        for step in job["steps"]:
            condition = step.get("if")
            if failed and not (condition and "!cancelled()" in condition.replace(" ", "")):
                continue
            if "uses" in step:
                code = self.use(step, folder, values)
            else:
                env = {**os.environ, "PATH": self.path, "VIRTUAL_ENV": "",
                       **{key: _substitute(str(v), values) for key, v in step.get("env", {}).items()}}
                command = _substitute(step["run"], values)
                code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=folder,
                                      env=env, capture_output=True, text=True).returncode
                self.log.append((name, command, code))
            failed = failed or code != 0
        return folder

    def use(self, step: dict, folder: Path, values: dict) -> int:
        action = step["uses"].split("@")[0]
        if action in ("actions/setup-python", "actions/cache"):
            return 0
        settings = {key: _substitute(str(v), values) for key, v in step.get("with", {}).items()}
        if action == "actions/checkout":
            shutil.copytree(self.checkout, folder, ignore=shutil.ignore_patterns(".cache", "out"))
            (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)
        elif action == "actions/upload-artifact":
            source = folder / settings["path"]
            assert source.exists() or settings.get("if-no-files-found") != "error", settings
            assert not (self.artifacts / settings["name"]).exists(), "artifact names must be unique (v4)"
            shutil.copytree(source, self.artifacts / settings["name"])
        elif action == "actions/download-artifact":
            for artifact in sorted(self.artifacts.iterdir()):
                if fnmatch.fnmatch(artifact.name, settings.get("pattern", "*")):  # one folder per artifact
                    shutil.copytree(artifact, folder / settings.get("path", ".") / artifact.name)
        else:
            raise AssertionError(f"the test runner does not know {action}")
        return 0


def test_the_network_workflow_runs_its_jobs_locally_and_publishes_the_unsharded_pack(tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    matrix = jobs["shard"]["strategy"]["matrix"]
    assert matrix == {"shard": [1, 2, 3, 4]}
    assert jobs["merge"]["needs"] in ("shard", ["shard"]) and "needs" not in jobs["shard"]
    uploads = [step for step in jobs["shard"]["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    downloads = [step for step in jobs["merge"]["steps"]
                 if step.get("uses", "").startswith("actions/download-artifact@")]
    assert len(uploads) == len(downloads) == 1
    assert all(fnmatch.fnmatch(_substitute(uploads[0]["with"]["name"], {"matrix.shard": n}),
                               downloads[0]["with"]["pattern"]) for n in matrix["shard"])

    workspace = make_network(tmp_path / "checkout", good=2, hostile=False)
    runner = ActStyleRunner(workspace.root, tmp_path, {"github.event.inputs.week": WEEK})
    for shard in matrix["shard"]:
        runner.run_job("shard", jobs["shard"], {"shard": shard}, len(matrix["shard"]))
    merged = runner.run_job("merge", jobs["merge"], {}, 1)

    builds = [(job, command, code) for job, command, code in runner.log if "campaign-gen" in command]
    assert [(job, code) for job, _, code in builds] == [("shard", 0)] * 4 + [("merge", 2)]  # kit-broken: exit 2
    assert builds[0][1] == ('.venv/bin/campaign-gen build --all-partners --strict --shard "1/4" --out "shards/1" '
                            '${WEEK:+--week "$WEEK"}')
    assert builds[-1][1] == ".venv/bin/campaign-gen merge shards/shard-* --out out"
    reference = run_cli("--root", str(workspace.root), "build", "--week", WEEK, "--all-partners", "--strict",
                        "--out", str(tmp_path / "reference"))
    assert reference.exit_code == 2
    assert tree(runner.artifacts / "network-pack") == tree(tmp_path / "reference")
    assert tree(merged / "out") == tree(tmp_path / "reference")
