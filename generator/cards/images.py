"""Images on cards (logos, backgrounds): checked before they are decoded, then scaled into their box.

Partner kits come from outside the organisation, so an image file is never trusted: its header is read
first and a bitmap that would decompress to more than MAX_IMAGE_PIXELS is refused (a "decompression bomb"),
and a missing, unreadable or corrupt file is a one-line error naming the file (and the line that named it).
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.errors import InputFileError, Location
from generator.workspace import Kept, file_version

# 40 megapixels: far above any logo or card background (a 1080x1920 story is 2 MP), far below what would
# exhaust a worker's memory (RGBA: 160 MB). Pillow's own default warns at 89 MP and refuses at 179 MP.
MAX_IMAGE_PIXELS = 40_000_000
_CHECKED: dict = {}  # file version -> (width, height), for check_image
KEPT_IMAGES = 32  # scaled images an ImageCache keeps: the logos and photos of a few layouts and formats
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow then refuses bigger ones too, whatever opens them


def _where(display: str, location: Location | None) -> tuple[Location, str]:
    """Errors name the file that mentions the image when known (campaign line), else the image itself."""
    if location is not None:
        return location, f"{display}: "
    return Location(display), ""


def check_image(path: Path, display: str, location: Location | None = None) -> tuple[int, int]:
    """Read only the header: the file exists, is an image, and is not too big to decode. Returns its size. A
    version of a file that passed is not checked again in this process (a logo is on every card)."""
    try:
        version = file_version(path)
    except OSError:
        version = None  # reported below, by the check itself
    if version in _CHECKED:
        return _CHECKED[version]
    where, prefix = _where(display, location)
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; the size check below refuses it with its size.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header only
                width, height = image.size
    except FileNotFoundError as err:
        raise InputFileError(f"{prefix}image file not found", where) from err
    except Image.DecompressionBombError as err:  # over twice the limit: Pillow refuses it in open()
        raise InputFileError(f"{prefix}image is too large to decode safely (over {2 * MAX_IMAGE_PIXELS:,} pixels; "
                             f"the limit is {MAX_IMAGE_PIXELS:,})", where) from err
    except UnidentifiedImageError as err:
        raise InputFileError(f"{prefix}not an image Pillow can read (PNG, JPEG, WebP, GIF)", where) from err
    except OSError as err:
        raise InputFileError(f"{prefix}cannot read the image: {err.strerror or err}", where) from err
    if width * height > MAX_IMAGE_PIXELS:
        raise InputFileError(
            f"{prefix}image is {width}x{height} ({width * height:,} pixels); the limit is {MAX_IMAGE_PIXELS:,}", where)
    try:  # a size known to be safe: now check the data itself, so a truncated file is named here, with its place
        with Image.open(path) as image:
            image.verify()
    except Exception as err:  # noqa: BLE001 - Pillow raises several kinds for damaged data
        raise InputFileError(f"{prefix}the image is corrupt or truncated", where) from err
    if version is not None:
        _CHECKED[version] = (width, height)
    return width, height


def file_digest(path: Path) -> str:
    with Path(path).open("rb") as handle:  # as a stream: a large picture is not read into memory to be hashed
        return hashlib.file_digest(handle, "sha256").hexdigest()


class ImageCache:
    """Decoded, scaled images of one process, keyed by the file's version, target size and fit: a logo is decoded
    once per worker, not once per card, and again once it is saved anew (`serve` keeps its workers while a
    partner edits the logo). The least recently used go first past KEPT_IMAGES."""

    def __init__(self):
        self._scaled = Kept(KEPT_IMAGES)

    def scaled(self, path: str, display: str, size: tuple[int, int], fit: str) -> Image.Image:
        try:
            version = file_version(path)
        except OSError:
            version = path  # load_image reports it
        return self._scaled.get((version, size, fit), lambda: scale_image(load_image(Path(path), display), size, fit))


def load_image(path: Path, display: str, location: Location | None = None) -> Image.Image:
    """Decode an image after its header check, as RGBA."""
    check_image(path, display, location)
    where, prefix = _where(display, location)
    try:
        with Image.open(path) as image:
            image.load()
            return image.convert("RGBA")
    except (OSError, SyntaxError, ValueError) as err:  # truncated or corrupt data inside a valid header
        raise InputFileError(f"{prefix}the image is corrupt or truncated ({err})", where) from err


def scale_image(image: Image.Image, size: tuple[int, int], fit: str) -> Image.Image:
    """`contain`: the whole image inside the box, aspect kept; `cover`: the box filled, overflow cropped."""
    box_w, box_h = size
    ratio = (min if fit == "contain" else max)(box_w / image.width, box_h / image.height)
    target = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    scaled = image.resize(target, Image.Resampling.LANCZOS)
    if fit == "cover":
        left, top = (scaled.width - box_w) // 2, (scaled.height - box_h) // 2
        scaled = scaled.crop((left, top, left + box_w, top + box_h))
    return scaled
