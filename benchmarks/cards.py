"""Card rendering speed, size and memory (a script, not a test).

    .venv/bin/python benchmarks/cards.py [--cards 240] [--peer [--rounds 5]] [--memory-cards 2000]

Renders a fixed set of cards (the shipped campaigns' messages x languages x formats x layouts, at least 200),
on one core so the figures compare:

  cold   render_cards with an empty cache: resolve, fit, check contrast, draw, encode, write PNG + alt text;
  warm   the same again with the cache filled (nothing changed): every card comes from the cache (the
         fastest of three runs, each into a new folder);
  floor  the same cards drawn by plain Pillow code written here, independent of generator.cards.draw: the
         texts as `card --explain` fitted them (lines, sizes, boxes) drawn with ImageDraw.text in the same
         fonts, panels as rectangles, logos and photos with Image.paste, gradients, scrims and shapes with
         Pillow's own primitives; each card stored as the renderer stored it (palette or RGB PNG, the same
         PNG settings; the palette from Pillow's fastest quantiser). Only the drawing, the encoding and the
         file write are timed: the floor is what drawing these cards costs at least, without layout work.

With --peer, side by side with mkdocs-material's social plugin (installed from the package index into its own
venv, benchmarks/.peer-venv, never into .venv): the same number of cards at 1200x630, with the same English
texts (each card's headline and body from the shipped campaigns, numbered so that no two cards are alike and
neither tool can reuse a drawn text), the campaign's background and text colours and its logo:

  peer   the plugin's SocialPlugin._generate for each page (benchmarks/social_peer.py, in the peer's venv): its
         stock layout (background, logo, site name, title, description), layers composited, PNG written;
  ours   campaign-gen's cold path (render_cards, empty cache) with the statement layout, the like-for-like
         design, in the linkedin format's layout at the peer's 1200x630 (the shipped format is 1200x627).

The two take turns, --rounds times (5 by default), each round of each tool in a new process of its own with
its fonts loaded before timing, and each tool's fastest round is kept (every round is listed below the table).

Times are CPU time (time.process_time) of the process that renders, so other work on the machine does not
skew the ratios much (it still slows a process sharing the cores' caches, hence the rounds). Targets: cold at most 1.3x the floor, warm at most 5% of cold (issue 5); ours at most 0.5x
the peer's CPU per card and at most the peer's PNG bytes per card (issue 14). Then, in a subprocess, 2000
cards are rendered with the default process pool and the peak resident memory of the parent and of the
workers is reported (target: under 300 MB). Fonts are loaded before timing: once per process, not per card.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps, features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from generator.cards import CardRequest, render_cards  # noqa: E402
from generator.cards.png import PALETTE_PNG_SETTINGS, PNG_SETTINGS  # noqa: E402  (constants only: the floor calls
# nothing in draw.py or png.py)
from generator.cards.explain import explain_card  # noqa: E402
from generator.cards.fonts import EMOJI, folder_for, library  # noqa: E402
from generator.cards.layouts import layout_names  # noqa: E402
from generator.cards.resolve import Resolver, card_context  # noqa: E402
from generator.model import is_right_to_left, text_direction  # noqa: E402
from generator.platforms import card_formats  # noqa: E402
from generator.workspace import Workspace  # noqa: E402

WORKSPACE = Workspace(ROOT)

PEER_PACKAGE = "mkdocs-material"
PEER_VERSION = "9.8.2"  # pinned, so that runs compare; the newest release when this mode was written
WARM_RUNS = 3
PEER_VENV = ROOT / "benchmarks" / ".peer-venv"
PEER_DRIVER = ROOT / "benchmarks" / "social_peer.py"
PEER_SIZE = (1200, 630)  # the social plugin's stock layout
PEER_FORMAT = "linkedin"  # our format nearest to it (1200x627): its layout boxes are drawn at the peer's size
PEER_LAYOUT = "statement"  # like the peer's stock layout: flat background, logo, title, text
PEER_FAMILY = "Noto Sans"  # the campaigns' brand font, handed to the plugin in place of its Roboto download
PEER_SITE_NAME = "Campaign cards"  # the plugin's site-name line (one per site: drawn once, then reused)


def campaigns():
    """The shipped campaigns when the campaign loader can read them, else the card tests' campaign."""
    try:
        from generator.campaign import load_campaigns

        found = list(load_campaigns(WORKSPACE))
        if found:
            return found
    except Exception as err:  # noqa: BLE001 - a benchmark still runs on the test campaign
        print(f"(shipped campaigns not loadable: {err}; using tests/data/cards/campaign.yaml)")
    from cardsupport import build_campaign

    return [build_campaign()]


