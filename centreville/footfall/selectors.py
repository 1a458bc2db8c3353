"""Footfall figures for pages and dashboards, read from the daily and monthly totals only (never the counts).

A figure sums the channels of a `Scope`: the whole town (or one kind of counter), a site, or one channel.
Days are the town's calendar days; weeks are ISO weeks (Monday to Sunday); months are calendar months.

- A period with no count at all is a gap: its total is None, never 0.
- A period is complete when every channel expected then has every day complete (no more than
  `MAX_MISSING_HOURS` hours without counts). A channel is expected over every period it was counting in,
  from its first day of counts to the day it stopped (`CountingChannel.ended_at`), if it did; a week or
  month it started or stopped in is incomplete. An incomplete total undercounts: pages say so.
- Last year's figure for a day or a week is the one 364 days (52 weeks) earlier: the same weekdays, so a
  Saturday compares with a Saturday. A month compares with the same month a year earlier.

Nothing here reads the clock: callers pass the days they want.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum

from centreville.towns.models import Town

from .models import CountingChannel, CountingSite, DailyCount, MobilityKind, MonthlyCount

LAST_YEAR_DAYS = 364  # 52 weeks: the same weekday a year earlier


@dataclass(frozen=True)
class Scope:
    """Which channels a figure sums: the town's (of one `kind`, or all), one site's, or one channel."""

    town: Town
    kind: str | None = None
    site_id: int | None = None
    channel_id: int | None = None


@dataclass(frozen=True)
class _Span:
    channel_id: int
    first_day: date
    last_day: date | None  # the day it stopped counting, if it did


@dataclass(frozen=True)
class PeriodCount:
    """The total of one day, week or month, and how much of it was counted."""

    first: date
    last: date
    total: int | None  # None: nothing counted (a gap)
    days_with_data: int  # channel-days with counts
    days_complete: int  # channel-days with counts for all but MAX_MISSING_HOURS hours at most
    days_expected: int  # channel-days the channels were counting
    channels: frozenset[int] = frozenset()  # the channels expected to count in the period

    @property
    def is_gap(self) -> bool:
        return self.total is None

    @property
    def is_complete(self) -> bool:
        return self.total is not None and self.days_complete >= self.days_expected


@dataclass(frozen=True)
class Compared:
    """A period's figure beside the same period a year earlier."""

    current: PeriodCount
    previous: PeriodCount

    @property
    def change_percent(self) -> Decimal | None:
        """The change since last year in percent (one decimal), like for like: when both totals are complete
        and summed over the same channels (a counter added since would inflate the change)."""
        now, then = self.current, self.previous
        if not (now.is_complete and then.is_complete) or not then.total or now.channels != then.channels:
            return None
        assert now.total is not None
        change = Decimal(now.total - then.total) * 100 / Decimal(then.total)
        return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FlaggedDay:
    """A channel's day counted for too few of its hours."""

    day: date
    site_name: str
    channel_name: str
    hours_with_data: int
    hours_expected: int


# --- Channels of a scope ------------------------------------------------------------------------------


def _channels(scope: Scope) -> QuerySet[CountingChannel]:
    channels = CountingChannel.objects.filter(site__town=scope.town)
    if scope.kind:
        channels = channels.filter(kind=scope.kind)
    if scope.site_id is not None:
        channels = channels.filter(site_id=scope.site_id)
    if scope.channel_id is not None:
        channels = channels.filter(pk=scope.channel_id)
    return channels


def _first_day() -> Subquery:
    # One index probe per channel (its days are indexed by channel and day), not a scan of its days.
    return Subquery(DailyCount.objects.filter(channel=OuterRef("pk")).order_by("day").values("day")[:1])


def _last_day() -> Subquery:
    return Subquery(DailyCount.objects.filter(channel=OuterRef("pk")).order_by("-day").values("day")[:1])


