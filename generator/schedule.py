"""Which message goes out on which day, at what local time, on which account (platform and language).

The rules, in order (docs/pack.md, "The editorial calendar", says them in plain words):

1. **Season.** A campaign posts only on the days of its season (`dates.in_season`): all year, or around its
   observances. Outside it, nothing of the campaign goes out.
2. **Days.** Each ISO week, a campaign posts on at most `posts_per_week` days per account, observance days
   included. Single-day observances always post; then the days of an observance period, spread over the week;
   then the campaign's regular weekdays (`schedule.days`), spread over the week, with what is left of the quota.
3. **The day's own message.** On an observance day the messages written for that observance come first: those
   whose `only_during` names it (in file order), then its `features`. A single-day observance posts the first
   of them (its headline message) on every account; a period walks through them day by day from its first
   day; a monthly day moves on one message each month. On each account the first candidate that targets the
   platform, has a text in the language and has not gone out there that week is taken.
4. **The rest of the year.** Regular days rotate through the messages not worded for an observance, a new
   starting point each week, skipping any already posted that week on the account while others remain.
5. **Times.** Each post goes out at the local time of its language's audience (its own time zone and times,
   else the campaign's), written with its UTC offset. Two posts on one account never share a minute:
   `stagger` moves the later ones on by `STAGGER` and warns when a day runs out.

Everything is derived from dates alone, so the same week always gives the same schedule, whether it is built
alone, in a date range or in a year. That is also why a campaign's schedule for a period is kept in this
process under the campaign's repr (every field of it): `serve` schedules the week and the months around it
after every save, and only the edited campaign's schedule can have changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.dates import Occurrence, Period, in_season, observances_on, week_index
from generator.errors import Problem, warning
from generator.model import Campaign, Message
from generator.workspace import Kept

STAGGER = timedelta(minutes=30)  # how far a post moves when its account already posts at that minute
KEPT_SCHEDULES = 64
_kept = Kept(KEPT_SCHEDULES)  # (campaign, period, platforms, languages) -> its slots


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
    def account(self) -> tuple[str, str]:
        """Where the post goes out: a platform and language (organisations publish each language from its own
        account)."""
        return self.platform, self.language

    @property
    def local_time(self) -> str:
        """ISO 8601 with the UTC offset, e.g. `2026-11-25T09:30:00-05:00`."""
        return self.when.isoformat()


def schedule_campaign(campaign: Campaign, period: Period, platforms=None, languages=None) -> list[Slot]:
    """Every slot of `campaign` in `period`, for the requested platforms and languages (default: the campaign's)."""
    targets = [p for p in campaign.platforms if not platforms or p in platforms]
    languages = [lang for lang in campaign.languages if not languages or lang in languages]
    slots = []
    for week in _whole_weeks(period):
        days = posting_days(campaign, week)
        for platform in targets:
            for language in languages:
                for day, message, occurrence in messages_for_account(campaign, days, platform, language):
                    if period.start <= day <= period.end:
                        slots.append(Slot(_local_time(campaign, day, platform, language), campaign.id, platform,
                                          language, message.id, occurrence))
    return sorted(slots)


def schedule_campaigns(campaigns, period: Period, platforms=None, languages=None) -> list[Slot]:
    slots = []
    for campaign in campaigns:
        key = (repr(campaign), period, tuple(platforms or ()), tuple(languages or ()))
        slots.extend(_kept.get(key, lambda: tuple(schedule_campaign(campaign, period, platforms, languages))))
    return sorted(slots)


def _whole_weeks(period: Period) -> list[list[date]]:
    """The ISO weeks (Monday to Sunday) that `period` touches: a day's message depends on its whole week."""
    monday = period.start - timedelta(days=period.start.weekday())
    weeks = []
    while monday <= period.end:
        weeks.append([monday + timedelta(days=n) for n in range(7)])
        monday += timedelta(days=7)
    return weeks


def _local_time(campaign: Campaign, day: date, platform: str, language: str) -> datetime:
    hours, minutes = map(int, campaign.schedule.time_for(platform, language).split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(campaign.timezone_for(language)))


# -- which days ----------------------------------------------------------------------------------------------------
def posting_days(campaign: Campaign, week: list[date]) -> list[tuple[date, Occurrence | None]]:
    """The days of one ISO week the campaign posts on, each with the observance that gives it its message
    (None for a regular day), in date order (rule 2)."""
    singles, period_days, regular = [], [], []
    for day in week:
        if not in_season(campaign, day):
            continue
        occurrence = observance_with_messages(campaign, day)
        if occurrence is None:
            if day.weekday() in campaign.schedule.days:
                regular.append((day, None))
        elif occurrence.is_period:
            period_days.append((day, occurrence))
        else:
            singles.append((day, occurrence))
    quota = max(0, campaign.schedule.posts_per_week - len(singles))
    chosen = singles + _spread(period_days, quota)
    chosen += _spread(regular, campaign.schedule.posts_per_week - len(chosen))
    return sorted(chosen, key=lambda item: item[0])


def observance_with_messages(campaign: Campaign, day: date) -> Occurrence | None:
    """The observance whose messages `day` posts: the first in force (single days before periods) that has
    messages written for it; None on a day without one."""
    for occurrence in observances_on(campaign, day):
        if candidates(campaign, occurrence.observance_id):
            return occurrence
    return None


def _spread(days: list, count: int) -> list:
    """`count` of `days`, spread evenly over the week rather than bunched at its start."""
    if count >= len(days):
        return list(days)
    if count <= 0:
        return []
    step = len(days) / count
    return [days[int(i * step)] for i in range(count)]


# -- which message ---------------------------------------------------------------------------------------------------
def candidates(campaign: Campaign, observance_id: str) -> list[Message]:
    """The messages written for an observance, in priority order: those worded for it (`only_during`, in file
    order), then its `features`. The first is the observance's headline message."""
    worded = [m.id for m in campaign.messages if observance_id in m.only_during]
    featured = list(campaign.observance(observance_id).features)
    return [campaign.message(message_id) for message_id in dict.fromkeys(worded + featured)]


def _rotation_step(occurrence: Occurrence, day: date) -> int:
    """How far into its candidates a rotating observance day starts: a period moves on one message a day from
    its first day, a monthly observance one a month. (A single annual day does not rotate: it posts its
    headline message.)"""
    if occurrence.is_period:
        return (day - occurrence.start).days
    return day.year * 12 + day.month


def messages_for_account(campaign: Campaign, days, platform: str, language: str):
    """(day, message, observance) for one account over one week's posting days (rules 3 and 4). An observance
    day keeps its observance (its name and theme reach the templates) even when, every message written for it
    having gone out that week, a regular message is posted."""
    used: set[str] = set()
    pool = [m for m in campaign.messages if not m.only_during and m.targets(platform)]
    regular = _weekly_order(pool, days[0][0] if days else None, campaign.schedule.posts_per_week)
    chosen = []
    # Observance days choose first, so a regular day earlier in the week never takes the day's own message.
    for day, occurrence in sorted(days, key=lambda item: item[1] is None):
        message = _observance_message(campaign, occurrence, day, platform, language, used) if occurrence else None
        message = message or _first_unused(regular, used)
        if message is not None:
            used.add(message.id)
            chosen.append((day, message, occurrence))
    return sorted(chosen, key=lambda item: item[0])


def _observance_message(campaign, occurrence, day, platform, language, used) -> Message | None:
    """The observance's message for this account and day (rule 3), or None when every one it has has already
    gone out on the account this week."""
    pool = [m for m in candidates(campaign, occurrence.observance_id) if m.targets(platform)]
    if not pool:
        return None
    if not occurrence.is_period and campaign.observance(occurrence.observance_id).kind != "monthly":
        return pool[0]  # the headline message always goes out on the day itself
    start = _rotation_step(occurrence, day) % len(pool)
    ordered = pool[start:] + pool[:start]
    fresh = [m for m in ordered if m.id not in used]
    return next((m for m in fresh if m.has_language(language)), fresh[0] if fresh else None)


def _weekly_order(pool: list[Message], first_day: date | None, per_week: int) -> list[Message]:
    """The year-round messages in this week's order: each week starts `posts_per_week` further on, so
    consecutive weeks do not repeat a message while the campaign has others."""
    if not pool or first_day is None:
        return pool
    start = week_index(first_day) * per_week % len(pool)
    return pool[start:] + pool[:start]


def _first_unused(ordered: list[Message], used: set) -> Message | None:
    """The first message not yet posted this week on the account; once all have been, the first again."""
    return next((m for m in ordered if m.id not in used), ordered[0] if ordered else None)


# -- one account, one minute -----------------------------------------------------------------------------------------
def stagger(slots: list[Slot]) -> tuple[list[Slot], list[Problem]]:
    """Slots with no two posts on one account at the same minute: on each account and day, posts keep their time
    in order (observance posts first, then by campaign) and a post whose minute is taken moves on by `STAGGER`
    until one is free. A post that would leave its day keeps its time and is reported (`schedule.collision`)."""
    taken: set = set()
    placed, problems = [], []
    order = sorted(slots, key=lambda s: (s.when, s.observance is None, s.campaign_id, s.platform, s.language))
    for slot in order:
        when = slot.when
        while (slot.account, when) in taken and (when + STAGGER).date() == slot.day:
            when += STAGGER
        if (slot.account, when) in taken:
            problems.append(warning("schedule.collision", f"{slot.platform} ({slot.language}) already posts at "
                                    f"{when:%H:%M} on {slot.day} and the day has no free time left after it; "
                                    f"move one of the campaigns' times", f"{slot.campaign_id}/{slot.message_id}"))
        taken.add((slot.account, when))
        placed.append(replace(slot, when=when) if when != slot.when else slot)
    return sorted(placed), problems


# -- over a year -----------------------------------------------------------------------------------------------------
# Four years, one of them a leap year: long enough for every annual, monthly and leap-day observance to occur.
REFERENCE_YEARS = (2024, 2027)


def message_counts(campaign: Campaign, start: date, end: date, languages=None) -> dict[str, int]:
    """message id -> how many posts (over every account) the schedule gives it from `start` to `end`, in the
    campaign's order; a message never posted counts 0."""
    counts = {message.id: 0 for message in campaign.messages}
    for slot in schedule_campaign(campaign, Period(start, end, ""), languages=languages):
        counts[slot.message_id] += 1
    return counts


def never_scheduled(campaign: Campaign) -> list[Message]:
    """The messages the schedule never posts in the reference years: not featured on any observance day, worded
    for observances outside the season, or crowded out of a short season by the featured ones."""
    first, last = REFERENCE_YEARS
    counts = message_counts(campaign, date(first, 1, 1), date(last, 12, 31), languages=campaign.languages[:1])
    return [message for message in campaign.messages if not counts[message.id]]