def card_requests(count: int) -> list[CardRequest]:
    layouts = layout_names(WORKSPACE.template_folders)
    combos = []
    for campaign in campaigns():
        for message in campaign.messages:
            for language in campaign.languages:
                if language in message.text:
                    for fmt, layout in itertools.product(card_formats(), layouts):
                        combos.append((campaign, message.id, language, fmt, layout))
    requests = []
    chosen = itertools.islice(itertools.cycle(combos), count)
    for index, (campaign, message, language, fmt, layout) in enumerate(chosen):
        requests.append(CardRequest(campaign, message, language, fmt, layout, platforms=(), workspace=WORKSPACE,
                                    name=f"card-{index:05d}"))
    return requests


@dataclasses.dataclass
class Row:
    """One line of the results table."""

    name: str
    what: str
    cards: int
    cpu_seconds: float
    png_bytes: int | None = None  # in all; None: not a figure of this row

    @property
    def ms_per_card(self) -> float:
        return 1000 * self.cpu_seconds / max(1, self.cards)

    @property
    def kib_per_card(self) -> float | None:
        return None if self.png_bytes is None else self.png_bytes / 1024 / max(1, self.cards)


def drawn_bytes(results) -> int:
    return sum(result.path.stat().st_size for result in results if result.path is not None)


def timed_render(requests: list[CardRequest], out_dir: Path, cache_dir: Path):
    """render_cards on this core; (results, CPU seconds)."""
    start = time.process_time()
    results = render_cards(requests, out_dir, jobs=1, cache_dir=cache_dir)
    return results, time.process_time() - start


def measure(count: int, work: Path) -> list[Row]:
    """The cold, warm and floor rows."""
    requests = card_requests(count)
    cold_results, cold = timed_render(requests, work / "cold", work / "cache")
    drawn = [result for result in cold_results if result.path is not None]
    warm = float("inf")
    for number in range(WARM_RUNS):  # a tenth of a second each: its fastest, as for the side by side
        warm_results, seconds = timed_render(requests, work / f"warm-{number}", work / "cache")
        assert all(result.cached for result in warm_results if result.path is not None)
        warm = min(warm, seconds)
    floor_cards = prepare_floor(requests, cold_results)
    floor, floor_bytes = draw_floor_cards(floor_cards, work / "floor")
    failed = len(requests) - len(drawn)
    note = f", {failed} not drawn (errors)" if failed else ""
    return [
        Row("cold", f"campaign-gen, empty cache{note}", len(drawn), cold, drawn_bytes(drawn)),
        Row("warm", f"campaign-gen, cache filled, fastest of {WARM_RUNS}", len(drawn), warm),
        Row("floor", "plain Pillow, same texts and boxes", len(floor_cards), floor, floor_bytes),
    ]


# -- the floor: plain Pillow -----------------------------------------------------------------------------------
@dataclasses.dataclass
class FloorCard:
    """One card as the floor draws it: its size, its steps (tuples, below) and how the renderer stored it."""

    size: tuple[int, int]
    steps: list
    palette: bool  # the renderer wrote a palette PNG (a flat card), not RGB


