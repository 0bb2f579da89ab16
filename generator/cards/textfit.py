"""Honest text fitting: the largest size at which the wrapped text stays inside its box, or an overflow.

Lines break only at Unicode line-break opportunities (UAX #14, from the `uniseg` package), so Chinese wraps
between characters and Latin between words, and a URL at its slashes. The size is found by binary search
between the layer's minimum and maximum. To keep that search cheap, each break unit is measured once at the
maximum size and scaled; the chosen size is then checked again with every whole line measured by the font's
own shaping-aware length (Pillow's getlength through raqm), and re-wrapped with exact widths if the scaled
estimate was optimistic. Text is never cut: when it does not fit at the minimum size the caller gets an
`Overflow` saying by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from uniseg.linebreak import line_break_units

from generator.cards.fonts import EMOJI, EMOJI_STRIKE, FontLibrary, Run, balance_isolates
from generator.cards.hyphenate import word_pieces
from generator.model import text_direction


@dataclass(frozen=True)
class TextStyle:
    role: str  # "regular" or "bold"
    min_size: int
    max_size: int
    max_lines: int
    line_height: float  # line pitch as a multiple of the size
    language: str
    # How lines are broken once the size is chosen, with the same number of lines: "balance" evens their lengths
    # (a headline), "pretty" only keeps a lone word or character off the last line (a body), "greedy" neither.
    wrap: str = "pretty"
    # The sizes the text may take, ascending (a layout's type scale); () for every size from min to max.
    sizes: tuple = ()

    @property
    def candidates(self) -> tuple[int, ...]:
        return self.sizes or tuple(range(self.min_size, self.max_size + 1))


@dataclass
class Line:
    runs: list  # Run, in logical order
    widths: list  # exact width of each run at the fitted size, px
    width: float


@dataclass
class FittedText:
    size: int
    lines: list
    pitch: int  # distance between baselines, px
    ascent: int  # of the first family of the chain at this size, px

    @property
    def height(self) -> int:
        return self.pitch * len(self.lines)


@dataclass
class Overflow:
    """Why the text does not fit at the minimum size, in words and figures."""

    reason: str
    size: int


@dataclass
class _Units:
    """The text cut at its break opportunities, each unit's characters tagged with their family."""

    texts: list = field(default_factory=list)
    families: list = field(default_factory=list)  # per unit: list of (text, family) pieces
    mandatory_break: list = field(default_factory=list)  # a forced line break follows this unit
    soft: list = field(default_factory=list)  # a piece of a hyphenated word: a line ending here ends with "-"


def _break_units(text: str, runs: list) -> list[str]:
    """UAX #14 units, never splitting an emoji cluster (uniseg 0.8 predates the emoji sequence rules LB8a
    and LB30b, so a ZWJ sequence or a skin-tone modifier would otherwise count as a break opportunity)."""
    inside_cluster = set()
    position = 0
    for run in runs:
        if run.family == EMOJI:
            inside_cluster.update(range(position + 1, position + len(run.text)))
        position += len(run.text)
    units: list[str] = []
    end = 0
    glue = False
    for unit in line_break_units(text):
        if glue:
            units[-1] += unit
        else:
            units.append(unit)
        end += len(unit)
        glue = end in inside_cluster
    return units


@lru_cache(maxsize=512)
def _units_of(runs: tuple) -> _Units:
    """A card text is fitted in several boxes and formats; it is cut into units once per process."""
    return _split_units(runs)


def _split_units(runs: tuple) -> _Units:
    text = "".join(run.text for run in runs)
    owner = []
    for run in runs:
        owner.extend([run.family] * len(run.text))
    units = _Units()
    position = 0
    for unit in _break_units(text, runs):
        pieces: list = []
        for offset, ch in enumerate(unit):
            family = owner[position + offset]
            if pieces and pieces[-1][1] == family:
                pieces[-1] = (pieces[-1][0] + ch, family)
            else:
                pieces.append((ch, family))
        position += len(unit)
        forced = unit.endswith(("\n", "\r", "\u2028", "\u2029"))
        units.texts.append(unit.rstrip("\r\n\u2028\u2029") if forced else unit)
        units.families.append(pieces)
        units.mandatory_break.append(forced)
        units.soft.append(False)
    return units


