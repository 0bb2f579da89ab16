"""Observances to concrete dates, for any year or date range.

Three kinds: an annual day (07-30), a monthly day (the 25th; a day a month lacks is skipped, as the
campaign file's validation warns), and an annual period (11-25 to 12-10, possibly crossing the new year,
in which case it starts in one year and ends in the next).
"""

from __future__ import annotations

import calendar as monthcal
from dataclasses import dataclass
from datetime import date, timedelta

from generator.errors import UsageError
from generator.model import Campaign, Observance

# The years campaign-gen plans for: wide enough for any campaign, narrow enough that a week, a range or a
# period crossing a year end never runs off the calendar Python can represent (years 1 to 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def check_supported(day: date, what: str = "") -> date:
    """`day` itself, or a UsageError when it lies outside the years campaign-gen plans for."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        named = f"{what} ({day.isoformat()})" if what else day.isoformat()
        raise UsageError(f"{named} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


@dataclass(frozen=True, order=True)
class Occurrence:
    """One occurrence of an observance: a single day (`start == end`) or a period."""

    start: date
    end: date
    campaign_id: str
    observance_id: str
    name: str
    theme: str | None = None

    @property
    def is_period(self) -> bool:
        return self.start != self.end

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def _real_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when that year has no such day (02-29 outside leap years, 31 in a 30-day month)."""
    if day > monthcal.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def occurrences(observance: Observance, start: date, end: date, campaign_id: str = "") -> list[Occurrence]:
    """Every occurrence of `observance` that overlaps the days `start`..`end` (both included), in order."""
    if end < start:
        return []
    found = []
    for year in range(start.year - 1, end.year + 1):
        for first, last in _spans_in_year(observance, year):
            if first <= end and last >= start:
                found.append(Occurrence(first, last, campaign_id, observance.id, observance.name,
                                        observance.theme(first.year)))
    return sorted(set(found))


def _spans_in_year(observance: Observance, year: int):
    """The (first, last) days of the occurrences that begin in `year`."""
    if observance.kind == "date":
        day = _real_date(year, observance.month, observance.day)
        if day:
            yield day, day
    elif observance.kind == "monthly":
        for month in observance.months or range(1, 13):
            day = _real_date(year, month, observance.day)
            if day:
                yield day, day
    elif observance.kind == "range":
        (from_month, from_day), (to_month, to_day) = observance.start, observance.end
        first = _real_date(year, from_month, from_day)
        crosses_year = (to_month, to_day) < (from_month, from_day)
        end_year = year + 1 if crosses_year else year
        # A period ending on 02-29 ends on 02-28 in other years rather than vanishing.
        last = _real_date(end_year, to_month, to_day) or date(end_year, to_month, to_day - 1)
        if first:
            yield first, last


def campaign_occurrences(campaign: Campaign, start: date, end: date) -> list[Occurrence]:
    """Every occurrence of the campaign's observances overlapping `start`..`end`, sorted by date."""
    found = []
    for observance in campaign.observances:
        found.extend(occurrences(observance, start, end, campaign.id))
    return sorted(found)


def observances_on(campaign: Campaign, day: date) -> list[Occurrence]:
    """The observances of the campaign in force on `day`: single days first, then periods."""
    return sorted(campaign_occurrences(campaign, day, day), key=lambda o: (o.is_period, o.start, o.observance_id))


def observance_on(campaign: Campaign, day: date | None) -> Observance | None:
    """The observance that gives `day` its name and theme (the first of observances_on), or None."""
    if day is None:
        return None
    for occurrence in observances_on(campaign, day):
        return campaign.observance(occurrence.observance_id)
    return None


def upcoming(campaigns, start: date, weeks: int) -> list[Occurrence]:
    """Occurrences of all campaigns from `start` over `weeks` weeks, sorted by date then campaign."""
    check_supported(start)
    end = check_supported(start + timedelta(days=7 * weeks - 1), f"the last of {weeks} weeks from {start}")
    found = []
    for campaign in campaigns:
        found.extend(campaign_occurrences(campaign, start, end))
    return sorted(found, key=lambda o: (o.start, o.end, o.campaign_id, o.observance_id))
