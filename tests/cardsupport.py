"""Shared by the card tests and benchmarks/cards.py: a small campaign built as model objects.

Built directly from tests/data/cards/campaign.yaml (not through the campaign loader), so the card tests
depend only on the model's shape.
"""

from __future__ import annotations

from pathlib import Path

from generator.model import Brand, Campaign, Fact, Hashtags, Message, Schedule, Source
from generator.workspace import Workspace
from generator.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "cards"
WORKSPACE = Workspace(ROOT)


def build_campaign(path: Path = DATA / "campaign.yaml", **brand_overrides) -> Campaign:
    data = load_yaml(path).data
    facts = {
        fact_id: Fact(fact_id, "", (), Source(f["publisher"], f["title"], f.get("year"), "https://www.unodc.org/"))
        for fact_id, f in data["facts"].items()
    }
    messages = tuple(
        Message(m["id"], m["text"], headline=m.get("headline", {}), facts=tuple(m.get("facts", ())))
        for m in data["messages"]
    )
    colours = {**data["colours"], **brand_overrides.pop("colours", {})}
    logo = brand_overrides.pop("logo", data["logo"])
    brand = Brand(colours, logo, WORKSPACE.assets_dir / logo)
    hashtags = Hashtags(tuple(data["hashtags"]["required"]), tuple(data["hashtags"]["suggested"]))
    return Campaign(
        id=data["id"], name=data["name"], organisers=("UNiTE",), summary="", url="https://www.un.org/",
        timezone="UTC", languages=("en", "ar", "zh", "ru", "el"), platforms=("x", "instagram", "linkedin"),
        observances=(), hashtags=hashtags, facts=facts, messages=messages, brand=brand, schedule=Schedule(),
    )
