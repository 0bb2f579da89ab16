"""Observances to dates: data-driven cases in tests/data/calendar/occurrences.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.dates import observances_on, occurrences, upcoming
from generator.campaign import load_campaign
from generator.observances import parse_month_day
from generator.model import Observance

CASES = yaml.safe_load((Path(__file__).parent / "data" / "calendar" / "occurrences.yaml").read_text())


def observance_from(spec: dict) -> Observance:
    if "date" in spec:
        month, day = parse_month_day(spec["date"])
        return Observance("o", "O", "date", month=month, day=day)
    if "monthly" in spec:
        return Observance("o", "O", "monthly", day=spec["monthly"], months=tuple(spec.get("months", ())))
    return Observance("o", "O", "range", start=parse_month_day(spec["from"]), end=parse_month_day(spec["to"]))


def as_text(occurrence) -> str:
    if occurrence.is_period:
        return f"{occurrence.start}..{occurrence.end}"
    return str(occurrence.start)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_occurrences(case):
    found = occurrences(observance_from(case["observance"]), case["from"], case["to"])
    assert [as_text(o) for o in found] == [str(e) for e in case["expect"]]


@pytest.mark.parametrize("text, expected", [
    ("07-30", (7, 30)), ("7-3", (7, 3)), ("02-29", (2, 29)), ("02-30", None), ("13-01", None),
    ("00-10", None), ("12-32", None), ("july 30", None), ("", None),
])
def test_parse_month_day(text, expected):
    assert parse_month_day(text) == expected


def test_observances_on_a_day_single_days_before_periods(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("from: 11-25", "from: 07-25").replace("to: 12-10", "to: 08-25")
    campaign = load_campaign(make_workspace({"minimal.yaml": text}), "minimal")
    assert [o.observance_id for o in observances_on(campaign, date(2026, 7, 25))] == ["orange-day", "sixteen-days"]
    world_day = observances_on(campaign, date(2023, 7, 30))
    assert [(o.observance_id, o.theme) for o in world_day] == [
        ("world-day", "Reach every victim of trafficking, leave no one behind"),
        ("sixteen-days", None),
    ]


def test_upcoming_sorted_by_date_then_campaign(make_workspace, minimal_campaign_text):
    campaign = load_campaign(make_workspace({"minimal.yaml": minimal_campaign_text}), "minimal")
    found = upcoming([campaign], date(2026, 11, 20), 2)
    assert [(as_text(o), o.observance_id) for o in found] == [
        ("2026-11-25", "orange-day"),
        ("2026-11-25..2026-12-10", "sixteen-days"),
    ]