def _spans(scope: Scope) -> list[_Span]:
    """The scope's channels that have counts, from their first day to the day they stopped counting."""
    zone = ZoneInfo(scope.town.timezone)
    rows = _channels(scope).annotate(first_day=_first_day()).filter(first_day__isnull=False).order_by("pk")
    spans = []
    for channel in rows:
        last_day = None
        if channel.ended_at is not None:  # the end is exclusive: the last day is the one before it
            last_day = (channel.ended_at.astimezone(zone) - timedelta(microseconds=1)).date()
        spans.append(_Span(channel.pk, channel.first_day, last_day))
    return spans


def _expected(spans: Sequence[_Span], first: date, last: date) -> tuple[int, frozenset[int]]:
    """Channel-days expected between `first` and `last` (inclusive), and from which channels: every day of
    the period for each channel counting at some point in it (a week or month it started or stopped in is
    therefore incomplete: its total does not compare with a whole one)."""
    days = (last - first).days + 1
    channels = frozenset(
        span.channel_id
        for span in spans
        if span.first_day <= last and (span.last_day is None or span.last_day >= first)
    )
    return days * len(channels), channels


# --- Days, weeks and months ----------------------------------------------------------------------------


DayRows = dict[date, tuple[int, int, int]]  # per day: total, channel-days with counts, complete channel-days


def _daily_rows(spans: Sequence[_Span], ranges: Sequence[tuple[date, date]]) -> DayRows:
    """Per day of `ranges` (first and last days, inclusive): total, channel-days with counts, complete
    channel-days; in one query."""
    within = [Q(day__range=(first, last)) for first, last in ranges if first <= last]
    if not spans or not within:
        return {}
    rows = (
        DailyCount.objects.filter(reduce(or_, within))
        .filter(channel_id__in=[span.channel_id for span in spans])
        .values("day")
        .annotate(total=Sum("total"), with_data=Count("pk"), complete=Count("pk", filter=Q(is_complete=True)))
    )
    return {row["day"]: (row["total"], row["with_data"], row["complete"]) for row in rows}


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _period(spans: Sequence[_Span], first: date, last: date, rows: DayRows) -> PeriodCount:
    total = with_data = complete = 0
    seen = False
    for day in _days(first, last):
        row = rows.get(day)
        if row is not None:
            seen = True
            total += row[0]
            with_data += row[1]
            complete += row[2]
    expected, channels = _expected(spans, first, last)
    return PeriodCount(first, last, total if seen else None, with_data, complete, expected, channels)


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def weeks_span(first: date, last: date) -> tuple[date, date]:
    """From the Monday of `first`'s ISO week to the Sunday of `last`'s."""
    return week_start(first), week_start(last) + timedelta(days=6)


