"""The workspace: a folder holding campaigns/ (and optionally facts/, partners/, and templates/ and assets/ of its
own); where its files are, and how files are written so that they appear whole or not at all.

Templates and card layouts are looked up in the workspace's templates/, then among the stock ones campaign-gen
ships (generator/stock); a partner kit's own templates/ come before both when building for it (docs/install.md).

Found from `--root`, else `CAMPAIGN_GEN_ROOT`, else the nearest folder upward from the current one that
holds campaigns/. Every file a campaign or partner names is resolved here, and must stay inside it: partner
kits come from outside the organisation, so `..`, absolute paths and links that lead out are refused.

Everything campaign-gen writes (cards, packs, their zip, caches) is written beside its final place and renamed
into it, so a reader never sees half a file and an interrupted run leaves the previous version. Python's
temporary files are private to their owner (0600, folders 0700); once renamed into place they are a pack a web
server or a colleague must be able to read, so they get the modes the umask gives any new file.

What a process derives from files is kept under their versions (file_version) or in a bounded store (Kept).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import stock
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
    def template_folders(self) -> tuple[Path, ...]:
        """Where templates and card layouts are looked up, first match wins (after a partner kit's own):
        the workspace's templates/, then the stock ones shipped with campaign-gen."""
        return (self.templates_dir, stock.TEMPLATES)

    def template_file(self, relative: str) -> Path | None:
        """`templates/<relative>` as the workspace sees it: its own file, else the stock one; None if neither."""
        return next((folder / relative for folder in self.template_folders if (folder / relative).is_file()), None)

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

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
        if "\0" in text:
            raise PathOutsideWorkspace(f"{what} {relative!r} contains a NUL character; give a plain path", location)
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
    """A path as a person wants to read it: relative to `root` when it lies inside, a stock file by its place in
    the package (`generator/stock/templates/cards/figure.yaml`: the same on every machine), else as given.

    The path as written is tried first (`..` folded, links not followed), so a link inside the workspace is
    named where it stands, not where it leads; then the fully resolved path.
    """
    path, root = Path(path), Path(root).resolve()
    try:
        return Path(os.path.normpath(path.absolute())).relative_to(root).as_posix()
    except ValueError:
        pass
    try:  # resolved only when needed: resolving a link that loops raises, and a message must still be written
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return stock.display(path) or path.as_posix()


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


# -- writing ---------------------------------------------------------------------------------------------------------
def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it; set it straight back
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file beside it and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Kept:
    """What a process keeps for reuse, under keys made of everything each value depends on (so no kept value is
    ever out of date), the least recently used dropped past `most`: `serve` builds again after every save, and
    each build asks for the same schedules, post markup, records and pictures as the one before."""

    def __init__(self, most: int):
        self.most = most
        self._values: dict = {}  # in the order of use, the least recent first

    def get(self, key, make=None):
        """The value kept under `key`; else `make()`, kept from now on (None without `make`)."""
        value = self._values.get(key)
        if value is None:
            if make is None:
                return None
            value = make()
        self.put(key, value)
        return value

    def put(self, key, value) -> None:
        self._values.pop(key, None)
        self._values[key] = value
        while len(self._values) > self.most:
            del self._values[next(iter(self._values))]

    def clear(self) -> None:
        self._values.clear()


def file_version(path: str | Path) -> tuple:
    """What tells one version of a file from the next without reading it: the key of a memo of something a
    process derived from the file. Raises OSError when the file cannot be found."""
    found = os.stat(path)
    return str(path), found.st_size, found.st_mtime_ns, found.st_ino


def temporary_folder(parent: Path, prefix: str, suffix: str = "") -> Path:
    """A new empty folder in `parent`, with the mode a plain mkdir would give, to be renamed into place."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder
