"""What an install needs from setup.cfg, and what a test run shows: checked without building anything."""

from __future__ import annotations

import configparser
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

from setuptools import find_namespace_packages

REPO = Path(__file__).resolve().parent.parent
CONFIG = configparser.ConfigParser()
CONFIG.read(REPO / "setup.cfg", encoding="utf-8")


def configured_packages() -> list[str]:
    """The packages setup.cfg's `find_namespace:` finds, as setuptools would."""
    assert CONFIG["options"]["packages"].strip() == "find_namespace:"
    find = CONFIG["options.packages.find"]
    return find_namespace_packages(str(REPO), include=find["include"].split(", "), exclude=find["exclude"].split(", "))


def test_every_folder_holding_package_data_is_a_package():
    """setuptools warns on every install ("Package 'generator.data' is absent from the packages configuration")
    when a folder of data files is not a package of its own."""
    packages = configured_packages()
    folders = {path.parent for path in (REPO / "generator").rglob("*") if path.is_file()
               and "__pycache__" not in path.parts}
    for folder in folders:
        assert ".".join(folder.relative_to(REPO).parts) in packages, folder


def test_every_data_file_is_shipped():
    """Each file of the package that is not code matches its folder's package_data patterns, so the wheel carries
    it: a font, template or table left out works in the checkout and fails once installed (tests/test_install.py
    shows the whole installed tool working)."""
    patterns = {package: [p.strip() for p in value.split(",")]
                for package, value in CONFIG["options.package_data"].items()}
    for path in (REPO / "generator").rglob("*"):
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
            package = ".".join(path.parent.relative_to(REPO).parts)
            assert any(fnmatch(path.name, pattern) for pattern in patterns.get(package, ())), path.relative_to(REPO)


def test_a_skipped_test_says_why_in_the_default_output(tmp_path):
    (tmp_path / "test_skipping.py").write_text(
        "import pytest\n\n@pytest.mark.skip(reason='chromium is not installed')\ndef test_x():\n    pass\n",
        encoding="utf-8")
    addopts = CONFIG["tool:pytest"]["addopts"].split()
    result = subprocess.run([sys.executable, "-m", "pytest", *addopts, "-p", "no:cacheprovider", "-p", "no:xdist",
                             str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "SKIPPED [1] test_skipping.py:3: chromium is not installed" in result.stdout, result.stdout
