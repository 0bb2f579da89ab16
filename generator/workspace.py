"""The workspace: a folder holding campaigns/, templates/, assets/ (and optionally partners/).

Found from `--root`, else `CAMPAIGN_GEN_ROOT`, else the nearest folder upward from the current one that
holds campaigns/. Every file a campaign or partner names is resolved here, and must stay inside it: partner
kits come from outside the organisation, so `..`, absolute paths and links that lead out are refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import Location, PathOutsideWorkspace, WorkspaceNotFound

ROOT_VARIABLE = "CAMPAIGN_GEN_ROOT"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def campaigns_dir(self) -> Path:
        return self.root / "campaigns"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def partners_dir(self) -> Path:
        return self.root / "partners"

    @property
    def default_out(self) -> Path:
        return self.root / "out"

    def display(self, path: str | Path) -> str:
        """A path relative to the workspace, as messages show it."""
        return display_path(path, self.root)

    def resolve_inside(self, relative: str, base: Path, location: Location | None = None, what: str = "path") -> Path:
        """Resolve `relative` against folder `base`, refusing anything that leaves the workspace.

        Checked twice: on the text (absolute, `..`) for a message that says what is wrong, and on the
        fully resolved path, so that a symbolic link pointing outside is refused too.
        """
        text = str(relative).replace("\\", "/")
        pure = PurePosixPath(text)
        if pure.is_absolute() or (len(text) > 1 and text[1] == ":"):
            raise PathOutsideWorkspace(f"{what} '{relative}' is absolute; give a path inside the workspace", location)
        if ".." in pure.parts:
            raise PathOutsideWorkspace(f"{what} '{relative}' uses '..'; give a path inside the workspace", location)
        candidate = (base / pure).resolve()
        try:
            candidate.relative_to(self.root)
        except ValueError:
            raise PathOutsideWorkspace(f"{what} '{relative}' leads outside the workspace", location) from None
        return candidate

    def asset(self, relative: str, location: Location | None = None, what: str = "asset") -> Path:
        """A file under assets/, checked to stay inside the workspace."""
        return self.resolve_inside(relative, self.assets_dir, location, what)


def display_path(path: str | Path, root: str | Path) -> str:
    """A path as a person wants to read it: relative to `root` when it lies inside, else as given.

    The path as written is tried first (`..` folded, links not followed), so a link inside the workspace is
    named where it stands, not where it leads; then the fully resolved path.
    """
    path, root = Path(path), Path(root).resolve()
    for candidate in (Path(os.path.normpath(path.absolute())), path.resolve()):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def find_workspace(root: str | Path | None = None, cwd: str | Path | None = None) -> Workspace:
    """The workspace from `--root`, else $CAMPAIGN_GEN_ROOT, else the nearest folder upward holding campaigns/."""
    if root is None:
        root = os.environ.get(ROOT_VARIABLE) or None
        origin = f"${ROOT_VARIABLE}"
    else:
        origin = "--root"
    if root is not None:
        path = Path(root).expanduser().resolve()
        if not (path / "campaigns").is_dir():
            raise WorkspaceNotFound(f"{origin} '{root}' is not a workspace: it has no campaigns/ folder")
        return Workspace(path)
    start = Path(cwd or os.getcwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "campaigns").is_dir():
            return Workspace(folder)
    raise WorkspaceNotFound(
        f"no workspace found: neither '{start}' nor any folder above it holds campaigns/; "
        f"use --root DIR or set {ROOT_VARIABLE}"
    )
