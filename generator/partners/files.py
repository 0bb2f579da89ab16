"""What a partner kit may hold: its own regular files and folders, of bounded size, number and depth.

A kit comes from outside the organisation and is read before anything else is: a symbolic link could publish
another kit's files or the workspace's secrets as a post, or loop; a pipe blocks the reader for ever; an 8 GB
file exhausts memory. So the whole folder is walked once, without following any link, and a kit that holds
anything else is refused, with every offending path named, before partner.yaml is even opened. The limits are
far above what a real kit needs (a logo, a few templates) and are in docs/partners.md.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import Problem, error

MAX_TEXT_BYTES = 1_000_000  # partner.yaml and templates: a long template is a few kilobytes
MAX_FILE_BYTES = 20_000_000  # anything else, logos and pictures: a print-quality PNG is a few megabytes
MAX_ENTRIES = 2_000
MAX_DEPTH = 10
TEXT_SUFFIXES = (".yaml", ".yml", ".j2", ".jinja", ".txt", ".md")


def check_kit_files(workspace, folder: Path) -> list[Problem]:
    """Every entry of the kit that is not a plain file or folder of allowed size, one problem each; the walk
    stops at MAX_ENTRIES entries or MAX_DEPTH levels (and says so)."""
    if folder.is_symlink():
        return [error("partner.symlink", "the kit folder is a symbolic link; put the kit itself in partners/",
                      workspace.display(folder))]
    problems: list[Problem] = []
    seen = 0
    pending = [(folder, 0)]
    while pending:
        current, depth = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as err:
            problems.append(error("partner.unreadable", f"cannot be read: {err.strerror}",
                                  workspace.display(current)))
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                return problems + [error("partner.too-many-files", f"holds more than {MAX_ENTRIES} files and "
                                         "folders; a kit needs a logo and a few templates", workspace.display(folder))]
            path = Path(entry.path)
            problem = _entry_problem(entry, path)
            if problem:
                problems.append(error(problem[0], problem[1], workspace.display(path)))
            elif entry.is_dir(follow_symlinks=False):
                if depth + 1 >= MAX_DEPTH:
                    problems.append(error("partner.too-deep", f"is more than {MAX_DEPTH} folders deep in the kit",
                                          workspace.display(path)))
                else:
                    pending.append((path, depth + 1))
    return sorted(problems, key=lambda p: p.where)


def _entry_problem(entry: os.DirEntry, path: Path) -> tuple[str, str] | None:
    """(code, message) for an entry a kit may not hold; None for a plain folder or a file within its cap."""
    if entry.is_symlink():
        return "partner.symlink", "is a symbolic link; a kit holds its own files only: copy the file into the kit"
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as err:
        return "partner.unreadable", f"cannot be read: {err.strerror}"
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "partner.special-file", "is not a plain file (a pipe, device or socket); a kit holds files only"
    limit = MAX_TEXT_BYTES if path.suffix.lower() in TEXT_SUFFIXES else MAX_FILE_BYTES
    if info.st_size > limit:
        return "partner.file-too-large", (f"is {_megabytes(info.st_size)}; a kit file may be at most "
                                          f"{_megabytes(limit)}")
    if not os.access(path, os.R_OK):
        return "partner.unreadable", "cannot be read: permission denied"
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
