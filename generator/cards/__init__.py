"""Branded image cards: the public API the pack and the CLI call.

    result = render_card(CardRequest(campaign, "orange-the-world", language="ar", format="story",
                                     workspace=workspace))
    results = render_cards(requests, out_dir, jobs=None, cache_dir=None)   # <name>.png + <name>.alt.txt

The stages, in the order a card goes through them:
request.py (what is asked) -> resolve.py (layout, texts, brand, images, alt text) -> cache.py (content hash)
-> pool.py (drawing in worker processes) -> draw.py (plan and pixels), with layouts.py (layouts as data),
fonts.py (font chains and coverage), textfit.py (line breaking and fitting), contrast.py (WCAG) and
images.py (checked, cached images).
"""

from generator.cards.pool import render_card, render_cards
from generator.cards.request import CardRequest, CardResult, requests_for_output

__all__ = ["CardRequest", "CardResult", "render_card", "render_cards", "requests_for_output"]
