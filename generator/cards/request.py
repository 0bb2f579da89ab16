"""What the card layer is asked for, and what it answers: a CardRequest in, a CardResult out.

A request names everything a card depends on explicitly, the workspace included: the card layer never
guesses where files are from a campaign (the model knows no paths).
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path

from generator.errors import Problem, UsageError
from generator.fields import IDENTIFIER
from generator.model import Campaign, Message
from generator.platforms import card_formats
from generator.workspace import Workspace
from generator.yamlfile import SourceMap

DEFAULT_LAYOUT = "statement"
DEFAULT_FORMAT = "square"
EVERY_FORMAT = "all"  # `campaign-gen card --format all`: one card per format, into a folder


@dataclass(frozen=True)
class CardRequest:
    """One card to draw. `colours` are a partner's colour overrides (None: the campaign's); `logo` is the
    partner's logo, drawn in the layout's `partner_logo` layer beside the campaign logo, which always stays in
    its locked `logo` layer (None: no partner logo, nothing drawn there); `texts` maps layer ids to replacement
    text (Jinja allowed); `platforms` are the targets whose alt-text limits the alt text must meet (default:
    the campaign's platforms); `source` is where the campaign was written, so that a brand font or logo the
    card cannot use is reported at its line."""

    campaign: Campaign
    message: str | Message
    language: str = "en"
    format: str = DEFAULT_FORMAT
    layout: str = DEFAULT_LAYOUT
    _: KW_ONLY
    workspace: Workspace
    colours: dict | None = None
    logo: Path | None = None
    texts: dict | None = None
    platforms: tuple | None = None
    name: str | None = None
    partner_dir: Path | None = None
    hashtags: tuple[str, ...] = ()  # a partner's own tags, after the campaign's on the hashtag strip
    source: SourceMap | None = None
    debug: bool = False


@dataclass
class CardResult:
    """A card drawn (or found in the cache). `problems` are all of its problems, in the order found: the
    layout's own warnings, the alt-text verdicts, then what drawing found. `alt_text_problems` are the
    alt-text verdicts among them by platform, for a pack that shares one card between platforms."""

    name: str
    alt_text: str
    problems: list = field(default_factory=list)
    cache_key: str = ""
    png: bytes | None = None  # render_card: the image; render_cards writes it to `path` instead
    path: Path | None = None
    cached: bool = False
    alt_text_problems: dict = field(default_factory=dict)  # platform -> Problem (alt text over its limit)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def problems_for(self, platform: str) -> list[Problem]:
        """The card's problems as one platform sees them: the card's own, then that platform's alt-text verdict
        (not the other platforms')."""
        verdicts = list(self.alt_text_problems.values())
        own = [self.alt_text_problems[platform]] if platform in self.alt_text_problems else []
        return [p for p in self.problems if p not in verdicts] + own


def requests_for_output(workspace: Workspace, campaign: Campaign, message_id: str, card_format: str, language: str,
                        layout: str, output: str, *, debug: bool = False,
                        source: SourceMap | None = None) -> tuple[list[CardRequest], Path]:
    """`campaign-gen card`: the requests for one card written to `output` (a .png file), or for every format
    written into the folder `output` with `card_format` "all"; returns them with the folder they go to."""
    formats = card_formats()
    if language not in campaign.languages:
        raise UsageError(f"unknown language '{language}'; campaign '{campaign.id}' is written in: "
                         f"{', '.join(campaign.languages)}")
    if not IDENTIFIER.match(layout):  # a layout is a name in templates/cards/, never a path
        raise UsageError(f"unknown layout '{layout}'; give the name of a file in templates/cards/ without .yaml")
    if card_format != EVERY_FORMAT and card_format not in formats:
        raise UsageError(f"unknown card format '{card_format}'; known formats: {', '.join(formats)}, "
                         f"{EVERY_FORMAT}")
    target = Path(output)
    if card_format == EVERY_FORMAT:
        out_dir, chosen = target, [(name, None) for name in formats]
    else:
        if target.suffix.lower() != ".png":
            raise UsageError(f"-o {output}: the card is a PNG; give a file name ending in .png")
        out_dir, chosen = target.parent, [(card_format, target.stem)]
    requests = [CardRequest(campaign, message_id, language, name, layout, workspace=workspace, name=file_name,
                            source=source, debug=debug) for name, file_name in chosen]
    return requests, out_dir
