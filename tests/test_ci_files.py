"""What CI users get (issue #17): the composite GitHub Action (action.yml), the pre-commit hook
(.pre-commit-hooks.yaml) and the workflow `init` writes. Their shell steps are run here as the runner would run
them (`bash -e`, the inputs in the environment), in a workspace `init` made."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clirunner import run_cli
from conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
STEPS = {step.get("name", step.get("uses")): step for step in ACTION["runs"]["steps"]}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ci") / "workspace"
    assert run_cli("init", str(root)).exit_code == 0
    return root


def run_step(step: dict, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """A run step as GitHub's runner runs `shell: bash` (bash --noprofile --norc -eo pipefail), with this
    environment's campaign-gen first on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                          env={**os.environ, "PATH": path, **env}, capture_output=True, text=True, timeout=300)


def test_the_action_is_a_composite_with_the_inputs_ci_users_set():
    assert ACTION["runs"]["using"] == "composite"
    assert {"week", "partner", "strict"} <= set(ACTION["inputs"])
    assert all(not spec.get("required") for spec in ACTION["inputs"].values())
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs reach the shell through env, never pasted into the script"
    upload = STEPS["Upload the pack"]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["if"] == "${{ !cancelled() }}"
    assert STEPS["Build"]["if"] == "${{ !cancelled() }}"
    assert STEPS["Install campaign-gen"]["run"] == 'python -m pip install "$GITHUB_ACTION_PATH"'


@pytest.mark.parametrize("strict", ["false", "true"])
def test_the_actions_validate_and_build_steps_run_in_a_new_workspace(workspace, strict):
    env = {"ROOT": str(workspace), "STRICT": strict, "WEEK": "", "PARTNER": ""}
    validated = run_step(STEPS["Validate"], workspace.parent, env)
    assert validated.returncode == 0, validated.stderr
    built = run_step(STEPS["Build"], workspace.parent, env)
    # The example has one warning (no media base URL for the Buffer files): --strict fails on it, as documented.
    assert built.returncode == (1 if strict == "true" else 0), built.stdout + built.stderr
    assert (workspace / "out").is_dir()


def test_the_action_passes_week_and_partner_to_the_build(workspace):
    built = run_step(STEPS["Build"], workspace.parent,
                     {"ROOT": str(workspace), "STRICT": "false", "WEEK": "2026-W99", "PARTNER": "nobody"})
    assert built.returncode == 2 and "2026-W99" in built.stderr  # the week reached campaign-gen (and is refused)


def test_the_init_workflows_steps_run_in_its_workspace(workspace):
    workflow = yaml.safe_load((workspace / ".github" / "workflows" / "campaign-gen.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["pack"]["steps"]}
    for name in ("Validate", "Build"):
        done = run_step(steps[name], workspace, {"WEEK": "", "PARTNER": ""})
        assert done.returncode == 0, done.stderr


def test_the_pre_commit_hook_runs_validate_once_on_workspace_changes():
    [hook] = HOOKS
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("campaign-gen-validate", "python", False)
    assert [hook["entry"], *hook["args"]] == ["campaign-gen", "validate"]
    files = re.compile(hook["files"])
    for path in ("campaigns/orange-day.yaml", "facts/shared.yaml", "templates/posts/x.j2", "partners/a/partner.yaml",
                 "assets/logos/a.png", "campaign-gen.yaml", "site/campaigns/a.yaml"):
        assert files.search(path), path
    for path in ("README.md", "docs/campaigns.md", "src/campaigns.py"):
        assert not files.search(path), path
