"""Drawing cards: one in this process (render_card), or many in a pool of worker processes (render_cards).

Only cards whose content hash is not in the cache are drawn; the workers load the fonts once each, not once
per card. A card that cannot be drawn writes nothing.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from generator.workspace import write_atomic
from generator.cards.cache import CardCache, card_key
from generator.cards.draw import CardSpec, render_spec
from generator.cards.fonts import FONT_DIR, folder_for, library
from generator.cards.images import ImageCache
from generator.cards.request import CardRequest, CardResult
from generator.cards.resolve import Resolver
from generator.errors import Problem, Severity

_worker_images: ImageCache | None = None
PARENT_CHECK_SECONDS = 1.0
# Starting a pool (forking, each worker loading the fonts) costs about as much as drawing six cards here: fewer
# are drawn in this process, whose fonts are loaded already (a one-message edit redraws a handful).
IN_PROCESS_BATCH = 6
# A `serve` session draws a handful of cards after every save: it keeps one pool for its life (keep_workers), its
# workers forked and their fonts loaded already, so that handful is drawn on every core. "pid": the process that
# keeps them (a kit's build forked from it has a pool of its own), "jobs", and "pool" once started.
_kept: dict = {}


def _start_worker(font_folder: str) -> None:
    """Runs once in each pool worker process: watch the parent, then load the fonts. SIGTERM ends a worker at
    once and quietly (the default), not by the parent's handler it was forked with, which turns SIGTERM into a
    clean-up a worker has no part in: `kill` of the whole process group printed a traceback per worker."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="parent-watch").start()
    _init_worker(font_folder)


def _start_kept_worker(font_folder: str) -> None:
    """A kept worker leaves Ctrl-C to its parent, which stops the pool (release_workers) once the card at hand is
    done: a worker killed by it while idle would only print a traceback in the person's terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _start_worker(font_folder)


def _exit_when_orphaned(parent: int) -> None:
    """A killed build (kill -9, a closed terminal) cannot shut its pool down: its workers would go on drawing
    for nobody. An orphan is re-parented, so a changed parent id means the build is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _init_worker(font_folder: str) -> None:
    """Runs once in each pool worker: fonts are loaded here, not once per card."""
    global _worker_images
    library(font_folder)
    _worker_images = ImageCache()


def _draw(spec: CardSpec, font_folder: str) -> tuple[bytes | None, list]:
    if _worker_images is None:
        _init_worker(font_folder)
    return render_spec(spec, library(font_folder), _worker_images)


def _draw_to_files(spec: CardSpec, font_folder: str, key: str, target: str, cache_dir: str | None,
                   staging: bool = False) -> list:
    png, problems = _draw(spec, font_folder)
    dicts = [p.as_dict() for p in problems]
    # A card that cannot be drawn writes nothing: a pack is built in a new folder, so no older picture can
    # linger there, and a file a person already has at `card -o` is not theirs to lose because of our error.
    if png is not None:
        _write(Path(target), png, staging)
        if cache_dir is not None:
            CardCache(Path(cache_dir)).put(key, png, dicts, spec.label)
    return dicts


def render_card(request: CardRequest, cache_dir: Path | None = None) -> CardResult:
    """Draw one card in this process; `png` holds the image (None when an error forbids drawing)."""
    resolver = Resolver()
    resolved = resolver.resolve(request)
    folder = folder_for(request.workspace)
    key = card_key(resolved.spec, library(folder).digest, resolver.digests)
    result = CardResult(resolved.name, resolved.alt_text, list(resolved.problems), key,
                        alt_text_problems=resolved.alt_text_problems)
    cache = CardCache(cache_dir) if cache_dir else None
    hit = cache.get(key, resolved.spec.label) if cache else None
    if hit is not None:
        result.png, result.cached = hit[0].read_bytes(), True
        result.problems += [_problem(d) for d in hit[1]]
        return result
    result.png, drawn = _draw(resolved.spec, folder)
    if cache and result.png is not None:
        cache.put(key, result.png, [p.as_dict() for p in drawn], resolved.spec.label)
    result.problems += drawn
    return result


