"""Campaign model objects built in code for the post tests: the lengths of texts matter there, and are
easier to state as Python than as YAML."""

from __future__ import annotations

from pathlib import Path

from generator.model import Brand, Campaign, Fact, Hashtags, Message, Observance, Schedule, Source

SOURCE = Source("UNODC", "Global Report on Trafficking in Persons 2020", 2021,
                "https://www.unodc.org/unodc/en/data-and-analysis/glotip.html")
FACTS = {
    "five-in-ten": Fact("five-in-ten", "For every 10 victims detected, 5 are women and 2 are girls.",
                        ("10", "5", "2"), SOURCE),
}

# Sentences without figures or wording the guards flag, to build texts of a chosen length.
SENTENCES = (
    "Every woman and girl has the right to a life free from violence.",
    "Trafficking is a form of violence against women and girls.",
    "Survivors deserve protection, support and justice on their own terms.",
    "Listen to survivors and follow their lead.",
    "Safe migration and decent work reduce the risk of exploitation.",
    "Technology can help identify traffickers and protect people online.",
)


def sentences(count: int) -> str:
    return " ".join(SENTENCES[i % len(SENTENCES)] for i in range(count))


def make_campaign(messages, *, required=("OrangeDay",), suggested=("EndViolenceAgainstWomen", "EndHumanTrafficking"),
                  utm=None, terminology=(), campaign_id="demo", languages=("en",)) -> Campaign:
    return Campaign(
        id=campaign_id, name="Demo campaign", organisers=("UNiTE",), summary="A test campaign.",
        url="https://www.unwomen.org/", timezone="UTC", languages=tuple(languages),
        platforms=("x", "bluesky", "mastodon", "threads", "linkedin", "instagram", "facebook"),
        observances=(Observance("world-day", "World Day against Trafficking in Persons", "date", month=7, day=30,
                                themes={2026: {"en": "A theme for the test"}}),),
        hashtags=Hashtags(tuple(required), tuple(suggested), ()),
        facts=dict(FACTS), messages=tuple(messages),
        brand=Brand({"primary": "#F58220"}, "logos/test.png", Path("assets/logos/test.png")),
        schedule=Schedule(), utm=dict(utm or {}), terminology=tuple(terminology),
    )


def message(message_id: str, text, *, short=None, facts=(), link=None) -> Message:
    text = text if isinstance(text, dict) else {"en": text}
    short = short if isinstance(short, dict) or short is None else {"en": short}
    return Message(message_id, text, short=short or {}, facts=tuple(facts), link=link)
