"""What `campaign-gen card` does, as a library function (cli.py keeps only the click layer)."""

from __future__ import annotations

from pathlib import Path

from generator.cards import CardRequest, render_cards
from generator.errors import UsageError
from generator.layouts import FORMATS
from generator.validation import IDENTIFIER
from generator.workspace import Workspace


def draw_cards(workspace: Workspace, campaign, message_id: str, card_format: str, language: str, layout: str,
               debug: bool, jobs: int | None, output: str) -> tuple[list[str], int]:
    """Draw one card to `output` (or every format into the folder `output` with `all`).

    Returns the lines to print (one per file written, then one per problem) and the exit code: 1 when a card
    has an error problem, else 0.
    """
    if language not in campaign.languages:
        raise UsageError(f"unknown language '{language}'; campaign '{campaign.id}' is written in: "
                         f"{', '.join(campaign.languages)}")
    if not IDENTIFIER.match(layout):  # a layout is a name in templates/cards/, never a path
        raise UsageError(f"unknown layout '{layout}'; give the name of a file in templates/cards/ without .yaml")
    if card_format != "all" and card_format not in FORMATS:
        raise UsageError(f"unknown card format '{card_format}'; known formats: {', '.join(FORMATS)}, all")
    formats = list(FORMATS) if card_format == "all" else [card_format]
    target = Path(output)
    if card_format == "all":
        out_dir, names = target, [None] * len(formats)
    else:
        if target.suffix.lower() != ".png":
            raise UsageError(f"-o {output}: the card is a PNG; give a file name ending in .png")
        out_dir, names = target.parent, [target.stem]
    requests = [CardRequest(campaign, message_id, language, fmt, layout, name=name, workspace=workspace, debug=debug)
                for fmt, name in zip(formats, names)]
    results = render_cards(requests, out_dir, jobs=jobs)
    lines = []
    for result in results:
        if result.path is not None:
            lines.append(f"wrote {result.path.as_posix()} and {result.name}.alt.txt")
    lines += [str(problem) for result in results for problem in result.problems]
    return lines, 1 if any(not result.ok for result in results) else 0