def render_cards(requests, out_dir: Path, jobs: int | None = None, cache_dir: Path | None = None,
                 memo=None, staging: bool = False) -> list[CardResult]:
    """Write `<name>.png` and `<name>.alt.txt` for each request into `out_dir`; cached cards are copied.
    `staging`: `out_dir` is a new folder that appears whole or not at all (a pack's), so each file is simply
    written, without a temporary file of its own.

    `memo` (optional) remembers what resolving a request gave, under a key of the caller's (pack/records.py):
    `memo.lookup(request)` returns the record (with every key `store` was given) or None,
    `memo.store(request, record)` keeps one. A request it knows whose picture is in the cache is neither
    resolved nor drawn, only copied."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = CardCache(cache_dir) if cache_dir else None
    resolver = Resolver()
    results: list[CardResult] = []
    pending = []  # (result, spec, folder)
    for request in requests:
        known = memo.lookup(request) if memo is not None and cache is not None else None
        hit = cache.get(known["key"], known["label"]) if known is not None else None
        if hit is not None:
            result = CardResult(known["name"], known["alt_text"],
                                resolver.warnings_once(request) + [_problem(d) for d in known["problems"]],
                                known["key"], path=out_dir / f"{known['name']}.png",
                                alt_text_problems={name: _problem(d) for name, d in known["alt"].items()})
        else:
            resolved = resolver.resolve(request)
            folder = folder_for(request.workspace)
            key = card_key(resolved.spec, library(folder).digest, resolver.digests)
            result = CardResult(resolved.name, resolved.alt_text, list(resolved.problems), key,
                                path=out_dir / f"{resolved.name}.png", alt_text_problems=resolved.alt_text_problems)
            if memo is not None:
                memo.store(request, {
                    "name": resolved.name, "alt_text": resolved.alt_text, "key": key, "label": resolved.spec.label,
                    "problems": [p.as_dict() for p in resolved.problems[resolved.layout_warnings:]],
                    "alt": {name: p.as_dict() for name, p in resolved.alt_text_problems.items()}})
            hit = cache.get(key, resolved.spec.label) if cache else None
            if hit is None:
                pending.append((result, resolved.spec, folder))
        _write(out_dir / f"{result.name}.alt.txt", (result.alt_text + "\n").encode("utf-8"), staging)
        if hit is not None:
            _write(result.path, hit[0].read_bytes(), staging)
            result.problems += [_problem(d) for d in hit[1]]
            result.cached = True
        results.append(result)
    _draw_pending(pending, jobs, str(cache.folder) if cache else None, staging)
    return results


def _write(path: Path, data: bytes, staging: bool) -> None:
    """A file inside a staging folder is written as it is (the folder is swapped into place whole); anywhere
    else it is written atomically, so a person's file is never left half written."""
    if staging:
        path.write_bytes(data)
    else:
        write_atomic(path, data)


def keep_workers(jobs: int | None) -> None:
    """From now on this process draws with one pool of workers, kept until release_workers() (`serve`)."""
    release_workers()
    _kept.update(pid=os.getpid(), jobs=_job_count(jobs))


def release_workers() -> None:
    """Stop the kept workers, if any (they are waited for: none is left behind)."""
    pool = _kept.get("pool")
    _kept.clear()
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _job_count(jobs: int | None) -> int:
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, cores))  # `--jobs 1000` must not start a thousand processes


def _kept_pool(initial: str) -> ProcessPoolExecutor | None:
    if _kept.get("pid") != os.getpid():
        return None  # no pool kept, or kept by the process this one was forked from
    if "pool" not in _kept:
        _kept["pool"] = ProcessPoolExecutor(max_workers=_kept["jobs"], initializer=_start_kept_worker,
                                            initargs=(initial,))
    return _kept["pool"]


def _draw_pending(pending: list, jobs: int | None, cache_dir: str | None, staging: bool) -> None:
    jobs = _job_count(jobs)
    arguments = [(spec, folder, result.cache_key, str(result.path), cache_dir, staging)
                 for result, spec, folder in pending]
    folders = {folder for _, _, folder in pending}
    initial = folders.pop() if len(folders) == 1 else str(FONT_DIR)
    kept = _kept_pool(initial) if jobs > 1 and len(pending) > 1 else None
    if kept is not None:
        try:
            outcomes = list(kept.map(_draw_to_files, *zip(*arguments), chunksize=_chunk(pending, jobs)))
        except BrokenProcessPool:
            keep_workers(_kept["jobs"])  # a worker died (killed, out of memory): the next build starts a new pool
            raise
    elif jobs == 1 or len(pending) <= IN_PROCESS_BATCH:
        outcomes = [_draw_to_files(*args) for args in arguments]
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), initializer=_start_worker,
                                 initargs=(initial,)) as pool:
            outcomes = list(pool.map(_draw_to_files, *zip(*arguments), chunksize=_chunk(pending, jobs)))
    for (result, _spec, _folder), dicts in zip(pending, outcomes):
        result.problems += [_problem(d) for d in dicts]
        if not result.path.is_file():
            result.path = None


def _chunk(pending: list, jobs: int) -> int:
    return max(1, len(pending) // (jobs * 4))


def _problem(data: dict) -> Problem:
    """A problem as it comes back from a worker or the cache (a plain dict)."""
    return Problem(Severity(data["severity"]), data["code"], data["message"], data["where"])
