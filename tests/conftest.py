"""Shared fixtures: the repository as a workspace, and throw-away workspaces built from test data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator import stock
from generator.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def repo_workspace() -> Workspace:
    """The repository itself: the shipped campaigns, facts, logos and partner kit (templates, layouts and
    fonts are the stock ones of the package)."""
    return Workspace(REPO)


def _write_test_logo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    for x in range(16, 48):
        for y in range(16, 48):
            image.putpixel((x, y), (245, 130, 32, 255))
    image.save(path)


@pytest.fixture
def make_workspace(tmp_path):
    """Build a workspace in a temporary folder: `make_workspace({"name.yaml": text, ...})`.

    It gets a copy of the stock templates/ (so posts and cards render as shipped, and a test may change a
    template where the workspace's own would be), the repository's logos and a small test logo at
    assets/logos/test.png; campaign files go into campaigns/. Fonts are the stock ones.
    """

    def build(campaign_files: dict | None = None, *, copy_shipped_campaigns: bool = False) -> Workspace:
        root = tmp_path / "workspace"
        (root / "campaigns").mkdir(parents=True, exist_ok=True)
        if not (root / "templates").exists():
            shutil.copytree(stock.TEMPLATES, root / "templates")
        if (REPO / "assets").is_dir() and not (root / "assets").exists():
            shutil.copytree(REPO / "assets", root / "assets")
        _write_test_logo(root / "assets" / "logos" / "test.png")
        if copy_shipped_campaigns:
            for path in (REPO / "campaigns").glob("*.yaml"):
                shutil.copy(path, root / "campaigns" / path.name)
            shutil.copytree(REPO / "facts", root / "facts", dirs_exist_ok=True)  # the facts they share
        for name, text in (campaign_files or {}).items():
            target = root / "campaigns" / name
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return Workspace(root.resolve())

    return build


@pytest.fixture
def minimal_campaign_text() -> str:
    return (DATA / "campaigns" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
