"""Which files a served pack depends on, and waiting until one of them changes (watchdog, inotify on Linux).

Watched: campaigns/, templates/, assets/, facts/ and the kit's folder (partners/<kit>/) with their subfolders,
and the workspace folder itself without them (campaign-gen.yaml, and input folders that appear later). Nothing
else: out/, .cache/, .git/ and a virtual environment are never watched, so the build's own writes cannot
trigger a build. A folder that appears after the start (a first template) is watched from then on.

A save is rarely one event: editors write a temporary file and rename it, or truncate and write. Events are
gathered until none has come for QUIET seconds (at most GATHER seconds), then the changed paths are returned
at once, so one save is one rebuild. Only the changes that can alter a build count: file contents (a file
whose size, time and inode are as they were, e.g. after chmod, is no change), files and folders created,
deleted or renamed; editors' swap and backup files (`.x.swp`, `x~`, hidden files) are ignored.
"""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from generator.pack.cache import INPUT_FOLDERS
from generator.pack.settings import SETTINGS_FILE
from generator.workspace import file_version

QUIET = 0.08  # seconds without a new event that end a save
GATHER = 1.0  # at most this long gathering the events of one save
RECONCILE = 1.0  # seconds between checks for watched folders that appeared, vanished or were replaced
# Only the events that can change a build: no open, read or attribute-only events (a build reads every file).
EVENTS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
_EDITOR_LITTER = ("~", ".swp", ".swx", ".swpx", ".tmp", ".part", ".crdownload")


def watched_folders(root: Path, partner: str | None) -> list[tuple[Path, bool]]:
    """(folder, recursive) for everything a build of `root` (with the kit `partner`) reads."""
    folders = [(root, False)] + [(root / name, True) for name in INPUT_FOLDERS]
    if partner:
        folders += [(root / "partners", False), (root / "partners" / partner, True)]
    return folders


def relevant(root: Path, path: str, partner: str | None) -> bool:
    """Whether a change at `path` can change the pack: inside an input folder or the kit, or the settings file;
    never an editor's swap, backup or hidden file."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") or part == "__pycache__" for part in parts):
        return False
    if parts[-1].endswith(_EDITOR_LITTER) or parts[-1] == "4913":  # vim writes 4913 to test a folder
        return False
    if len(parts) == 1:
        return parts[0] == SETTINGS_FILE or parts[0] in INPUT_FOLDERS
    if parts[0] in INPUT_FOLDERS:
        return True
    return bool(partner) and parts[0] == "partners" and parts[1] == partner


class _Handler(FileSystemEventHandler):
    def __init__(self, changes: queue.Queue):
        self.changes = changes

    def on_any_event(self, event) -> None:
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.changes.put((event.event_type, event.is_directory, os.fsdecode(path)))


class Watcher:
    """Watches a workspace's inputs; `wait(timeout)` returns the changed paths of the next save."""

    def __init__(self, root: Path, partner: str | None = None):
        self.root = Path(root)
        self.partner = partner
        self._changes: queue.Queue = queue.Queue()
        self._handler = _Handler(self._changes)
        self._observer = Observer()
        self._observer.daemon = True
        self._watches: dict = {}  # folder -> (ObservedWatch, the folder's (device, inode))
        self._seen: dict = {}  # file -> (size, mtime, inode) when last counted as changed
        self._checked = 0.0

    def start(self) -> None:
        self._reconcile()
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(5)

    def wait(self, timeout: float) -> list[str]:
        """The paths changed by the next save, sorted (empty when `timeout` passes without one). A file made and
        gone within the save (an editor's or sed's temporary file, renamed over the real one) is not named."""
        deadline = time.monotonic() + timeout
        changed: dict[str, str] = {}  # path -> its first event in this save
        while not changed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._reconcile_now_and_then()
            self._take(min(remaining, RECONCILE), changed)
        end = time.monotonic() + GATHER
        while time.monotonic() < end and self._take(QUIET, changed):
            pass
        self._reconcile()
        gone = {path for path in changed if not os.path.lexists(path)}
        for path in gone:
            self._seen.pop(path, None)
        return sorted(path for path, first in changed.items() if first != "created" or path not in gone)

    def _take(self, timeout: float, changed: dict) -> bool:
        """Adds the relevant paths among the events of the next `timeout` seconds to `changed` (returns at the
        first event); whether any event came."""
        try:
            events = [self._changes.get(timeout=timeout)]
        except queue.Empty:
            return False
        while True:
            try:
                events.append(self._changes.get_nowait())
            except queue.Empty:
                break
        for kind, is_folder, path in events:
            if self._counts(kind, is_folder, path):
                changed.setdefault(path, kind)
        return True

    def _counts(self, kind: str, is_folder: bool, path: str) -> bool:
        if not relevant(self.root, path, self.partner):
            return False
        if is_folder:
            return kind != "modified"  # a file made or removed in it has an event of its own
        try:
            signature = file_version(path)
        except OSError:
            self._seen.pop(path, None)
            return True  # gone: deleted, or renamed away
        unchanged = self._seen.get(path) == signature
        self._seen[path] = signature
        # A file made, removed or renamed always counts; a "modified" one only if its bytes may differ (some
        # versions of watchdog report a change of mode or of access time as a modification).
        return kind not in ("modified", "closed") or not unchanged

    # -- which folders are watched ---------------------------------------------------------------------------
    def _reconcile_now_and_then(self) -> None:
        if time.monotonic() - self._checked >= RECONCILE:
            self._reconcile()

    def _reconcile(self) -> None:
        """Watch each folder that exists now (again, when it was replaced by a new one); forget vanished ones."""
        self._checked = time.monotonic()
        for folder, recursive in watched_folders(self.root, self.partner):
            try:
                found = os.stat(folder, follow_symlinks=False)
                identity = (found.st_dev, found.st_ino) if os.path.isdir(folder) else None
            except OSError:
                identity = None
            current = self._watches.get(folder)
            if current is not None and current[1] == identity:
                continue
            if current is not None:
                self._forget(folder)
            if identity is not None:
                try:
                    watch = self._observer.schedule(self._handler, str(folder), recursive=recursive,
                                                    event_filter=EVENTS)
                except OSError:
                    continue  # vanished in between, or out of inotify watches: tried again next time
                self._watches[folder] = (watch, identity)
                if current is not None:  # a folder replaced (a checkout): its files may all be new
                    self._changes.put(("created", True, str(folder)))

    def _forget(self, folder: Path) -> None:
        watch, _identity = self._watches.pop(folder)
        try:
            self._observer.unschedule(watch)
        except (KeyError, OSError):
            pass