def _direction(family: str, language: str) -> str:
    return "ltr" if family == EMOJI else text_direction(language)


class Fitter:
    """Fits one text in one box; reusable across sizes, so units are cut and measured once."""

    def __init__(self, library: FontLibrary, runs: list, style: TextStyle):
        self.library = library
        self.style = style
        self.units = _units_of(tuple(runs))
        self._measure()

    def _measure(self) -> None:
        """Each unit is measured once, at the maximum size (a call into raqm costs about 50 us whatever the
        length, so calls are what to save); repeated units ("and ", "the ") are measured once. A unit's trimmed
        width is its width at the end of a line: without its trailing spaces, with a hyphen if it is soft."""
        reference = self.style.max_size
        memo: dict = {}
        self._reference_full = []
        self._reference_trimmed = []
        for pieces, soft in zip(self.units.families, self.units.soft):
            widths = []
            for text, family in pieces:
                if (text, family) not in memo:
                    memo[text, family] = self.run_width(text, family, reference)
                widths.append(memo[text, family])
            full = sum(widths)
            text, family = pieces[-1] if pieces else ("", "sans")
            spaces = len(text) - len(text.rstrip())
            if spaces and family != EMOJI:
                if (" ", family) not in memo:
                    memo[" ", family] = self.run_width(" ", family, reference)
                trailing = min(widths[-1], spaces * memo[" ", family])
            else:
                trailing = 0.0
            if soft:
                trailing = -self.run_width(HYPHEN, family, reference)
            self._reference_full.append(full)
            self._reference_trimmed.append(full - trailing)

    def _hyphenate_wide_words(self, box_width: float) -> None:
        """Words wider than the box even at the smallest size are cut at their hyphenation points (hyphenate.py),
        where the language has a dictionary: the only way they can fit. Other words are never cut."""
        scale = self.style.min_size / self.style.max_size
        wide = {index for index, width in enumerate(self._reference_trimmed)
                if width * scale > box_width and len(self.units.families[index]) == 1}
        cuts = {index: word_pieces(self.units.texts[index], self.style.language) for index in wide}
        if not any(cuts.values()):
            return
        units = _Units()
        for index, (text, pieces, forced) in enumerate(zip(self.units.texts, self.units.families,
                                                           self.units.mandatory_break)):
            parts = cuts.get(index) or [text]
            for number, part in enumerate(parts):
                last = number == len(parts) - 1
                units.texts.append(part)
                units.families.append([(part, pieces[0][1])] if len(parts) > 1 else pieces)
                units.mandatory_break.append(forced and last)
                units.soft.append(not last)
        self.units = units
        self._measure()

    # -- measuring ---------------------------------------------------------------------------------------------
    def run_width(self, text: str, family: str, size: int) -> float:
        if not text:
            return 0.0
        if family == EMOJI:
            return self.library.length(text, EMOJI, "regular", EMOJI_STRIKE, "ltr", "") * size / EMOJI_STRIKE
        return self.library.length(text, family, self.style.role, size, _direction(family, self.style.language),
                                   self.style.language)

    def _pieces_width(self, pieces: list, size: int) -> float:
        return sum(self.run_width(text, family, size) for text, family in pieces)

    # -- wrapping ----------------------------------------------------------------------------------------------
    def _wrap_estimated(self, size: int, box_width: float) -> list[tuple[int, int]] | None:
        """Greedy wrap with widths scaled from the reference size; None when a single unit is too wide."""
        scale = size / self.style.max_size
        lines: list[tuple[int, int]] = []
        start, width = 0, 0.0
        for index in range(len(self.units.texts)):
            trimmed = self._reference_trimmed[index] * scale
            if trimmed > box_width:
                return None
            if index > start and width + trimmed > box_width:
                lines.append((start, index))
                start, width = index, 0.0
            width += self._reference_full[index] * scale
            if self.units.mandatory_break[index]:
                lines.append((start, index + 1))
                start, width = index + 1, 0.0
        if start < len(self.units.texts):
            lines.append((start, len(self.units.texts)))
        return lines

    def _wrap_exact(self, size: int, box_width: float) -> list[tuple[int, int]] | None:
        """Greedy wrap measuring every candidate whole line: slower, used only when the estimate was wrong."""
        lines: list[tuple[int, int]] = []
        start = 0
        for index in range(len(self.units.texts)):
            if index > start and self._line(start, index + 1, size).width > box_width:
                lines.append((start, index))
                start = index
            if self._line(start, index + 1, size).width > box_width:
                return None
            if self.units.mandatory_break[index]:
                lines.append((start, index + 1))
                start = index + 1
        if start < len(self.units.texts):
            lines.append((start, len(self.units.texts)))
        return lines

    def _line(self, start: int, end: int, size: int) -> Line:
        pieces: list = []
        for unit in self.units.families[start:end]:
            for text, family in unit:
                if pieces and pieces[-1][1] == family:
                    pieces[-1] = (pieces[-1][0] + text, family)
                else:
                    pieces.append((text, family))
        pieces = _trim_trailing_space(pieces)
        if self.units.soft[end - 1] and pieces:  # the line ends inside a hyphenated word
            pieces[-1] = (pieces[-1][0] + HYPHEN, pieces[-1][1])
        runs = [Run(text, family) for text, family in pieces if text]
        widths = [self.run_width(run.text, run.family, size) for run in runs]
        return Line(runs, widths, sum(widths))

    def _pitch(self, size: int) -> int:
        return max(1, round(size * self.style.line_height))

    def _fits(self, lines, size: int, box_height: float) -> bool:
        return lines is not None and len(lines) <= self.style.max_lines and len(lines) * self._pitch(size) <= box_height

    # -- fitting -----------------------------------------------------------------------------------------------
    def fit(self, box_width: float, box_height: float, primary_family: str) -> FittedText | Overflow:
        self._hyphenate_wide_words(box_width)
        sizes = self.style.candidates
        if not self.units.texts:
            return FittedText(sizes[-1], [], self._pitch(sizes[-1]), 0)
        low, high, best = 0, len(sizes) - 1, None
        while low <= high:  # the largest size whose estimated wrap fits
            middle = (low + high) // 2
            if self._fits(self._wrap_estimated(sizes[middle], box_width), sizes[middle], box_height):
                best, low = middle, middle + 1
            else:
                high = middle - 1
        for size in reversed(sizes[:(best or 0) + 1]):  # confirm with exact whole-line widths; step down if needed
            spans = self._wrap_estimated(size, box_width)
            lines = [self._line(a, b, size) for a, b in spans] if spans else None
            if lines is None or any(line.width > box_width for line in lines):
                spans = self._wrap_exact(size, box_width)
                lines = [self._line(a, b, size) for a, b in spans] if spans else None
            if self._fits(spans, size, box_height):
                lines = self._rewrapped(spans, size, box_width) or lines
                ascent = self.library.face(primary_family, self.style.role, size).getmetrics()[0]
                runs = balance_isolates([line.runs for line in lines])
                lines = [Line(r, line.widths, line.width) for r, line in zip(runs, lines)]
                return FittedText(size, lines, self._pitch(size), ascent)
            if best is None:
                break
        return Overflow(self._overflow_reason(box_width, box_height), self.style.min_size)

    # -- better breaks at the chosen size -------------------------------------------------------------------
    def _rewrapped(self, spans: list, size: int, box_width: float) -> list | None:
        """The lines broken again in the style's `wrap` mode, keeping their number (so the size and height hold);
        None to keep the greedy lines (one line, forced breaks inside, nothing better, or an estimate that the
        exact widths do not confirm)."""
        count = len(spans)
        if self.style.wrap == "greedy" or count < 2 or any(self.units.mandatory_break[:-1]):
            return None
        narrowest = self._narrowest_width(size, box_width, count)
        if self.style.wrap == "balance":
            width = narrowest
        else:
            if self._last_line_units(spans) >= 2:
                return None
            width = self._widest_without_lone_last(size, narrowest, box_width, count)
            if width is None:
                return None
        better = self._wrap_estimated(size, width)
        if better is None or len(better) != count or better == spans:
            return None
        lines = [self._line(a, b, size) for a, b in better]
        return lines if all(line.width <= box_width for line in lines) else None

    def _line_count(self, size: int, width: float) -> int | None:
        spans = self._wrap_estimated(size, width)
        return len(spans) if spans is not None else None

    def _narrowest_width(self, size: int, box_width: float, count: int) -> float:
        """The narrowest width at which the text still wraps into `count` lines: balanced lines (binary search;
        the line count only grows as the width shrinks)."""
        low, high = 0.0, float(box_width)
        for _ in range(_WIDTH_STEPS):
            middle = (low + high) / 2
            lines = self._line_count(size, middle)
            if lines is not None and lines <= count:
                high = middle
            else:
                low = middle
        return high

    def _widest_without_lone_last(self, size: int, narrowest: float, box_width: float, count: int) -> float | None:
        """The widest width, from `narrowest` up, whose wrap keeps `count` lines and at least two break units
        (two words, two Chinese characters) on the last line; None when even the narrowest has a lone one."""
        def good(width: float) -> bool:
            spans = self._wrap_estimated(size, width)
            return spans is not None and len(spans) == count and self._last_line_units(spans) >= 2

        if not good(narrowest):
            return None
        low, high = narrowest, float(box_width)
        for _ in range(_WIDTH_STEPS):
            middle = (low + high) / 2
            if good(middle):
                low = middle
            else:
                high = middle
        return low

    def _last_line_units(self, spans: list) -> int:
        start, end = spans[-1]
        return sum(1 for text in self.units.texts[start:end] if text.strip())

    def _overflow_reason(self, box_width: float, box_height: float) -> str:
        size = self.style.min_size
        for index, pieces in enumerate(self.units.families):
            width = self._pieces_width(_trim_trailing_space(pieces), size)
            if width > box_width:
                word = self.units.texts[index].strip()
                return (f"'{word}' is {width:.0f} px wide at the minimum size {size} px; "
                        f"the box is {box_width:.0f} px wide")
        spans = self._wrap_exact(size, box_width) or []
        pitch = self._pitch(size)
        limit = min(self.style.max_lines, int(box_height // pitch))
        return (f"needs {len(spans)} lines at the minimum size {size} px ({len(spans) * pitch} px high); "
                f"the box holds {limit} (max_lines {self.style.max_lines}, {box_height:.0f} px high)")


HYPHEN = "-"
_WIDTH_STEPS = 16  # halvings of the width when looking for better breaks: within 1/65536 of the box
def _trim_trailing_space(pieces: list) -> list:
    """A line's trailing spaces do not count towards its width."""
    pieces = list(pieces)
    while pieces:
        text, family = pieces[-1]
        stripped = text.rstrip()
        if stripped:
            pieces[-1] = (stripped, family)
            break
        pieces.pop()
    return pieces


def fit_text(library: FontLibrary, runs: list, style: TextStyle, box_width: float, box_height: float,
             primary_family: str) -> FittedText | Overflow:
    return Fitter(library, runs, style).fit(box_width, box_height, primary_family)
