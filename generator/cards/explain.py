"""`campaign-gen card --explain`: why a card's text was fitted as it was. For each text layer: the lines as
broken, the font size chosen between the layer's minimum and maximum, the box it was fitted in and the wrap mode
(balance for headlines, pretty elsewhere), so a partner editing a layout or a message can see the rules at work.
Nothing is drawn: the card is resolved and planned in this process, as a worker would before drawing."""

from __future__ import annotations

from generator.cards.draw import plan_card
from generator.cards.fonts import folder_for, library, strip_bidi_controls
from generator.cards.request import CardRequest
from generator.cards.resolve import Resolver


def explain_card(request: CardRequest, resolver: Resolver | None = None) -> dict:
    """The card's name, format and size, each text layer as fitted, its alt text and its problems."""
    resolved = (resolver or Resolver()).resolve(request)
    plan = plan_card(resolved.spec, library(folder_for(request.workspace)))
    card_format = resolved.spec.card_format
    return {
        "card": resolved.spec.label,
        "format": card_format.name,
        "size": [card_format.width, card_format.height],
        "language": request.language,
        "layout": resolved.spec.layout.name,
        "layers": [{**layer, "lines": [strip_bidi_controls(line) for line in layer["lines"]]}
                   for layer in plan.fitted],
        "alt_text": resolved.alt_text,
        "problems": [p.as_dict() for p in [*resolved.problems, *plan.problems]],
    }
