"""The installed artifact, as a partner organisation gets it (issue #17): `python -m build` makes an sdist and a
wheel without a packaging warning, and the wheel, installed into a fresh virtual environment outside the checkout,
starts a workspace (`init`) that validates, builds and draws cards with the fonts inside the package.

About a minute, most of it pip installing the dependencies; `-m "not install"` leaves it out of a quick run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO

pytestmark = pytest.mark.install
# What a build reads from the checkout (setup.cfg, pyproject.toml, the README as the long description, the
# package): copied, so that building writes nothing (egg-info, build/) into the checkout, where other tests run.
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "generator")


def _run(command, cwd, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`python -m build` of the checkout: an sdist, then the wheel built from it (so the sdist must hold all the
    wheel needs). --no-isolation uses this environment's setuptools (the test extra): no download."""
    base = tmp_path_factory.mktemp("build")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    env = {key: value for key, value in os.environ.items()
           # A person's shell does not set it; it makes setuptools print "byte-compiling is disabled" warnings.
           if key != "PYTHONDONTWRITEBYTECODE"}
    result = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", base / "dist", source], base, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, base / "dist"


def test_the_build_makes_an_sdist_and_a_wheel_without_a_packaging_warning(dist):
    result, folder = dist
    assert sorted(path.name for path in folder.iterdir()) == ["campaign_gen-0.1.0-py3-none-any.whl",
                                                               "campaign_gen-0.1.0.tar.gz"]
    output = (result.stdout + result.stderr).splitlines()
    assert [line for line in output if "warning" in line.lower()] == []


def test_the_installed_wheel_starts_a_workspace_that_builds_with_the_packaged_fonts(dist, tmp_path):
    [wheel] = dist[1].glob("*.whl")
    venv = tmp_path / "venv"
    # One fresh environment, without pip of its own (this one's pip installs into it: quicker than ensurepip).
    assert _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path).returncode == 0
    python, tool = venv / "bin" / "python", venv / "bin" / "campaign-gen"
    installed = _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", wheel], tmp_path,
                     timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env = {key: value for key, value in os.environ.items() if key not in ("CAMPAIGN_GEN_ROOT", "PYTHONPATH")}
    workspace = tmp_path / "my-campaigns"

    def cli(*args):
        return _run([tool, *args], workspace if workspace.is_dir() else tmp_path, env)

    started = cli("init", workspace)
    assert (started.returncode, started.stderr) == (0, ""), started.stdout
    assert started.stdout.splitlines()[0] == f"created {workspace}/campaigns/orange-day.yaml"
    validated = cli("validate")
    assert (validated.returncode, validated.stderr) == (0, "")
    assert validated.stdout.splitlines()[-1] == "1 campaign checked: 0 errors, 0 warnings"
    built = cli("build")  # the coming week, as a person runs it (a week in the past would warn)
    assert (built.returncode, built.stderr) == (0, "")
    [pack] = (workspace / "out").iterdir()
    assert built.stdout.startswith(f"pack written to out/{pack.name}/")
    cards = sorted((pack / "cards").glob("*.png"))
    assert cards, built.stdout
    drawn = cli("card", "orange-day", "--message", "five-in-ten", "--lang", "fr", "-o", "card.png")
    assert (drawn.returncode, drawn.stderr) == (0, "")
    for path in (workspace / "card.png", *cards):
        with Image.open(path) as image:
            image.verify()  # a whole PNG, not a truncated one
    with Image.open(workspace / "card.png") as image:
        assert image.size == (1080, 1080) and len(image.getcolors(1 << 20) or ()) > 2  # drawn, not blank

    # The code and fonts came from the installed package: the checkout is not on the path, and the workspace has
    # no fonts of its own.
    where = _run([python, "-c", "import sys, generator, generator.stock as s; from generator.workspace import "
                  "find_workspace; from generator.cards.fonts import folder_for; "
                  "print(generator.__file__); print(folder_for(find_workspace())); print(*sys.path, sep='\\n')"],
                 workspace, env)
    assert where.returncode == 0, where.stderr
    module, fonts, *path = where.stdout.splitlines()
    site = Path(module).parent.parent
    assert site.is_relative_to(venv) and Path(fonts) == site / "generator" / "stock" / "fonts"
    assert not any(entry and Path(entry).resolve().is_relative_to(REPO) for entry in path)
    assert not (workspace / "assets" / "fonts").exists() and not (workspace / "templates").exists()

    # click's shell completion through the console script (docs/install.md)
    completion = _run([tool], tmp_path, {**env, "_CAMPAIGN_GEN_COMPLETE": "bash_source"})
    assert completion.returncode == 0 and "_campaign_gen_completion" in completion.stdout