def prepare_floor(requests: list[CardRequest], cold_results) -> list[FloorCard]:
    """The floor's drawing steps for each card the renderer drew, computed before timing: the layout's boxes
    and colours, and the text as `card --explain` fitted it, placed line by line in runs of one font each."""
    resolver, fonts, cards = Resolver(), library(folder_for(WORKSPACE)), []
    for request, result in zip(requests, cold_results):
        if result.path is None:
            continue
        spec = resolver.resolve(request).spec
        fitted = {entry["layer"]: entry for entry in explain_card(request, resolver)["layers"]}
        with Image.open(result.path) as written:
            palette = written.mode == "P"
        steps = []
        for layer in spec.layout.layers:
            steps.extend(floor_steps(layer, spec, fitted.get(layer.id), fonts))
        cards.append(FloorCard((spec.card_format.width, spec.card_format.height), steps, palette))
    return cards


def floor_steps(layer, spec, fitted: dict | None, fonts) -> list:
    """A layer as the floor's steps:
        ("rect", rgb, opacity, box)               ("gradient", rgb_from, rgb_to, direction, box)
        ("shapes", pattern, rgb, opacity, box, mirrored)   ("scrim", rgb, opacity_from, opacity_to, direction, box)
        ("picture", path, box, fit, align, valign, opacity)
        ("text", x, baseline, text, font_file, size, rgb, direction, language)
    where box is (left, top, width, height) in pixels."""
    fmt, mirrored = spec.card_format, is_right_to_left(spec.language)
    box = layer.box_for(fmt.name).pixels(fmt, layer.area, mirrored)

    def rgb(value):
        return ImageColor.getrgb(spec.colours.get(value, value))

    if layer.is_text:
        return text_steps(layer, spec, fitted, fonts, rgb(layer.colour)) if fitted and fitted["lines"] else []
    if layer.type in ("background", "panel"):
        if layer.gradient:
            start, end, direction = layer.gradient
            return [("gradient", rgb(start), rgb(end), direction, box)]
        if layer.image:
            return [("picture", spec.images[layer.id][0], box, "cover", "center", "middle", layer.opacity)]
        return [("rect", rgb(layer.colour), layer.opacity, box)]
    if layer.type == "shapes":
        return [("shapes", layer.pattern, rgb(layer.colour), layer.opacity, box, mirrored)]
    if layer.type == "scrim":
        return [("scrim", rgb(layer.colour), *layer.fade, box)]
    if layer.id in spec.images:  # a logo, a partner's logo, a photo or an image
        align = {"start": "end", "end": "start"}.get(layer.align, layer.align) if mirrored else layer.align
        return [("picture", spec.images[layer.id][0], box, layer.fit, align, layer.valign, layer.opacity)]
    return []


def text_steps(layer, spec, fitted: dict, fonts, colour) -> list:
    """The fitted lines of a text layer, each in runs of one font (the font library's own assignment), the
    block aligned in its box, each line centred on its pitch by the font's ascent and descent."""
    size, lines = fitted["size"], fitted["lines"]
    left, top, width, height = fitted["box"]
    rtl = is_right_to_left(spec.language)
    align = {"start": "end", "end": "start"}.get(layer.align, layer.align) if rtl else layer.align
    pitch = round(size * layer.line_height)
    block_top = top + {"top": 0, "middle": (height - pitch * len(lines)) // 2,
                       "bottom": height - pitch * len(lines)}[layer.valign]
    steps = []
    for index, line in enumerate(lines):
        runs = []
        for run in fonts.assign(line, spec.language, spec.latin).runs:
            if run.family == EMOJI:
                continue  # the shipped texts have none; the floor leaves colour emoji out
            font_file = str(fonts.folder / fonts.files[run.family][layer.font])
            runs.append((run.text, font_file, floor_font(font_file, size).getlength(
                run.text, direction=text_direction(spec.language), language=spec.language)))
        if rtl:
            runs.reverse()
        line_width = sum(run_width for _, _, run_width in runs)
        x = left + {"start": 0, "center": (width - line_width) / 2, "end": width - line_width}[align]
        ascent, descent = floor_font(runs[0][1], size).getmetrics() if runs else (size, 0)
        baseline = block_top + index * pitch + (pitch + ascent - descent) // 2
        for text, font_file, run_width in runs:
            steps.append(("text", round(x), baseline, text, font_file, size, colour, text_direction(spec.language),
                          spec.language))
            x += run_width
    return steps


