"""Dates: the periods a pack covers (ISO weeks, date ranges), observances turned into concrete dates for any
year or range, and the season in which a campaign posts.

Three kinds of observance: an annual day (07-30), a monthly day (the 25th; a day a month lacks is skipped, as
the campaign file's validation warns), and an annual period (11-25 to 12-10, possibly crossing the new year,
in which case it starts in one year and ends in the next).
"""

from __future__ import annotations

import calendar as monthcal
import re
from dataclasses import dataclass
from datetime import date, timedelta

from generator.errors import UsageError
from generator.model import Campaign, Observance

_EPOCH_MONDAY = date(2001, 1, 1)  # a Monday: week numbers count from here, the same in every year
# The years campaign-gen plans for: wide enough for any campaign, narrow enough that a week, a range or a
# period crossing a year end never runs off the calendar Python can represent (years 1 to 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def check_supported(day: date, what: str = "") -> date:
    """`day` itself, or a UsageError when it lies outside the years campaign-gen plans for."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        named = f"{what} ({day.isoformat()})" if what else day.isoformat()
        raise UsageError(f"{named} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


@dataclass(frozen=True)
class Period:
    """The days a pack covers (both included) and the name of its output folder."""

    start: date
    end: date
    label: str

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


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


def in_season(campaign: Campaign, day: date) -> bool:
    """Whether the campaign posts on `day`: all year, or within `lead_in` days before to `follow_up` days after
    an occurrence of one of its observances (an observance's own lead_in/follow_up win over the season's)."""
    season = campaign.season
    if season.all_year:
        return True
    for observance in campaign.observances:
        lead_in = season.lead_in if observance.lead_in is None else observance.lead_in
        follow_up = season.follow_up if observance.follow_up is None else observance.follow_up
        if occurrences(observance, day - timedelta(days=follow_up), day + timedelta(days=lead_in)):
            return True
    return False


# -- periods -----------------------------------------------------------------------------------------------------
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{1,2})", re.IGNORECASE)
_BARE_WEEK = re.compile(r"W?(\d{1,2})", re.IGNORECASE)


def parse_week(text: str, today: date | None = None) -> Period:
    """`2026-W48` -> Monday..Sunday of that ISO week. Anything else is a UsageError that shows the expected
    form; a bare week number (`48`, `W48`) is answered with the week of the coming year that it most likely
    means, and a week the year does not have with the weeks it has."""
    match = _ISO_WEEK.fullmatch(text.strip())
    if not match:
        bare = _BARE_WEEK.fullmatch(text.strip())
        hint = ""
        if bare and 1 <= int(bare.group(1)) <= 53:
            year = coming_week(today or date.today()).start.year
            hint = f"; did you mean {year}-W{int(bare.group(1)):02d}?"
        raise UsageError(f"'{text}' is not an ISO week; expected the year, -W and the week number, such as "
                         f"2026-W48{hint}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks_in_year = date(year, 12, 28).isocalendar().week if 1 <= year <= 9999 else 52
        raise UsageError(f"'{text}' is not an ISO week: {year} has weeks 1 to {weeks_in_year}") from None
    check_supported(monday, f"the week {text}")
    return Period(monday, monday + timedelta(days=6), f"{year}-W{week:02d}")


def past_period_warning(period: Period, today: date) -> str | None:
    """A word for a person building a period that is over: its posts' times have passed, so a scheduler would
    refuse or publish them at once. None for a period that has not ended."""
    if period.end >= today:
        return None
    return (f"{period.label} is in the past (it ended on {period.end.isoformat()}): its posting times have gone "
            "by, so do not upload its scheduler files")


def coming_week(today: date) -> Period:
    """The next Monday to Sunday after `today`."""
    monday = today + timedelta(days=7 - today.weekday())
    iso = monday.isocalendar()
    return Period(monday, monday + timedelta(days=6), f"{iso.year}-W{iso.week:02d}")


def date_range(start: date, end: date) -> Period:
    check_supported(start)
    check_supported(end)
    if end < start:
        raise UsageError(f"the date range ends ({end}) before it starts ({start})")
    if (end - start).days > 366:
        raise UsageError(f"the date range {start} to {end} is longer than a year; build it in parts")
    return Period(start, end, f"{start}_{end}")


def week_index(day: date) -> int:
    """Weeks since a fixed Monday: consecutive weeks have consecutive numbers, across year ends too."""
    return (day - _EPOCH_MONDAY).days // 7


def choose_period(week: str | None = None, start=None, end=None, today=None) -> Period:
    """The period from the command line: --week, or --from with --to, else the coming ISO week."""
    if week and (start or end):
        raise UsageError("give either --week or --from/--to, not both")
    if week:
        return parse_week(week)
    if start or end:
        if not (start and end):
            raise UsageError(f"--{'from' if start else 'to'} needs --{'to' if start else 'from'} too: "
                             "give both days of the range")
        return date_range(start, end)
    return coming_week(today or date.today())
