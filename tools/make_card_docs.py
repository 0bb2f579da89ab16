"""Draw the pictures of docs/cards.md (docs/img/card-*.png) from the shipped orange-day campaign.

Run from the repository root after changing a layout, a font or the renderer:
`.venv/bin/python tools/make_card_docs.py`. Cards are deterministic, so an unchanged card rewrites the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.campaign import load_campaign  # noqa: E402
from generator.cards import CardRequest, render_card  # noqa: E402
from generator.workspace import Workspace  # noqa: E402

MESSAGE = "sexual-exploitation-share"  # a sourced figure in every UN language: figure, source line and hashtags
PICTURES = {  # file name -> (layout, format, language, debug)
    "card-statement-square-en.png": ("statement", "square", "en", False),
    "card-statement-landscape-zh.png": ("statement", "landscape", "zh", False),
    "card-figure-square-ar.png": ("figure", "square", "ar", False),
    "card-figure-story-en.png": ("figure", "story", "en", False),
    "card-statement-square-debug.png": ("statement", "square", "en", True),
}


def main() -> None:
    workspace = Workspace(ROOT)
    campaign = load_campaign(workspace, "orange-day")
    for name, (layout, card_format, language, debug) in PICTURES.items():
        result = render_card(CardRequest(campaign, MESSAGE, language, card_format, layout, workspace=workspace,
                                         debug=debug))
        if result.png is None:
            sys.exit(f"{name}: " + "; ".join(str(problem) for problem in result.problems))
        (ROOT / "docs" / "img" / name).write_bytes(result.png)
        print(f"docs/img/{name}")


if __name__ == "__main__":
    main()