_FLOOR_FONTS: dict = {}  # for the steps' measurements only: the timed drawing makes its own


def floor_font(font_file: str, size: int) -> ImageFont.FreeTypeFont:
    key = (font_file, size)
    if key not in _FLOOR_FONTS:
        _FLOOR_FONTS[key] = new_face(font_file, size)
    return _FLOOR_FONTS[key]


def new_face(font_file: str, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC  # as the renderer
    return ImageFont.truetype(font_file, size, layout_engine=engine)


def draw_floor_cards(cards: list[FloorCard], out_dir: Path) -> tuple[float, int]:
    """Draw, encode and write every floor card; (CPU seconds, PNG bytes in all)."""
    out_dir.mkdir(parents=True)
    faces, pictures, written = {}, {}, 0  # made inside the timing, as the renderer's caches are (pictures: the
    # logos and photos as fitted, and the backdrops, each drawn once per box)
    start = time.process_time()
    for index, card in enumerate(cards):
        image = draw_floor_card(card, faces, pictures)
        settings = PNG_SETTINGS
        if card.palette:
            image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
            settings = PALETTE_PNG_SETTINGS
        path = out_dir / f"card-{index:05d}.png"
        image.save(path, **settings)
        written += path.stat().st_size
    return time.process_time() - start, written


def draw_floor_card(card: FloorCard, faces: dict, pictures: dict) -> Image.Image:
    canvas = Image.new("RGB", card.size, "white")
    pen = ImageDraw.Draw(canvas)
    for step in card.steps:
        kind = step[0]
        if kind == "rect":
            _, rgb, opacity, (left, top, w, h) = step
            if opacity >= 1:
                pen.rectangle((left, top, left + w - 1, top + h - 1), fill=rgb)
            else:
                canvas.paste(rgb, (left, top, left + w, top + h), Image.new("L", (w, h), round(255 * opacity)))
        elif kind == "gradient":
            _, start, end, direction, (left, top, w, h) = step
            if step not in pictures:
                pictures[step] = Image.composite(Image.new("RGB", (w, h), end), Image.new("RGB", (w, h), start),
                                                 ramp(direction, (w, h)))
            canvas.paste(pictures[step], (left, top))
        elif kind == "scrim":
            _, rgb, low, high, direction, (left, top, w, h) = step
            key = (low, high, direction, w, h)
            if key not in pictures:
                pictures[key] = ramp(direction, (w, h)).point(
                    lambda level: round(255 * (low + (high - low) * level / 255)))
            canvas.paste(rgb, (left, top, left + w, top + h), pictures[key])
        elif kind == "shapes":
            _, pattern, rgb, opacity, (left, top, w, h), mirrored = step
            key = (pattern, w, h, opacity, mirrored)
            if key not in pictures:  # the same box on every card of a format: drawn once, as the renderer does
                mask = shapes_mask(pattern, (w, h), round(255 * opacity))
                pictures[key] = mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirrored else mask
            mask = pictures[key]
            canvas.paste(rgb, (left, top, left + w, top + h), mask)
        elif kind == "picture":
            _, path, (left, top, w, h), fit, align, valign, opacity = step
            key = (path, w, h, fit)
            if key not in pictures:
                with Image.open(path) as source:
                    rgba = source.convert("RGBA")
                fitted = ImageOps.fit if fit == "cover" else ImageOps.contain
                pictures[key] = fitted(rgba, (w, h), Image.Resampling.LANCZOS)
            picture = pictures[key]
            x = left + {"start": 0, "center": (w - picture.width) // 2, "end": w - picture.width}[align]
            y = top + {"top": 0, "middle": (h - picture.height) // 2, "bottom": h - picture.height}[valign]
            mask = picture.getchannel("A")
            if opacity < 1:
                mask = mask.point(lambda alpha: round(alpha * opacity))
            canvas.paste(picture.convert("RGB"), (x, y), mask)
        elif kind == "text":
            _, x, baseline, text, font_file, size, rgb, direction, language = step
            face = faces.get((font_file, size))
            if face is None:
                face = faces[(font_file, size)] = new_face(font_file, size)
            pen.text((x, baseline), text, font=face, fill=rgb, anchor="ls", direction=direction, language=language)
    return canvas


def ramp(direction: str, size: tuple[int, int]) -> Image.Image:
    """0 to 255 across `size`: downwards, rightwards, or from the top left corner (the mean of both)."""
    down = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    if direction == "vertical":
        return down
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).transpose(
        Image.Transpose.FLIP_LEFT_RIGHT).resize(size, Image.Resampling.BILINEAR)
    return across if direction == "horizontal" else Image.blend(down, across, 0.5)


def shapes_mask(pattern: str, size: tuple[int, int], level: int) -> Image.Image:
    """A quiet pattern as a mask (no supersampling: a floor): rings from the bottom right corner, diagonal
    bands, or a grid of dots growing to the bottom right."""
    width, height = size
    mask = Image.new("L", size, 0)
    pen = ImageDraw.Draw(mask)
    longest = max(size)
    if pattern == "rings":
        for step in range(1, 6):
            radius = longest * step // 6
            pen.ellipse((width - radius, height - radius, width + radius, height + radius), outline=level,
                        width=max(1, longest // 120))
    elif pattern == "stripes":
        band = max(2, longest // 20)
        for x in range(-height, width, 2 * band):
            pen.polygon([(x, height), (x + band, height), (x + band + height, 0), (x + height, 0)], fill=level)
    else:  # dots
        pitch = max(4, longest // 32)
        for y in range(pitch // 2, height, pitch):
            for x in range(pitch // 2, width, pitch):
                radius = 1 + pitch * (x + y) // (3 * (width + height))
                pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=level)
    return mask


# -- side by side with the peer --------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PeerCard:
    """One card's texts and brand, the same for both tools."""

    campaign: object
    message_id: str
    title: str
    description: str


def peer_cards(count: int, first: int = 1) -> list[PeerCard]:
    """`count` English cards: each message's headline and body as the statement card shows them, numbered from
    `first` (a round of its own numbers: nothing a tool keeps of the texts of one round serves the next)."""
    english = [(campaign, message) for campaign in campaigns() for message in campaign.messages
               if "en" in message.text]
    cards = []
    for index, (campaign, message) in enumerate(itertools.islice(itertools.cycle(english), count)):
        context = card_context(campaign, message, "en", PEER_FORMAT)
        cards.append(PeerCard(campaign, message.id, f"{context['headline']} ({first + index})",
                              f"{context['body']} ({first + index})"))
    return cards


@contextmanager
def format_at_peer_size():
    """The PEER_FORMAT format at the peer's card size while inside: the format table is the platforms module's
    cached dictionary, changed here for this process only and restored on leaving."""
    formats = card_formats()
    shipped = formats[PEER_FORMAT]
    formats[PEER_FORMAT] = dataclasses.replace(shipped, width=PEER_SIZE[0], height=PEER_SIZE[1])
    try:
        resized = card_formats()[PEER_FORMAT]
        if (resized.width, resized.height) != PEER_SIZE:
            raise RuntimeError("platforms.card_formats() no longer returns one cached table; "
                               "the benchmark cannot draw the peer's size")
        yield
    finally:
        formats[PEER_FORMAT] = shipped


def measure_ours_apart(count: int, first: int, work: Path) -> Row:
    """measure_ours in a process of its own, as the peer's driver runs in one: neither tool carries the other
    measurements' memory (a larger heap makes every garbage collection slower)."""
    run = subprocess.run([sys.executable, __file__, "--ours-child", json.dumps([count, first, str(work)])],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"our side-by-side run failed:\n{run.stderr.strip()}")
    return Row(**json.loads(run.stdout.strip().splitlines()[-1]))


def ours_child(job: str) -> None:
    count, first, work = json.loads(job)
    library(folder_for(WORKSPACE))  # fonts loaded before timing, as the peer's driver loads its own
    print(json.dumps(dataclasses.asdict(measure_ours(peer_cards(count, first), Path(work)))))


def measure_ours(cards: list[PeerCard], work: Path) -> Row:
    def as_is(text: str) -> str:  # a card's text overrides are Jinja templates: the words as they are
        return f"{{% raw %}}{text}{{% endraw %}}" if "{" in text else text

    requests = [CardRequest(card.campaign, card.message_id, "en", PEER_FORMAT, PEER_LAYOUT, platforms=(),
                            workspace=WORKSPACE, name=f"card-{index:05d}",
                            texts={"headline": as_is(card.title), "body": as_is(card.description)})
                for index, card in enumerate(cards)]
    with format_at_peer_size():
        results, cpu = timed_render(requests, work / "ours", work / "ours-cache")
    drawn = [result for result in results if result.path is not None]
    failed = len(requests) - len(drawn)
    note = f", {failed} not drawn (errors)" if failed else ""
    size = "x".join(map(str, PEER_SIZE))
    return Row("ours", f"campaign-gen {PEER_LAYOUT} at {size}{note}", len(drawn), cpu, drawn_bytes(drawn))


def peer_python() -> Path:
    """The peer venv's interpreter, with the pinned release installed (created and installed when missing)."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"(creating {PEER_VENV.relative_to(ROOT)})", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    version_check = f"import importlib.metadata as m; print(m.version('{PEER_PACKAGE}'))"
    installed = subprocess.run([str(python), "-c", version_check], capture_output=True, text=True)
    if installed.stdout.strip() != PEER_VERSION:
        print(f"(installing {PEER_PACKAGE}[imaging]=={PEER_VERSION} into {PEER_VENV.relative_to(ROOT)})", flush=True)
        pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              f"{PEER_PACKAGE}[imaging]=={PEER_VERSION}"], capture_output=True, text=True)
        if pip.returncode != 0:
            raise RuntimeError(f"pip could not install the peer:\n{pip.stdout}{pip.stderr}")
    return python


def measure_peer(cards: list[PeerCard], work: Path) -> Row:
    """The peer's cards, drawn by benchmarks/social_peer.py in the peer's venv."""
    fonts = library(folder_for(WORKSPACE))
    job = {
        "work": str(work / "peer"),
        "family": PEER_FAMILY,
        "fonts": {role.title(): str(fonts.folder / fonts.files["sans"][role]) for role in ("regular", "bold")},
        "site_name": PEER_SITE_NAME,
        "cards": [{"title": card.title, "description": card.description,
                   "background_color": card.campaign.brand.colours["background"],
                   "color": card.campaign.brand.colours["text"],
                   "logo": str(card.campaign.brand.logo_path)} for card in cards],
    }
    job_file = work / "peer-job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    run = subprocess.run([str(peer_python()), str(PEER_DRIVER), str(job_file)], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"the peer's driver failed:\n{run.stderr.strip()}")
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return Row("peer", f"{PEER_PACKAGE} {figures['version']} social plugin", figures["cards"],
               figures["cpu_seconds"], figures["png_bytes"])


def side_by_side(count: int, work: Path, rounds: int) -> tuple[list[Row], str]:
    """The peer's row and ours, each the fastest of `rounds` rounds taken in turn (peer, ours, peer, ...). On a
    shared machine other work can only slow a round down, never speed it up, so a tool's fastest round is the
    nearest to its own cost; taking turns exposes both tools to the same disturbances. Every round is listed
    in the note."""
    peers, ours, note = [], [], ""
    for number in range(1, rounds + 1):
        folder = work / f"round-{number}"
        folder.mkdir()
        first = 1 + (number - 1) * count
        if not note:
            try:
                peers.append(measure_peer(peer_cards(count, first), folder))
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as err:
                note = f"peer not measured: {err}"
        ours.append(measure_ours_apart(count, first, folder))
    kept = [dataclasses.replace(fastest, what=f"{fastest.what}, fastest of {rounds}")
            for fastest in (min(found, key=lambda row: row.cpu_seconds) for found in (peers, ours) if found)]
    listed = "; ".join(f"{found[0].name} " + ", ".join(f"{row.ms_per_card:.1f}" for row in found)
                       for found in (peers, ours) if found)
    return kept, "\n".join(filter(None, [note, f"ms/card in each round: {listed}"]))


# -- output ----------------------------------------------------------------------------------------------------
def ratio_lines(rows: dict[str, Row]) -> dict[str, list[tuple[str, str, bool]]]:
    """Per row name: (ratio, target, met) lines."""
    lines: dict[str, list] = {}
    cold, warm, floor = rows["cold"], rows["warm"], rows["floor"]
    per_card = cold.ms_per_card / floor.ms_per_card
    lines["cold"] = [(f"{per_card:.2f}x floor CPU", "<= 1.30x", per_card <= 1.3)]
    share = warm.cpu_seconds / cold.cpu_seconds
    lines["warm"] = [(f"{share:.1%} of cold CPU", "<= 5%", share <= 0.05)]
    if "peer" in rows and "ours" in rows:
        ours, peer = rows["ours"], rows["peer"]
        cpu, size = ours.ms_per_card / peer.ms_per_card, ours.kib_per_card / peer.kib_per_card
        lines["ours"] = [(f"{cpu:.2f}x peer CPU", "<= 0.50x", cpu <= 0.5),
                         (f"{size:.2f}x peer PNG bytes", "<= 1.00x", size <= 1.0)]
    return lines


def print_table(rows: list[Row], note: str = "") -> None:
    by_name = {row.name: row for row in rows}
    ratios = ratio_lines(by_name)
    print(f"{'':6}{'':50}{'cards':>6}{'ms/card':>9}{'KiB/card':>10}  {'ratio':<22}{'target':<10}met")
    for row in rows:
        size = f"{row.kib_per_card:10.1f}" if row.kib_per_card is not None else f"{'-':>10}"
        first, *more = ratios.get(row.name) or [("", "", None)]
        met = {True: "yes", False: "NO", None: ""}
        print(f"{row.name:<6}{row.what:<50}{row.cards:>6}{row.ms_per_card:9.2f}{size}  "
              f"{first[0]:<22}{first[1]:<10}{met[first[2]]}")
        for ratio, target, ok in more:
            print(f"{'':6}{'':50}{'':6}{'':9}{'':10}  {ratio:<22}{target:<10}{met[ok]}")
    if note:
        print(note)


def own_peak_mb() -> float:
    """This process's peak resident memory. On Linux from /proc (VmHWM, the peak of this program's own memory):
    getrusage's figure also keeps the peak of the process it was forked from before it started this program,
    which here is the benchmark itself, hundreds of MB after its timed runs."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(count: int) -> None:
    requests = card_requests(count)
    with tempfile.TemporaryDirectory(prefix="cards-mem-") as folder:
        results = render_cards(requests, Path(folder) / "out", jobs=None, cache_dir=Path(folder) / "cache")
    parent = own_peak_mb()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"memory: {len(results)} cards with {os.cpu_count()} workers: peak RSS parent {parent:.0f} MB, "
          f"largest worker {workers:.0f} MB (target < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=240, help="cards in the timed set (at least 200), and in --peer")
    parser.add_argument("--peer", action="store_true", help="also side by side with mkdocs-material's social plugin")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of the peer and ours (--peer)")
    parser.add_argument("--memory-cards", type=int, default=2000, help="cards in the memory run (0: skip)")
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--ours-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true",
                        help="allow --cards under 200, to try the script (figures then too few to quote)")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.ours_child:
        ours_child(args.ours_child)
        return
    count = args.cards if args.small else max(200, args.cards)
    library(folder_for(WORKSPACE))  # fonts loaded once, as each pool worker does: the renderer's key for them
    work = Path(tempfile.mkdtemp(prefix="cards-bench-"))
    note = ""
    try:
        rows = measure(count, work)
        if args.peer:
            side, note = side_by_side(count, work, max(1, args.rounds))
            rows += side
        print(f"CPU per card on one core (time.process_time); {count} cards in the timed set")
        print_table(rows, note)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.memory_cards:
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--memory-child", str(args.memory_cards)], check=True)
        print(f"memory run took {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
