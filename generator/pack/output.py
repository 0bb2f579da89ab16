"""The output transaction of a pack: check the target, build in a staging folder beside it, swap it into
place, and (optionally) zip it.

A pack is built in a temporary folder beside `out/<label>/` and renamed into place, so a failed or
interrupted build leaves the previous pack as it was; the old pack is removed only once the new one is in.
The zip is byte-identical for identical content.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from generator.workspace import temporary_folder, write_atomic
from generator.errors import OutputError

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time in the archive
NETWORK_FOLDER = "partners"  # inside a pack: the partner kits' packs of a network build (network.py)
# `.<label>.<process id>.<random>.building`: the process id tells a killed build's folder from a running one's.
_STAGING = re.compile(r"^\..+\.(\d+)\.[^.]+\.building\Z")


def check_output(out_dir: Path, target: Path, shown, want_zip: bool) -> None:
    """The output folder must be a writable folder (or creatable); checked before any work is done."""
    for folder in (out_dir, *out_dir.parents):
        if not folder.exists():
            continue
        if not folder.is_dir():
            if folder == out_dir:
                raise OutputError(f"output folder '{shown(out_dir)}' is a file, not a folder")
            raise OutputError(f"output folder '{shown(out_dir)}' cannot be created: '{shown(folder)}' is a file")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"output folder '{shown(folder)}' is not writable")
        break
    if target.exists() and not target.is_dir():
        raise OutputError(f"'{shown(target)}' is a file; remove it or choose another --out")
    zip_target = target.with_name(target.name + ".zip")
    if want_zip and zip_target.is_dir():
        raise OutputError(f"'{shown(zip_target)}' is a folder; remove it or choose another --out")


def make_staging(out_dir: Path, label: str, shown) -> Path:
    """The temporary folder the pack is built in, beside its final place (so the rename stays on one disk)."""
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(out_dir)
        return temporary_folder(out_dir, f".{label}.{os.getpid()}.", ".building")
    except OSError as err:
        if created and out_dir.is_dir():
            shutil.rmtree(out_dir, ignore_errors=True)  # nothing written: not even an empty folder
        raise OutputError(f"output folder '{shown(out_dir)}' is not writable ({err.strerror})") from err


def remove_abandoned_staging(out_dir: Path) -> None:
    """Remove the staging folders of builds that were killed (each about 25 MB of cards): those whose process
    has ended. A build still running, here or in another terminal, keeps its folder."""
    for folder in out_dir.iterdir():
        match = _STAGING.match(folder.name)
        if match and folder.is_dir() and not folder.is_symlink() and not _running(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if os.name == "nt":
        return True  # Windows' os.kill ends the process whatever the signal: keep the folder rather than ask
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def own_files(folder: Path) -> list[Path]:
    """The pack's own files, sorted: the partner packs a network build keeps in `partners/` are each a pack of
    their own, with their own zip and record."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).parts[0] != NETWORK_FOLDER)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging`. The old pack is moved aside first and removed only once the new one is in.
    The partner packs of a network build (`partners/`, each written and recorded on its own) move into the new
    pack: rebuilding the workspace's pack never loses them."""
    if not target.exists():
        os.replace(staging, target)
        return
    kits = target / NETWORK_FOLDER
    if kits.is_dir() and not kits.is_symlink() and not (staging / NETWORK_FOLDER).exists():
        os.replace(kits, staging / NETWORK_FOLDER)
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, retired / target.name)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired / target.name, target)  # put the previous pack back
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def remove_stale_zip(zip_path: Path) -> None:
    """A build without --zip removes the zip of an earlier build of the same folder: a zip beside a pack is
    always that pack's."""
    if zip_path.is_file():
        zip_path.unlink()


def write_zip(folder: Path, zip_path: Path) -> Path:
    """A zip of `folder` that is byte-identical for identical content: sorted entries, fixed times and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in own_files(folder):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    write_atomic(zip_path, buffer.getvalue())
    return zip_path


