"""One `serve` session: a temporary folder, the server, the watcher, and the build loop that ties them.

    with ServeSession(workspace, options, "127.0.0.1", 8000, report) as session:
        session.run()   # builds, then rebuilds on every save, until Ctrl-C or SIGTERM (KeyboardInterrupt)

The pack is built by build_pack_for_kit (the same build as `campaign-gen build`, a kit's in its own process)
into a folder made by tempfile outside the workspace (in memory where the system has room: temporary_base), and
swapped into place there, so a page never sees half a pack. The pages are told as soon as the page and its cards
are whole in the staging folder (build_pack's `previewed`; the server answers the pack's other files once the
folder is in place, `written`), before the build writes the pack's record, which no page needs. The workspace is only
read, except for the caches every build keeps in its `.cache/` (drawn cards, rendered posts): that is what makes
a rebuild after a one-message edit quick, with what the session keeps in its process besides (the records it
read, each post's preview markup and calendar event, the schedules: see docs/serve.md, "How quick"). The record
of the last pack (`.cache/packs/`), which names this session's temporary folder and could never be used again,
is removed at the end.

An input error does not end the session: its lines (the very lines `build` prints) go to the report and to the
pages, in place of the pack, until a save fixes it. Leaving the `with` block, however it is left, stops the
watcher, the server and the card workers the session keeps (cards/pool.py, keep_workers), each after the card
it is drawing, and removes the temporary folder.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from generator import console
from generator.cards import pool as card_pool
from generator.errors import CampaignGenError, UsageError
from generator.pack import cache, records
from generator.pack.build import build_pack_for_kit
from generator.pack.model import Pack, PackOptions
from generator.serve.server import PreviewServer, Shown, is_loopback
from generator.serve.watcher import INPUT_FOLDERS, SETTINGS_FILE, Watcher
from generator.workspace import Workspace

TEMPORARY_PREFIX = "campaign-gen-serve-"
MEMORY_FOLDER_ROOM = 1 << 30  # a folder in memory is used for the pack when it has at least this much free


@dataclass(frozen=True)
class Outcome:
    """One build of the session: its pack, or the lines of the error that stopped it; how long it took."""

    pack: Pack | None
    error: list[str] | None
    seconds: float
    changed: tuple[str, ...] = ()  # the files whose save caused it, relative to the workspace (none: the first)


class ServeSession:
    """Serves `options`' pack of `workspace` on host:port and rebuilds it on every save.

    `report(outcome)` is called after each build (in the thread that calls run()); a library never prints."""

    def __init__(self, workspace: Workspace, options: PackOptions, host: str, port: int, report=None):
        self.workspace = workspace
        self.host, self.port = host, port
        self.report = report or (lambda outcome: None)
        self.temporary: Path | None = None
        self.options = options
        self.shown: Shown | None = None
        self.server: PreviewServer | None = None
        self.watcher: Watcher | None = None

    # -- the session's life ----------------------------------------------------------------------------------
    def __enter__(self) -> ServeSession:
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        """Make the temporary folder, bind the server (a port in use is a usage error) and start watching."""
        self.temporary = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX, dir=temporary_base())).resolve()
        root = self.workspace.root.resolve()
        if self.temporary == root or root in self.temporary.parents:
            raise UsageError(f"the temporary folder '{self.temporary}' is inside the workspace: set TMPDIR to a "
                             "folder outside it")
        self.options = replace(self.options, out_dir=self.temporary, zip=False)
        self.shown = Shown(self.temporary / self.options.folder_name)
        try:
            self.server = PreviewServer(self.shown, self.host, self.port)
        except OSError as err:
            raise _bind_error(self.host, self.port, err) from err
        self.watcher = Watcher(self.workspace.root, self.options.partner)
        self.watcher.start()
        self.server.start()
        records.keep_in_process(True)  # every build after a save reads the same hundreds of records
        if not self.options.partner:  # a kit's pack is built in a process of its own, with its own pool
            card_pool.keep_workers(self.options.jobs)  # a save's few cards drawn on every core, no pool to start

    def close(self) -> None:
        """Stop watching and serving, remove the temporary folder and this session's pack record."""
        records.keep_in_process(False)
        card_pool.release_workers()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.temporary is not None:
            if self.shown is not None:
                cache.forget(self.workspace, self.shown.folder)
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None

    # -- building ----------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.server.url

    @property
    def watched(self) -> list[str]:
        """What the session watches, as a person reads it."""
        names = [f"{name}/" for name in INPUT_FOLDERS] + [SETTINGS_FILE]
        if self.options.partner:
            names.append(f"partners/{self.options.partner}/")
        return names

    def build(self, changed: tuple[str, ...] = ()) -> Outcome:
        """Build the pack once and show the result: the new pack, or the error panel in its place."""
        started = time.perf_counter()
        pack, error, told = None, None, []

        def previewed(done: Pack, staging: Path) -> None:  # the page and all it shows are written: told now
            self.shown.preview(staging, done.card_keys)
            told.append(done)

        def written(done: Pack) -> None:  # in place, before the pack's record (hashing every file) is written
            if told:
                self.shown.settle()  # the other files of the page shown already are answered from now on
            else:
                self.shown.publish(None, done.card_keys)
            told.append(done)

        try:
            pack = build_pack_for_kit(self.workspace, self.options, written=written, previewed=previewed)
        except CampaignGenError as err:
            error = console.error_lines(err)
        except OSError as err:  # a file that vanished mid-build, a full disk: the system's words, with the file
            error = [console.error_line(self.workspace.display(err.filename) if err.filename else "",
                                        str(err.strerror or err))]
        except Exception as err:  # noqa: BLE001 - a bug must not end the session either: it is shown, and said
            error = [console.error_line("", f"the build failed unexpectedly ({type(err).__name__}: {err}); "
                                            "please report it")]
        if error is not None or not told:  # failed, a kit's pack, or one reused as it was: shown now
            self.shown.publish(error, pack.card_keys if pack is not None else {})
        outcome = Outcome(pack, error, time.perf_counter() - started, changed)
        self.report(outcome)
        return outcome

    def rebuild_on_change(self, timeout: float) -> Outcome | None:
        """Wait up to `timeout` seconds for a save; build after it. None when nothing changed."""
        changed = self.watcher.wait(timeout)
        if not changed:
            return None
        return self.build(tuple(self.workspace.display(path) for path in changed))

    def run(self) -> None:
        """The first build, then a build after every save, until interrupted."""
        self.build()
        # What the first build loaded (modules, fonts, templates, the campaigns: most of this process) lives as
        # long as the session: set aside from the garbage collector, whose full collections scanned it all
        # again in the middle of a rebuild (0.08 s each, profiled). Only what later builds make is scanned.
        # No gc.collect() first: it runs finalizers, and a SIGTERM arriving in one was swallowed (the session
        # then never stopped); the little garbage frozen with the rest is never freed, once.
        gc.freeze()
        while True:
            self.rebuild_on_change(3600)


def temporary_base() -> str | None:
    """Where the temporary folder goes: $TMPDIR when set; else a folder in memory (tmpfs) when the system has
    one with room ($XDG_RUNTIME_DIR, /dev/shm), since a pack is hundreds of files rewritten on every save and
    a disk's journal makes that several times slower; else the system's temporary folder (None)."""
    if os.environ.get("TMPDIR"):
        return None
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if not candidate or not os.path.isdir(candidate) or not os.access(candidate, os.W_OK | os.X_OK):
            continue
        try:
            room = os.statvfs(candidate)
        except OSError:
            continue
        if room.f_bavail * room.f_frsize >= MEMORY_FOLDER_ROOM:
            return candidate
    return None


def _bind_error(host: str, port: int, err: OSError) -> UsageError:
    if err.errno == errno.EADDRINUSE:
        return UsageError(f"port {port} is in use on {host}: give another with --port")
    if err.errno == errno.EACCES:
        return UsageError(f"port {port} on {host} needs privileges: give one above 1023 with --port")
    return UsageError(f"cannot serve on {host}:{port}: {err.strerror or err}")


__all__ = ["ServeSession", "Outcome", "is_loopback", "TEMPORARY_PREFIX"]
