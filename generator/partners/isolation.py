"""Running whatever a partner kit drives (a build, a check) in a worker process of its own, under limits that
the operating system enforces.

The Jinja sandbox is the first line of defence, but its limits are per render: a template just under them,
rendered for every post of a year, still makes a build of hours, and a leak in a library it calls is not
the sandbox's to see. So the whole job runs in a forked child with

- processor time capped by RLIMIT_CPU (the kernel sends SIGXCPU, which ends the child),
- address space capped by RLIMIT_AS (an allocation past it fails with MemoryError),
- open files capped by RLIMIT_NOFILE,
- and the wall-clock time of the whole job watched by this process, which kills the child past it.

The error names the kit and the limit; the caller, and any other kit's job, go on. Card workers started by the
child inherit the limits, and exit on their own when the child is killed (cards/pool.py). Where fork or
setrlimit are missing (Windows; macOS does not enforce RLIMIT_AS) the job runs in this process with the
sandbox alone, as docs/partners.md says.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from generator.errors import CampaignGenError, Location

try:
    import resource
except ImportError:  # Windows
    resource = None


@dataclass(frozen=True)
class KitLimits:
    cpu_seconds: int = 600
    memory_mb: int = 4096
    open_files: int = 1024
    wall_seconds: int = 900


# What campaign-gen.yaml may set (`kit_limits:`): below the low end a normal build cannot finish; above the high
# end the limit protects nothing.
LIMIT_BOUNDS = {"cpu_seconds": (10, 7200), "memory_mb": (512, 65536), "open_files": (64, 65536),
                "wall_seconds": (10, 7200)}
SETTING = "kit_limits in campaign-gen.yaml"


class KitStopped(CampaignGenError):
    """Raised when a kit's job went past one of its limits and was stopped."""


def can_isolate() -> bool:
    return resource is not None and sys.platform.startswith("linux")


def run_for_kit(kit_id: str | None, limits: KitLimits, function, *args, **kwargs):
    """`function(*args, **kwargs)` in a child process under `limits`: its result, or its exception raised
    here, or KitStopped naming the kit and the limit it went past. Without a kit, simply called here."""
    if kit_id is None or not can_isolate():
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")  # the job's arguments (a progress callback too) need no pickling
    receiver, sender = context.Pipe(duplex=False)
    # Not a daemon: daemonic processes may not start the card workers.
    child = context.Process(target=_run_child, args=(sender, limits, function, args, kwargs), name=f"kit-{kit_id}")
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.wall_seconds):
            _stop(child, signal.SIGKILL)
            raise _stopped(kit_id, f"took longer than {limits.wall_seconds} s (wall_seconds)")
        try:
            kind, value = receiver.recv()
        except EOFError:  # the child ended without a word: killed by a signal
            child.join()
            raise _death(kit_id, limits, child.exitcode) from None
        child.join()
    except BaseException:  # Ctrl-C or SIGTERM here: let the child clean its staging folder, then make sure
        _stop(child, signal.SIGTERM)
        raise
    finally:
        receiver.close()
    if kind == "ok":
        return value
    if kind == "memory":
        raise _stopped(kit_id, f"needed more than {limits.memory_mb} MB of memory (memory_mb)")
    if kind == "files":
        raise _stopped(kit_id, f"opened more than {limits.open_files} files at once (open_files)")
    if kind == "worker":  # a card worker of the kit's job ended by a signal: its limits are the kit's
        raise _stopped(kit_id, f"lost a card worker, ended by the system: most likely past cpu_seconds "
                               f"({limits.cpu_seconds} s) or memory_mb ({limits.memory_mb} MB)")
    if not isinstance(value, CampaignGenError):  # whatever else a kit made fail is that kit's failure, in words
        raise CampaignGenError(f"the kit's job failed: {type(value).__name__}: {value}", Location(f"partners/{kit_id}"))
    raise value


def _run_child(sender, limits: KitLimits, function, args, kwargs) -> None:
    _apply(limits)
    try:
        outcome = ("ok", function(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except OSError as err:
        outcome = ("files", None) if err.errno == errno.EMFILE else ("raise", err)
    except BrokenProcessPool:
        outcome = ("worker", None)
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        outcome = ("raise", err)
    try:
        sender.send(outcome)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its words go back instead
        sender.send(("raise", CampaignGenError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    sender.close()


def _apply(limits: KitLimits) -> None:
    _lower(resource.RLIMIT_AS, limits.memory_mb << 20)
    _lower(resource.RLIMIT_NOFILE, limits.open_files)
    _lower(resource.RLIMIT_CPU, limits.cpu_seconds)  # past it, SIGXCPU ends the child and names the limit


def _lower(kind: int, value: int) -> None:
    """The soft limit set to `value` (never above the hard limit the system gives)."""
    _soft, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _stop(child, signum: int) -> None:
    if child.is_alive():
        os.kill(child.pid, signum)
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


def _death(kit_id: str, limits: KitLimits, exit_code: int | None) -> KitStopped:
    if exit_code == -signal.SIGXCPU:
        return _stopped(kit_id, f"used more than {limits.cpu_seconds} s of processor time (cpu_seconds)")
    return _stopped(kit_id, f"ended unexpectedly (exit code {exit_code}); the system may have run out of memory")


def _stopped(kit_id: str, what: str) -> KitStopped:
    return KitStopped(f"the kit's job {what} and was stopped; the limit is set by {SETTING}",
                      Location(f"partners/{kit_id}"))
