"""A throw-away workspace for partner-kit tests: one test campaign, the shipped post templates, one fixed card
layout (tests/data/partners/card.yaml, so expectations do not move when the shipped layouts do), a campaign
logo, and a folder outside the workspace holding files a kit must not reach."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PIL import Image

from generator import stock
from generator.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
PARTNER_DATA = Path(__file__).resolve().parent / "data" / "partners"
HOSTILE_KITS = Path(__file__).resolve().parent / "data" / "security" / "kits"  # the attack suite's kits


def write_logo(path: Path, colour=(91, 42, 134, 255), size=(64, 64)) -> None:
    """A small PNG with a transparent background and an opaque square."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste(colour, (size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4))
    image.save(path)


def build_workspace(base: Path) -> tuple[Workspace, Path]:
    """(workspace, a folder outside it holding `secret.txt` and `logo.png`)."""
    root = base / "workspace"
    (root / "campaigns").mkdir(parents=True)
    shutil.copy(PARTNER_DATA / "campaign.yaml", root / "campaigns" / "test.yaml")
    shutil.copytree(stock.TEMPLATES / "posts", root / "templates" / "posts")
    (root / "templates" / "cards").mkdir(parents=True)
    shutil.copy(PARTNER_DATA / "card.yaml", root / "templates" / "cards" / "card.yaml")
    write_logo(root / "assets" / "logos" / "test.png", (245, 130, 32, 255))
    (root / "partners").mkdir()
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("the content of a file outside the workspace\n", encoding="utf-8")
    write_logo(outside / "logo.png")
    return Workspace(root.resolve()), outside.resolve()


def add_kit(workspace: Workspace, name: str, partner_yaml: str | None = None, files: dict | None = None,
            links: dict | None = None, outside: Path | None = None, special: dict | None = None) -> Path:
    """partners/<name>/ from good.yaml (or `partner_yaml`; None as a key in `files` skips partner.yaml), with its
    logo, extra text `files`, symbolic `links` (`{outside}` in a target is the folder outside the workspace) and
    `special` files: `fifo` for a named pipe, a number for a sparse file of that many bytes."""
    folder = workspace.partners_dir / name
    folder.mkdir(parents=True)
    text = (PARTNER_DATA / "good.yaml").read_text(encoding="utf-8") if partner_yaml is None else partner_yaml
    if text != "":
        (folder / "partner.yaml").write_text(text, encoding="utf-8")
    write_logo(folder / "logo.png")
    for relative, content in (files or {}).items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for relative, target in (links or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        path.symlink_to(target.replace("{outside}", str(outside)))
    for relative, kind in (special or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        else:
            with path.open("wb") as handle:
                handle.truncate(int(kind))
    return folder
