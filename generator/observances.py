"""Observances as written in a campaign file: an annual `date: MM-DD`, a `monthly: DAY` (optionally in some
`months`), or a period `from: MM-DD` / `to: MM-DD`, each with optional `themes` by year and `features`.

Reading them checks that the dates are real (`02-30` is an error; `02-29` warns that other years skip it)
and says which months a `monthly: 31` skips. Turning them into concrete dates is dates.py's job.
"""

from __future__ import annotations

import calendar as monthcal
import re

from generator.model import Observance, Season
from generator.fields import Checker, describe

OBSERVANCE_KEYS = ("id", "name", "date", "monthly", "from", "to", "themes", "features", "months", "lead_in",
                   "follow_up")
MAX_SEASON_DAYS = 90  # a lead-in or follow-up longer than a season is a typo, not a plan
MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})\Z")
# A leap year, so 02-29 is a real date; whether it falls in a given year is the calendar's business.
_LEAP_YEAR = 2024


def parse_month_day(text: str) -> tuple[int, int] | None:
    """`"07-30"` -> (7, 30) when it is a real date in some year (02-29 counts), else None."""
    match = MONTH_DAY.match(str(text).strip())
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= monthcal.monthrange(_LEAP_YEAR, month)[1]:
        return None
    return month, day


def read_observances(c: Checker, message_ids: set) -> tuple:
    """The `observances` of a campaign file: each a date, a monthly day or a period, with themes and features."""
    observances, seen = [], {}
    for index, _ in enumerate(c.items(("observances",))):
        path = ("observances", index)
        entry = c.mapping(path, OBSERVANCE_KEYS, required=("id", "name"))
        observance_id = c.identifier(path + ("id",))
        c.unique_id(path + ("id",), observance_id, seen, "observance")
        kinds = [k for k in ("date", "monthly", "from") if k in entry]
        fields = {}
        if "to" in entry and "from" not in entry:
            c.error(path + ("to",), "has no 'from'; a period needs both 'from: MM-DD' and 'to: MM-DD'", "period")
        if len(kinds) != 1:
            c.error(path, "needs exactly one of 'date: MM-DD', 'monthly: DAY' or 'from: MM-DD' with 'to: MM-DD'",
                    "when")
        elif kinds[0] == "date":
            fields = dict(kind="date", **_date_fields(c, path + ("date",)))
        elif kinds[0] == "monthly":
            fields = _monthly_fields(c, path)
        else:
            fields = _range_fields(c, path, entry)
        features = c.string_list(path + ("features",))
        for feature_index, message_id in enumerate(features):
            if message_id not in message_ids:
                c.error(path + ("features", feature_index), f"unknown message '{message_id}'", "reference")
        themes = _themes(c, path + ("themes",))
        name, names = c.localised(path + ("name",))
        lead_in = c.integer(path + ("lead_in",), required=False, low=0, high=MAX_SEASON_DAYS)
        follow_up = c.integer(path + ("follow_up",), required=False, low=0, high=MAX_SEASON_DAYS)
        if observance_id and fields:
            observances.append(Observance(
                id=observance_id, name=name or observance_id, names=names, themes=themes,
                features=tuple(f for f in features if f in message_ids), lead_in=lead_in, follow_up=follow_up,
                **fields,
            ))
    return tuple(observances)


SEASON_WORDS = ("all-year", "observances")


def read_season(c: Checker) -> Season:
    """`season: all-year` (the default), `season: observances`, or `season: {lead_in: N, follow_up: N}`: the
    observances plus N days before and after each."""
    value = c.get(("season",))
    if value is None or value == "all-year":
        return Season()
    if value == "observances":
        return Season(all_year=False)
    if isinstance(value, dict):
        c.mapping(("season",), ("lead_in", "follow_up"))
        return Season(all_year=False,
                      lead_in=c.integer(("season", "lead_in"), required=False, low=0, high=MAX_SEASON_DAYS,
                                        default=0),
                      follow_up=c.integer(("season", "follow_up"), required=False, low=0, high=MAX_SEASON_DAYS,
                                          default=0))
    got = repr(value) if isinstance(value, str) else describe(value)
    c.error(("season",), f"expected all-year, observances, or a mapping with lead_in and follow_up (days), "
                         f"got {got}", "season")
    return Season()


def _date_fields(c: Checker, key_path) -> dict:
    raw = c.get(key_path)
    parsed = parse_month_day(raw) if isinstance(raw, str) else None
    if parsed is None:
        c.error(key_path, f"'{raw}' is not a real date; expected MM-DD such as '07-30'", "date")
        return {"month": 1, "day": 1}
    if parsed == (2, 29):
        c.warn(key_path, "02-29 only occurs in leap years; other years skip it", "leap-day")
    return {"month": parsed[0], "day": parsed[1]}


def _monthly_fields(c: Checker, path) -> dict:
    day = c.integer(path + ("monthly",), low=1, high=31)
    months = []
    for index, _ in enumerate(c.items(path + ("months",), required=False)):
        month = c.integer(path + ("months", index), low=1, high=12)
        if month is not None:
            months.append(month)
    months = tuple(sorted(set(months)))
    if day is None:
        return {}
    common_year = 2023
    skipped = [monthcal.month_name[m] for m in (months or range(1, 13))
               if day > monthcal.monthrange(common_year, m)[1]]
    if day == 29 and "February" in skipped:
        skipped[skipped.index("February")] = "February (except in leap years)"
    if skipped:
        c.warn(path + ("monthly",), f"day {day} skips {', '.join(skipped)}", "skipped-months")
    return {"kind": "monthly", "day": day, "months": months}


def _range_fields(c: Checker, path, entry) -> dict:
    if "to" not in entry:
        c.error(path + ("from",), "has no 'to'; a period needs both 'from: MM-DD' and 'to: MM-DD'", "period")
        return {}
    start = _date_fields(c, path + ("from",))
    end = _date_fields(c, path + ("to",))
    return {"kind": "range", "start": (start["month"], start["day"]), "end": (end["month"], end["day"])}


def _themes(c: Checker, key_path) -> dict:
    value = c.keyed_by_data(key_path, "a mapping of year to theme")
    themes = {}
    for year in value:
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            c.error(key_path + (year,), f"'{year}' is not a year; expected e.g. 2023", "year", of_key=True)
            continue
        theme, per_language = c.localised(key_path + (year,))
        if theme:
            themes[year] = per_language or {"en": theme}
    return themes
