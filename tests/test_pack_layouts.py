"""A pack draws each message's cards with the layout its campaign chooses for that kind of message
(brand.layouts; a message may name its own): the shipped campaigns draw a message quoting a fact with the figure
layout, which shows the message's key share in large type, and every other message with the statement."""

from __future__ import annotations

from pathlib import Path

from generator.dates import choose_period
from generator.pack.build import build_pack
from generator.pack.model import PackOptions


def test_fact_messages_get_the_big_figure_card_and_the_rest_the_statement(make_workspace, tmp_path):
    workspace = make_workspace(copy_shipped_campaigns=True)
    options = PackOptions(choose_period("2026-W50", None, None), campaign_ids=("sixteen-days",),
                          platforms=("x",), languages=("en",), out_dir=tmp_path, jobs=1)
    pack = build_pack(workspace, options)
    by_message = {post.slot.message_id: post for post in pack.posts}
    figure = by_message["trafficking-is-gbv"]   # quotes women-girls-92
    assert figure.alt_text.startswith("92%. Trafficking is gender-based violence. Women and girls are 92%")
    statement = by_message["survivors-at-the-centre"]   # quotes no fact
    assert statement.alt_text.startswith("Survivors at the centre. Believe them,")
    card = Path(pack.folder) / figure.card_files[0]
    assert card.is_file()
