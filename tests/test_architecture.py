"""The house rules of the package (issue #10), checked on the source itself so that they stay true:
one folder per stage, modules small enough to read, click only in the CLI, a model that knows no YAML."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 400
STAGE_PACKAGES = ("cards", "partners", "pack")
# The top level holds the shared pieces and the posts stage; the three stage packages hold the rest.
MAX_TOP_LEVEL_MODULES = 22  # besides __init__.py and __main__.py


def imported(path: Path) -> set[str]:
    """Every module name `path` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def shown(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=shown)
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{shown(path)} has {lines} lines: split it by concept"


def test_only_the_cli_imports_click():
    importers = [shown(path) for path in MODULES if any(name.split(".")[0] == "click" for name in imported(path))]
    assert importers and all(name.startswith("generator/cli/") for name in importers), importers


def test_the_model_knows_no_yaml_and_no_files():
    names = imported(PACKAGE / "model.py")
    assert not {name for name in names if name.split(".")[0] == "yaml" or name.startswith("generator.yamlfile")}
    assert not {name for name in names if name.startswith("generator.") and name != "generator.model"}


def test_the_stage_packages_exist_and_the_top_level_stays_small():
    for name in STAGE_PACKAGES:
        assert (PACKAGE / name / "__init__.py").is_file(), name
    top_level = [path.name for path in PACKAGE.glob("*.py") if path.name not in ("__init__.py", "__main__.py")]
    assert len(top_level) <= MAX_TOP_LEVEL_MODULES, sorted(top_level)


def test_the_stable_api_is_importable_as_designed():
    from generator import hashtags, platforms

    x = platforms.get("x")
    assert (x.limit, x.count("Orange the World")) == (280, 16)
    assert hashtags.extract("Orange the World #OrangeTheWorld", platform="x") == ["OrangeTheWorld"]
