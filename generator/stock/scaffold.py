"""`campaign-gen init [DIR]`: a new workspace that validates and builds straight away.

It holds one example campaign (the shipped Orange Day facts and messages, every required key commented) with its
logo, an empty partners/ folder, a .gitignore for the output and caches, and a GitHub Actions workflow that
validates, builds and uploads the preview. Templates, card layouts and fonts are not copied: the stock ones
shipped with campaign-gen are used until the workspace adds its own (docs/install.md, the lookup order).

init never overwrites: every file is checked before anything is written, a file that exists stops it with an
error naming that file, and each file is created exclusively, so one that appears meanwhile is not replaced.
"""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path

import generator
from generator.errors import Location, UsageError
from generator.stock import SCAFFOLD

DISTRIBUTION = "campaign-gen"
# What init writes: the file in the new workspace <- its source in generator/stock/workspace/. The dotted
# names are stored without their dot: setuptools leaves hidden files out of package data.
FILES = (
    ("campaigns/orange-day.yaml", "campaign.yaml"),
    ("assets/logos/orange-day.png", "logo.png"),
    (".gitignore", "gitignore"),
    (".github/workflows/campaign-gen.yml", "workflow.yml"),
)
FOLDERS = ("partners",)
REQUIREMENT_MARK = "@requirement@"  # in workflow.yml: how CI installs campaign-gen


def init_workspace(folder: str | Path) -> list[str]:
    """Write a new workspace into `folder` (created if missing) and return what was created, as the person gave
    the folder (`my-campaigns/campaigns/orange-day.yaml`), files first, then folders (`partners/`)."""
    given = str(folder)
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise UsageError(f"'{given}' is a file; give a folder for the new workspace")
    for relative, _ in FILES:
        target = root / relative
        if target.exists() or target.is_symlink():
            raise _exists(given, relative)
    for name in FOLDERS:
        if (root / name).exists() and not (root / name).is_dir():
            raise UsageError("is a file; init makes a folder of this name", Location(_shown(given, name)))
    written: list[Path] = []
    try:
        for relative, source in FILES:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as stream:  # exclusive: never replaces a file, even one made meanwhile
                written.append(target)
                stream.write(_content(source))
    except FileExistsError as err:
        _remove(written)
        raise _exists(given, Path(err.filename).relative_to(root).as_posix()) from None
    except OSError:
        _remove(written)
        raise  # the CLI names the file and the system's reason
    created = [_shown(given, relative) for relative, _ in FILES]
    for name in FOLDERS:
        if not (root / name).is_dir():
            (root / name).mkdir()
            created.append(_shown(given, name) + "/")
    return created


def ci_requirement() -> str:
    """How CI installs campaign-gen: as this copy was installed, where another machine can do the same (from
    git at its commit, or from an https archive; PEP 610's direct_url.json says how), else this version by
    name from the package index."""
    try:
        direct = json.loads(metadata.distribution(DISTRIBUTION).read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        direct = None
    if isinstance(direct, dict) and str(direct.get("url", "")).startswith("https://"):
        vcs = direct.get("vcs_info") or {}
        if vcs.get("vcs") == "git" and vcs.get("commit_id"):
            return f"{DISTRIBUTION} @ git+{direct['url']}@{vcs['commit_id']}"
        if "archive_info" in direct:
            return f"{DISTRIBUTION} @ {direct['url']}"
    return f"{DISTRIBUTION}=={generator.__version__}"


def _content(source: str) -> bytes:
    data = (SCAFFOLD / source).read_bytes()
    if source == "workflow.yml":  # a JSON string is a valid double-quoted YAML scalar, whatever the URL holds
        data = data.replace(REQUIREMENT_MARK.encode(), json.dumps(ci_requirement()).encode())
    return data


def _shown(given: str, relative: str) -> str:
    return os.path.normpath(os.path.join(given, relative)).replace(os.sep, "/")


def _exists(given: str, relative: str) -> UsageError:
    return UsageError("already exists; init never overwrites a file, so nothing was written (move it away, or "
                      "give another folder)", Location(_shown(given, relative)))


def _remove(paths: list[Path]) -> None:
    """Undo a half-written workspace: what this init created goes, folders it made stay (they are empty)."""
    for path in paths:
        path.unlink(missing_ok=True)
