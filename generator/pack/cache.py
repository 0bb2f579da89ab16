"""Reusing a pack whose inputs have not changed, so a rebuild with nothing changed does almost no work.

A build's fingerprint hashes everything that decides its files: the request (period, campaigns, platforms,
languages, partner, strictness, Hootsuite date format), the bytes of every file under campaigns/, facts/,
templates/, assets/ and the one kit it uses in partners/, the campaign-gen package's own code and data, and
the versions of the libraries that shape the output. When the fingerprint matches the last build into the same folder, and that folder still
holds exactly the files that build wrote (a manifest of their hashes is kept), the recorded pack is returned
and nothing is rendered, drawn or written. Anything else rebuilds from scratch (cards still come from their
own cache). The records live in the workspace's `.cache/packs/` (git-ignored), one per output folder.

The records are pickles of the Pack: only campaign-gen writes them, inside the workspace whose code it runs,
so they are as trusted as generator/ itself. Nothing from a partner kit or any other input ends up there,
and inputs themselves are never unpickled (YAML is read with safe loading only).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
from dataclasses import replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import generator
from generator.pack.output import own_files
from generator.workspace import write_atomic

CACHE = Path(".cache") / "packs"
RECORD_FORMAT = 2  # bump when Pack's shape changes: older records are then ignored (2: card_keys)
# The libraries whose versions can change a pack's bytes (drawing, calendar, templates, text rules, zones).
LIBRARIES = ("pillow", "icalendar", "jinja2", "pyyaml", "emoji", "regex", "uniseg", "fonttools", "tzdata")
INPUT_FOLDERS = ("campaigns", "templates", "assets", "facts")  # what a pack reads, and what `serve` watches


def _library_versions() -> dict:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _digest_tree(hasher, folder: Path, label: str) -> None:
    """Each regular file's path and content hash, in a fixed order. Files are hashed as a stream (a large one must
    not fill the memory), and a file that cannot be read is hashed by its error: the build itself says so if it
    needs the file."""
    if not folder.is_dir():
        return
    found, entered = [], set()
    # Links to folders are followed (templates/posts may be a link: what it holds is used), each real folder
    # entered once, so a link back up the tree cannot loop.
    for parent, folders, files in os.walk(folder, followlinks=True):
        entered.add(os.path.realpath(parent))
        folders[:] = [name for name in folders if name != "__pycache__"
                      and os.path.realpath(os.path.join(parent, name)) not in entered]
        found += [Path(parent) / name for name in files]
    for path in sorted(found):
        hasher.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode("utf-8"))
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                raise OSError(0, "not a regular file")
            with path.open("rb") as handle:
                hasher.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError as err:
            hasher.update(f"unreadable: {err.strerror}".encode("utf-8"))


def input_digests(workspace, partner: str | None) -> dict:
    """The hash of each input folder a build reads (campaigns/, facts/, templates/, assets/, the one kit it
    uses) and of campaign-gen's own code: the whole pack's fingerprint is made of them, and the per-post and
    per-card records (records.py) of the ones each depends on."""
    folders = {name: workspace.root / name for name in INPUT_FOLDERS}
    if partner:  # only the kit this build uses: another kit's files are none of its business
        folders[f"partners/{partner}"] = workspace.root / "partners" / partner
    digests = {}
    for label, folder in folders.items():
        hasher = hashlib.sha256()
        _digest_tree(hasher, folder, label)
        digests[label] = hasher.hexdigest()
    settings = workspace.root / "campaign-gen.yaml"  # its own warnings are in the pack, so its bytes count
    digests["settings"] = hashlib.sha256(settings.read_bytes()).hexdigest() if settings.is_file() else ""
    digests["code"] = code_digest()
    return digests


def fingerprint(workspace, options, digests: dict | None = None) -> str:
    """The hash of everything that decides the pack's files (not where it goes, nor how many processes draw);
    `digests` are input_digests(), when the caller has them already."""
    request = {
        "format": RECORD_FORMAT,
        "period": [options.period.start.isoformat(), options.period.end.isoformat(), options.period.label],
        "campaigns": sorted(options.campaign_ids), "platforms": list(options.platforms),
        "languages": list(options.languages), "partner": options.partner, "strict": options.strict,
        "hootsuite_date_format": options.hootsuite_date_format, "media_base_url": options.media_base_url,
        "folder": options.folder_name,
        "inputs": digests if digests is not None else input_digests(workspace, options.partner),
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)  # the code does not change under a running build
def code_digest() -> str:
    """The hash of campaign-gen's own code and data and of the library versions that shape its output: two runs
    with the same digest write the same bytes from the same inputs (a sharded build's shards must agree on it).
    Computed once per process."""
    hasher = hashlib.sha256(json.dumps({"format": RECORD_FORMAT, "version": generator.__version__,
                                        "libraries": _library_versions()}, sort_keys=True).encode("utf-8"))
    _digest_tree(hasher, Path(generator.__file__).resolve().parent, "generator")
    return hasher.hexdigest()


def manifest(folder: Path) -> dict:
    """Every file of the pack folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in own_files(folder)}


def _record_path(workspace, target: Path) -> Path:
    key = hashlib.sha256(str(Path(target).resolve()).encode("utf-8")).hexdigest()[:32]
    return workspace.root / CACHE / f"{key}.pickle"


def reuse(workspace, options, target: Path, fingerprint_value: str):
    """The recorded Pack when `target` was built from the same inputs and is untouched since, else None."""
    try:
        record = pickle.loads(_record_path(workspace, target).read_bytes())
    except Exception:  # noqa: BLE001 - a damaged record (any bytes at all) means a build, never a crash
        return None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        return None
    if record.get("fingerprint") != fingerprint_value or not target.is_dir():
        return None
    if manifest(target) != record.get("manifest"):
        return None
    return replace(record["pack"], options=options, folder=target, drawn_cards=(), zip_path=None)


def forget(workspace, target: Path) -> None:
    """Remove the record of the output folder `target` (one about to vanish, as a `serve` session's)."""
    try:
        _record_path(workspace, target).unlink(missing_ok=True)
    except OSError:
        pass


def remember(workspace, pack, fingerprint_value: str) -> None:
    """Record `pack` (just written) for the next build into the same folder. A failure to record is harmless."""
    path = _record_path(workspace, pack.folder)
    data = pickle.dumps({"format": RECORD_FORMAT, "fingerprint": fingerprint_value,
                         "manifest": manifest(pack.folder), "pack": replace(pack, zip_path=None)})
    try:
        write_atomic(path, data)
    except OSError:
        pass