def year_apart(first: date, last: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The days from `first` to `last`, and the same weekdays 52 weeks earlier: what a comparison reads."""
    back = timedelta(days=LAST_YEAR_DAYS)
    return (first, last), (first - back, last - back)


@dataclass(frozen=True)
class CountedDays:
    """A scope's day totals over some ranges of days, read in one query: the figures of any days, weeks or
    period within them, and beside a year before when that is read too. A page that shows several reads
    them once."""

    spans: Sequence[_Span]
    ranges: tuple[tuple[date, date], ...]
    rows: DayRows

    def _read(self, first: date, last: date) -> None:
        if first <= last and not any(start <= first and last <= end for start, end in self.ranges):
            raise ValueError(f"{first}…{last} was not read: {self.ranges}")

    def period(self, first: date, last: date) -> PeriodCount:
        """The total from `first` to `last`."""
        self._read(first, last)
        return _period(self.spans, first, last, self.rows)

    def days(self, first: date, last: date) -> list[PeriodCount]:
        """One figure per day from `first` to `last`."""
        self._read(first, last)
        return [_period(self.spans, day, day, self.rows) for day in _days(first, last)]

    def weeks(self, first: date, last: date) -> list[PeriodCount]:
        """One figure per ISO week, from the week holding `first` to the week holding `last`."""
        if first > last:
            return []
        monday, sunday = weeks_span(first, last)
        self._read(monday, sunday)
        mondays = (monday + timedelta(weeks=n) for n in range(((sunday - monday).days + 1) // 7))
        return [_period(self.spans, start, start + timedelta(days=6), self.rows) for start in mondays]

    def _beside_last_year(
        self, series: Callable[[date, date], list[PeriodCount]], first: date, last: date
    ) -> list[Compared]:
        back = timedelta(days=LAST_YEAR_DAYS)
        now, then = series(first, last), series(first - back, last - back)
        return [Compared(current, previous) for current, previous in zip(now, then, strict=True)]

    def period_compared(self, first: date, last: date) -> Compared:
        """The total from `first` to `last` beside the same weekdays 52 weeks earlier."""
        back = timedelta(days=LAST_YEAR_DAYS)
        return Compared(self.period(first, last), self.period(first - back, last - back))

    def days_compared(self, first: date, last: date) -> list[Compared]:
        """Each day beside the same weekday 52 weeks earlier."""
        return self._beside_last_year(self.days, first, last)

    def weeks_compared(self, first: date, last: date) -> list[Compared]:
        """Each ISO week beside the week 52 weeks earlier (Monday to Sunday as well)."""
        return self._beside_last_year(self.weeks, first, last)


def counted_days(scope: Scope, *ranges: tuple[date, date]) -> CountedDays:
    """The scope's day totals over `ranges` (first and last days, inclusive), in two queries."""
    spans = _spans(scope)
    return CountedDays(spans, ranges, _daily_rows(spans, ranges))


def by_day(scope: Scope, first: date, last: date) -> list[PeriodCount]:
    """One figure per day from `first` to `last` (inclusive)."""
    return counted_days(scope, (first, last)).days(first, last)


def by_week(scope: Scope, first: date, last: date) -> list[PeriodCount]:
    """One figure per ISO week, from the week holding `first` to the week holding `last`."""
    return counted_days(scope, weeks_span(first, last)).weeks(first, last)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from the one holding `first` to the one holding `last`."""
    months: list[date] = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def by_month(scope: Scope, first: date, last: date) -> list[PeriodCount]:
    """One figure per calendar month, from the month holding `first` to the month holding `last`."""
    spans = _spans(scope)
    months = months_between(first, last)
    if not months:
        return []
    rows = {
        row["month"]: row
        for row in MonthlyCount.objects.filter(
            channel_id__in=[span.channel_id for span in spans], month__gte=months[0], month__lte=months[-1]
        )
        .values("month")
        .annotate(total=Sum("total"), with_data=Sum("days_with_data"), complete=Sum("days_complete"))
    }
    figures = []
    for month in months:
        end = next_month(month) - timedelta(days=1)
        row = rows.get(month)
        expected, channels = _expected(spans, month, end)
        if row is None:
            figures.append(PeriodCount(month, end, None, 0, 0, expected, channels))
        else:
            figures.append(
                PeriodCount(month, end, row["total"], row["with_data"], row["complete"], expected, channels)
            )
    return figures


# --- Against last year --------------------------------------------------------------------------------


def days_compared(scope: Scope, first: date, last: date) -> list[Compared]:
    """Each day beside the same weekday 52 weeks earlier."""
    return counted_days(scope, *year_apart(first, last)).days_compared(first, last)


def weeks_compared(scope: Scope, first: date, last: date) -> list[Compared]:
    """Each ISO week beside the week 52 weeks earlier (Monday to Sunday as well)."""
    return counted_days(scope, *year_apart(*weeks_span(first, last))).weeks_compared(first, last)


def months_compared(scope: Scope, first: date, last: date) -> list[Compared]:
    """Each month beside the same month a year earlier."""
    now = by_month(scope, first, last)
    months = [figure.first for figure in now]
    if not months:
        return []
    then = by_month(scope, _year_before(months[0]), _year_before(months[-1]))
    return [Compared(current, previous) for current, previous in zip(now, then, strict=True)]


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1)


def period_compared(scope: Scope, first: date, last: date) -> Compared:
    """The total from `first` to `last` beside the same weekdays 52 weeks earlier."""
    return counted_days(scope, *year_apart(first, last)).period_compared(first, last)


# --- Days flagged, sites and their coverage ----------------------------------------------------------


def flagged_days(scope: Scope, first: date, last: date, *, limit: int = 100) -> list[FlaggedDay]:
    """The channel-days counted for too few hours between `first` and `last`, latest first."""
    rows = (
        DailyCount.objects.filter(
            channel__in=_channels(scope), day__gte=first, day__lte=last, is_complete=False
        )
        .select_related("channel__site")
        .order_by("-day", "channel__site__name", "channel__name")[:limit]
    )
    return [
        FlaggedDay(row.day, row.channel.site.name, row.channel.name, row.hours_with_data, row.hours_expected)
        for row in rows
    ]


@dataclass(frozen=True)
class ChannelCoverage:
    channel: CountingChannel
    first_day: date | None
    last_day: date | None
    days_with_data: int
    days_incomplete: int
    total: int

    @property
    def days_missing(self) -> int:
        """Days without any count between the first and the last."""
        if self.first_day is None or self.last_day is None:
            return 0
        return (self.last_day - self.first_day).days + 1 - self.days_with_data


@dataclass(frozen=True)
class SiteCoverage:
    site: CountingSite
    channels: list[ChannelCoverage]

    @property
    def first_day(self) -> date | None:
        return min((c.first_day for c in self.channels if c.first_day), default=None)

    @property
    def last_day(self) -> date | None:
        return max((c.last_day for c in self.channels if c.last_day), default=None)


def sites_coverage(town: Town) -> list[SiteCoverage]:
    """The town's counting sites, their channels, and what each channel has counted."""
    sites = list(CountingSite.objects.for_town(town).order_by("name", "pk"))
    channels = (
        CountingChannel.objects.filter(site__town=town)
        .annotate(first_day=_first_day(), last_day=_last_day())
        .order_by("name", "pk")
    )
    months = {
        row["channel_id"]: row
        for row in MonthlyCount.objects.filter(channel__site__town=town)
        .values("channel_id")
        .annotate(total=Sum("total"), with_data=Sum("days_with_data"), complete=Sum("days_complete"))
    }
    by_site: dict[int, list[ChannelCoverage]] = {site.pk: [] for site in sites}
    for channel in channels:
        row = months.get(channel.pk, {})
        with_data = row.get("with_data") or 0
        by_site[channel.site_id].append(
            ChannelCoverage(
                channel=channel,
                first_day=channel.first_day,
                last_day=channel.last_day,
                days_with_data=with_data,
                days_incomplete=with_data - (row.get("complete") or 0),
                total=row.get("total") or 0,
            )
        )
    return [SiteCoverage(site, by_site[site.pk]) for site in sites]


def kinds_counted(town: Town) -> list[str]:
    """The kinds of counters (MobilityKind values) the town has counts for, in the order of MobilityKind."""
    kinds = set(
        CountingChannel.objects.filter(site__town=town, months__isnull=False).values_list("kind", flat=True)
    )
    return [kind for kind in MobilityKind.values if kind in kinds]


def town_site(town: Town, site_id: int) -> CountingSite | None:
    return CountingSite.objects.for_town(town).filter(pk=site_id).first()


def site_channels(site: CountingSite) -> list[CountingChannel]:
    return list(site.channels.order_by("name", "pk"))


def channel_months(site: CountingSite, first: date, last: date) -> dict[int, dict[date, int]]:
    """Each channel's monthly totals between the months holding `first` and `last`."""
    rows = MonthlyCount.objects.filter(
        channel__site=site, month__gte=month_start(first), month__lte=month_start(last)
    ).values_list("channel_id", "month", "total")
    totals: dict[int, dict[date, int]] = {}
    for channel_id, month, total in rows:
        totals.setdefault(channel_id, {})[month] = total
    return totals


def last_counted_day(scope: Scope) -> date | None:
    """The latest day the scope has counts for."""
    # The latest of each channel's last day: one index probe per channel, not a scan of their days.
    day: date | None = _channels(scope).annotate(last_day=_last_day()).aggregate(last=Max("last_day"))["last"]
    return day
