"""How a drawn card is stored: PNG, with a palette where the card is flat and its main colours survive exactly."""

from __future__ import annotations

import io
import itertools

from PIL import Image

# zlib level 6 (zlib's own default: good size for the time); no optimize pass, no metadata chunks: the same
# pixels always give the same bytes.
PNG_SETTINGS = {"format": "PNG", "compress_level": 6, "optimize": False}
# A palette card is a third of an RGB one's bytes already: zlib level 3 keeps it well under the peer's size
# (about 20% more bytes than level 6) for well under half the time (benchmarks/cards.py --peer).
PALETTE_PNG_SETTINGS = {**PNG_SETTINGS, "compress_level": 3}
PALETTE_SIZE = 256  # colours of a flat card's PNG palette
# More distinct colours than this and a card is not flat (text antialiasing on a few flat colours gives one to two
# thousand). The bound matters for speed too: getcolors sizes its table by it, and a table for every pixel of the
# card costs more than the counting.
FLAT_CARD_COLOURS = 16_384
MAIN_COLOUR_SHARE = 0.001  # of the pixels: a colour this common must come out of the palette exactly


def encode_png(image: Image.Image, palette: bool = False) -> bytes:
    """The card as PNG. A flat card (`palette`: solid colours, text, logos) is stored with a palette of its most
    used colours when every main colour comes out exact (checked, else RGB): only rare antialiasing shades at
    the edges of letters move to the nearest kept colour (about 1 level in 255 on average). That is about 40% of
    the bytes, and quicker to compress. Gradients, photos and emoji stay RGB, where a palette would band."""
    indexed = _exact_palette(image) if palette else None
    buffer = io.BytesIO()
    if indexed is not None:
        indexed.save(buffer, **PALETTE_PNG_SETTINGS)
    else:
        image.save(buffer, **PNG_SETTINGS)
    return buffer.getvalue()


def _exact_palette(image: Image.Image) -> Image.Image | None:
    """`image` with a palette, or None when Pillow's mapping would move one of its main colours (any colour on
    at least 0.1% of the pixels: backgrounds, panels, text, the logos' own colours), which must stay exact."""
    counted = image.getcolors(maxcolors=FLAT_CARD_COLOURS)
    if counted is None:  # not flat after all: a palette would band
        return None
    counted.sort(reverse=True)  # most used first
    least = MAIN_COLOUR_SHARE * image.width * image.height
    main = [colour for count, colour in itertools.takewhile(lambda item: item[0] >= least, counted)]
    palette = _most_used_colours(counted, main)
    # Pillow maps each pixel on its own (no dithering): the main colours alone, mapped as a row of pixels, come
    # out as they would in the card, at a fraction of the cost of mapping the card and counting it again.
    row = Image.new("RGB", (len(main), 1))
    row.putdata(main)
    if row.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB").tobytes() != row.tobytes():
        return None
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


def _most_used_colours(counted: list, main: list) -> Image.Image:
    """A palette image holding the most used colours (`counted`: Image.getcolors, most used first), chosen so that Pillow maps each
    `main` colour to itself. Pillow finds a pixel's entry through cells of 4 x 4 x 4 levels, taking the entry
    nearest the cell's lowest corner: so at most one colour is kept in each cell, and a rarer shade nearer a main
    colour's corner than the main colour itself (253,251,251 beside white) is left out, or it would take that
    colour's pixels."""
    corners = {}  # the cell of each main colour's corner -> [(corner, squared distance of the colour to it)]
    for colour in main:
        corner = tuple(channel & ~3 for channel in colour)
        reach = sum((a - b) ** 2 for a, b in zip(colour, corner))  # at most 27: 3 levels on each channel
        corners.setdefault(tuple(channel >> 2 for channel in corner), []).append((corner, reach))
    # A colour can be as near a corner as a main colour (within 27, so 5 levels on a channel) only from that
    # corner's cell, the one above it, or the two below it.
    beside = {}
    for (r, g, b), entries in corners.items():
        for dr in (-2, -1, 0, 1):
            for dg in (-2, -1, 0, 1):
                for db in (-2, -1, 0, 1):
                    beside.setdefault((r + dr, g + dg, b + db), []).extend(entries)
    main = set(main)
    kept, cells = [], set()
    for _, colour in counted:
        cell = (colour[0] >> 2, colour[1] >> 2, colour[2] >> 2)
        if cell in cells:
            continue
        if cell in beside and colour not in main and any(
                sum((a - b) ** 2 for a, b in zip(colour, corner)) <= reach for corner, reach in beside[cell]):
            continue
        cells.add(cell)
        kept.append(colour)
        if len(kept) == PALETTE_SIZE:
            break
    flat = [channel for colour in kept for channel in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0] * (3 * PALETTE_SIZE - len(flat)))
    return palette
