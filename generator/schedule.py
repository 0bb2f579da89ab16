"""Which message goes out on which day, at what local time, on which platform and in which language.

Rules, in order:
1. Every day that falls within one of the campaign's observances posts that observance's featured messages,
   rotating through them day by day (single days win over periods when both fall on a day). Observances
   are why a campaign exists, so their days always post.
2. The rest of the week's `posts_per_week` go to the campaign's regular weekdays, rotating through all its
   messages by week: week w takes the next `n` messages after week w-1's, so consecutive weeks do not
   repeat a message while the campaign has alternatives left.
3. Each post goes out at the campaign's local time for that platform, written with its UTC offset.
Everything is derived from dates alone, so the same week always gives the same schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.dates import Occurrence, check_supported, observances_on
from generator.errors import UsageError
from generator.model import Campaign, Message

_EPOCH_MONDAY = date(2001, 1, 1)  # a Monday: week numbers count from here, the same in every year


@dataclass(frozen=True)
class Period:
    """The days a pack covers (both included) and the name of its output folder."""

    start: date
    end: date
    label: str

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True, order=True)
class Slot:
    """One scheduled post before rendering."""

    when: datetime  # local, with its time zone
    campaign_id: str
    platform: str
    language: str
    message_id: str
    observance: Occurrence | None = None

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def local_time(self) -> str:
        """ISO 8601 with the UTC offset, e.g. `2026-11-25T09:30:00-05:00`."""
        return self.when.isoformat()


def parse_week(text: str) -> Period:
    """`2026-W48` -> Monday..Sunday of that ISO week; a week the year does not have is a UsageError."""
    try:
        year_text, week_text = text.upper().split("-W")
        year, week = int(year_text), int(week_text)
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks_in_year = None
        try:
            weeks_in_year = date(int(text[:4]), 12, 28).isocalendar().week
        except ValueError:
            pass
        detail = f"; {text[:4]} has weeks 1 to {weeks_in_year}" if weeks_in_year else ""
        raise UsageError(f"'{text}' is not an ISO week; expected YYYY-Www such as 2026-W48{detail}") from None
    check_supported(monday, f"the week {text}")
    return Period(monday, monday + timedelta(days=6), f"{year}-W{week:02d}")


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


def schedule_campaign(campaign: Campaign, period: Period, platforms=None, languages=None) -> list[Slot]:
    """Every slot of `campaign` in `period`, for the requested platforms and languages (default: the campaign's)."""
    zone = ZoneInfo(campaign.timezone)
    targets = [p for p in campaign.platforms if not platforms or p in platforms]
    languages = [lang for lang in campaign.languages if not languages or lang in languages]
    slots = []
    for day, message, occurrence in _daily_messages(campaign, period):
        for platform in targets:
            chosen = message if message.targets(platform) else _substitute(campaign, message, platform)
            if chosen is None:
                continue
            hours, minutes = map(int, campaign.schedule.time_for(platform).split(":"))
            when = datetime.combine(day, time(hours, minutes), tzinfo=zone)
            for language in languages:
                slots.append(Slot(when, campaign.id, platform, language, chosen.id, occurrence))
    return sorted(slots)


def schedule_campaigns(campaigns, period: Period, platforms=None, languages=None) -> list[Slot]:
    slots = []
    for campaign in campaigns:
        slots.extend(schedule_campaign(campaign, period, platforms, languages))
    return sorted(slots)


def _daily_messages(campaign: Campaign, period: Period):
    """(day, message, observance or None) for each day the campaign posts in the period.

    Worked out over the whole ISO weeks around the period and then cut to it, so a day gets the same
    message whether it is built alone, in a date range or in its week."""
    whole_weeks = Period(period.start - timedelta(days=period.start.weekday()),
                         period.end + timedelta(days=6 - period.end.weekday()), period.label)
    return [item for item in _weekly_messages(campaign, whole_weeks) if period.start <= item[0] <= period.end]


def _weekly_messages(campaign: Campaign, period: Period):
    """The days of `period` (whole ISO weeks) the campaign posts on, with their messages."""
    chosen = []
    regular_days = []
    for day in period.days():
        occurrence = next((o for o in observances_on(campaign, day) if campaign.observance(o.observance_id).features),
                          None)
        if occurrence:
            features = campaign.observance(occurrence.observance_id).features
            # A period walks through its featured messages day by day; a monthly day moves on each time it recurs.
            message_id = features[(week_index(occurrence.start) + (day - occurrence.start).days) % len(features)]
            chosen.append((day, campaign.message(message_id), occurrence))
        elif day.weekday() in campaign.schedule.days:
            regular_days.append(day)
    # Regular posts fill the rest of each week's quota.
    by_week: dict[int, list[date]] = {}
    for day in regular_days:
        by_week.setdefault(week_index(day), []).append(day)
    observance_days_by_week: dict[int, int] = {}
    for day, _, _ in chosen:
        observance_days_by_week[week_index(day)] = observance_days_by_week.get(week_index(day), 0) + 1
    per_week = campaign.schedule.posts_per_week
    for week, days in by_week.items():
        quota = max(0, per_week - observance_days_by_week.get(week, 0))
        featured = {message.id for day, message, _ in chosen if week_index(day) == week}
        rotation = _rotation(_year_round(campaign.messages), week * per_week, avoid=featured)
        for day, message in zip(_spread(days, quota), rotation):
            chosen.append((day, message, None))
    return sorted(chosen, key=lambda item: item[0])


def _year_round(messages):
    """The messages the regular rotation may post: not those worded for an observance (`only_during`)."""
    return [message for message in messages if not message.only_during] or list(messages)


def _rotation(pool, start: int, avoid: set):
    """The pool from position `start` onwards (wrapping), skipping messages already featured that week
    while others remain; repeats only once every message has had its turn."""
    ordered = [pool[(start + n) % len(pool)] for n in range(len(pool))]
    fresh = [m for m in ordered if m.id not in avoid]
    while True:
        yield from fresh or ordered
        fresh = ordered


def _spread(days: list[date], count: int) -> list[date]:
    """`count` of `days`, spread evenly over the week rather than bunched at its start."""
    if count >= len(days):
        return days
    if count <= 0:
        return []
    step = len(days) / count
    return [days[int(i * step)] for i in range(count)]


def _substitute(campaign: Campaign, message: Message, platform: str) -> Message | None:
    """A message restricted away from `platform` is replaced there by the next message that targets it."""
    pool = campaign.messages
    start = pool.index(message)
    for offset in range(1, len(pool)):
        candidate = pool[(start + offset) % len(pool)]
        if candidate.targets(platform) and not candidate.only_during:
            return candidate
    return None


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
