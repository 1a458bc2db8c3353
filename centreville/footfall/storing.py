"""Writing counts, inside the caller's transaction: each count inserted or updated (never doubled; an equal
one is left alone), then the daily and monthly totals of the channel-days that changed, recomputed.

On PostgreSQL the counts go through COPY into a temporary table, then one INSERT … ON CONFLICT DO UPDATE …
WHERE changed … RETURNING says which were new and which changed; the totals are one INSERT … SELECT … GROUP
BY … ON CONFLICT each. Elsewhere (SQLite) the same is done portably, with executemany.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Sum

from centreville.towns.models import Town

from .models import MAX_MISSING_HOURS, DailyCount, Measure, MonthlyCount
from .stamps import LocalClock

MEASURES = Measure._meta.db_table
DAYS = DailyCount._meta.db_table
MONTHS = MonthlyCount._meta.db_table


class ChannelCounts:
    """The counts read for one channel: starts (seconds since the epoch), durations and counts, each
    start once."""

    __slots__ = ("counts", "durations", "seen", "starts")

    def __init__(self) -> None:
        self.starts = array("q")
        self.durations = array("l")
        self.counts = array("l")
        self.seen: set[int] = set()

    def add(self, start: int, duration: int, count: int) -> bool:
        """Keep this count; False (and nothing kept) when the channel already has one at `start`."""
        if start in self.seen:
            return False
        self.seen.add(start)
        self.starts.append(start)
        self.durations.append(duration)
        self.counts.append(count)
        return True

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class Stored:
    imported: int
    updated: int


def town_lock(town: Town) -> None:
    """One import at a time per town (PostgreSQL): a second waits for the first to commit, so that the totals
    each computes include the other's counts."""
    Town.objects.select_for_update().filter(pk=town.pk).first()


# --- Counts and their totals ------------------------------------------------------------------------


def measures_store(channels: Sequence[tuple[int, ChannelCounts]], *, clock: LocalClock) -> Stored:
    """Insert or update the counts of each channel (id, counts) and recompute the totals of the days and
    months whose counts changed. Runs in the caller's transaction."""
    channels = [(channel_id, counts) for channel_id, counts in channels if len(counts)]
    if not channels:
        return Stored(0, 0)
    if connection.vendor == "postgresql":
        return _store_postgresql(channels, clock)
    return _store_portable(channels, clock)


def _store_postgresql(channels: Sequence[tuple[int, ChannelCounts]], clock: LocalClock) -> Stored:
    # The temporary tables live until the commit: a caller in autocommit gets a transaction of its own.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE footfall_incoming "
            "(channel_id bigint, start_epoch bigint, duration integer, count integer) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY footfall_incoming FROM STDIN") as copy:
            for channel_id, counts in channels:
                prefix = f"{channel_id}\t"
                copy.write(
                    "".join(
                        f"{prefix}{start}\t{duration}\t{count}\n"
                        for start, duration, count in zip(
                            counts.starts, counts.durations, counts.counts, strict=True
                        )
                    )
                )
        cursor.execute(
            "CREATE TEMPORARY TABLE footfall_touched "
            "(channel_id bigint, start timestamptz, inserted boolean) ON COMMIT DROP"
        )
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {MEASURES} AS m (channel_id, start, duration, count)
                SELECT channel_id, to_timestamp(start_epoch), duration, count FROM footfall_incoming
                ON CONFLICT (channel_id, start) DO UPDATE
                    SET duration = EXCLUDED.duration, count = EXCLUDED.count
                    WHERE m.duration <> EXCLUDED.duration OR m.count <> EXCLUDED.count
                RETURNING m.channel_id, m.start, (m.xmax = 0) AS inserted
            )
            INSERT INTO footfall_touched SELECT channel_id, start, inserted FROM upserted
            """
        )
        cursor.execute(
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM footfall_touched"
        )
        imported, updated = cursor.fetchone()
        params: dict[str, Any] = {"tz": clock.name, "max_missing": MAX_MISSING_HOURS}
        cursor.execute(
            "CREATE TEMPORARY TABLE footfall_days ON COMMIT DROP AS "
            "SELECT DISTINCT channel_id, (start AT TIME ZONE %(tz)s)::date AS day FROM footfall_touched",
            params,
        )
        # Each channel-day, and then each month, sums its own rows through the index (LATERAL): a join on
        # ranges would let the planner compare every day of a channel with every count of it.
        cursor.execute(
            f"""
            INSERT INTO {DAYS} (channel_id, day, total, hours_with_data, hours_expected, is_complete)
            SELECT d.channel_id, d.day, s.total, LEAST(d.expected, s.seconds / 3600), d.expected,
                   d.expected - LEAST(d.expected, s.seconds / 3600) <= %(max_missing)s
            FROM (
                SELECT channel_id, day,
                       day::timestamp AT TIME ZONE %(tz)s AS lo,
                       (day + 1)::timestamp AT TIME ZONE %(tz)s AS hi,
                       (EXTRACT(EPOCH FROM ((day + 1)::timestamp AT TIME ZONE %(tz)s)
                                           - (day::timestamp AT TIME ZONE %(tz)s)) / 3600)::integer
                           AS expected
                FROM footfall_days
            ) d
            CROSS JOIN LATERAL (
                SELECT SUM(m.count) AS total, SUM(m.duration) AS seconds FROM {MEASURES} m
                WHERE m.channel_id = d.channel_id AND m.start >= d.lo AND m.start < d.hi
            ) s
            WHERE s.total IS NOT NULL
            ON CONFLICT (channel_id, day) DO UPDATE SET
                total = EXCLUDED.total, hours_with_data = EXCLUDED.hours_with_data,
                hours_expected = EXCLUDED.hours_expected, is_complete = EXCLUDED.is_complete
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {MONTHS} (channel_id, month, total, days_with_data, days_complete)
            SELECT a.channel_id, a.month, s.total, s.days, s.complete
            FROM (
                SELECT DISTINCT channel_id, day - (EXTRACT(DAY FROM day)::integer - 1) AS month
                FROM footfall_days
            ) a
            CROSS JOIN LATERAL (
                SELECT SUM(dc.total) AS total, COUNT(*) AS days,
                       COUNT(*) FILTER (WHERE dc.is_complete) AS complete
                FROM {DAYS} dc
                WHERE dc.channel_id = a.channel_id
                    AND dc.day >= a.month AND dc.day < (a.month + interval '1 month')::date
            ) s
            WHERE s.days > 0
            ON CONFLICT (channel_id, month) DO UPDATE SET
                total = EXCLUDED.total, days_with_data = EXCLUDED.days_with_data,
                days_complete = EXCLUDED.days_complete
            """
        )
        cursor.execute("DROP TABLE footfall_incoming, footfall_touched, footfall_days")
    return Stored(imported, updated)


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def _store_portable(channels: Sequence[tuple[int, ChannelCounts]], clock: LocalClock) -> Stored:
    adapted: dict[int, Any] = {}

    def adapt(instant: int) -> Any:
        value = adapted.get(instant)
        if value is None:
            value = adapted[instant] = connection.ops.adapt_datetimefield_value(_utc(instant))
        return value

    imported = updated = 0
    touched: dict[int, set[date]] = {}
    with connection.cursor() as cursor:
        for channel_id, counts in channels:
            existing = {
                int(start.timestamp()): (duration, count)
                for start, duration, count in Measure.objects.filter(
                    channel_id=channel_id,
                    start__gte=_utc(min(counts.starts)),
                    start__lte=_utc(max(counts.starts)),
                ).values_list("start", "duration", "count")
            }
            inserts: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            days = touched.setdefault(channel_id, set())
            for start, duration, count in zip(counts.starts, counts.durations, counts.counts, strict=True):
                old = existing.get(start)
                if old is None:
                    inserts.append((channel_id, adapt(start), duration, count))
                elif old != (duration, count):
                    updates.append((duration, count, channel_id, adapt(start)))
                else:
                    continue
                days.add(clock.day_of(start))
            if inserts:
                cursor.executemany(
                    f"INSERT INTO {MEASURES} (channel_id, start, duration, count) VALUES (%s, %s, %s, %s)",
                    inserts,
                )
            if updates:
                cursor.executemany(
                    f"UPDATE {MEASURES} SET duration = %s, count = %s WHERE channel_id = %s AND start = %s",
                    updates,
                )
            imported += len(inserts)
            updated += len(updates)
    totals_refresh({channel_id: days for channel_id, days in touched.items() if days}, clock=clock)
    return Stored(imported, updated)


def totals_refresh(touched: dict[int, set[date]], *, clock: LocalClock) -> None:
    """Recompute the daily totals of these channel-days from their counts, then the monthly totals of their
    months from the days (portable path; PostgreSQL does the same in SQL). The days' bounds on the town's
    clock go to a temporary table that the counts are joined to, so the database does the sums."""
    adapt = connection.ops.adapt_datetimefield_value
    bounds = [
        (
            channel_id,
            day.isoformat(),
            adapt(_utc(clock.midnight(day))),
            adapt(_utc(clock.midnight(day + timedelta(days=1)))),
        )
        for channel_id, days in touched.items()
        for day in days
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE footfall_days_portable (channel_id integer, day varchar(10), lo "
            "varchar(40), hi varchar(40))"
        )
        cursor.executemany("INSERT INTO footfall_days_portable VALUES (%s, %s, %s, %s)", bounds)
        cursor.execute(
            f"SELECT d.channel_id, d.day, SUM(m.count), SUM(m.duration) FROM footfall_days_portable d "
            f"JOIN {MEASURES} m ON m.channel_id = d.channel_id AND m.start >= d.lo AND m.start < d.hi "
            "GROUP BY d.channel_id, d.day"
        )
        sums = cursor.fetchall()
        cursor.execute("DROP TABLE footfall_days_portable")
    daily: list[DailyCount] = []
    for channel_id, day_text, total, seconds in sums:
        day = date.fromisoformat(day_text)
        expected = clock.hours_in_day(day)
        hours = min(expected, seconds // 3600)
        daily.append(
            DailyCount(
                channel_id=channel_id,
                day=day,
                total=total,
                hours_with_data=hours,
                hours_expected=expected,
                is_complete=expected - hours <= MAX_MISSING_HOURS,
            )
        )
    months = {channel_id: {day.replace(day=1) for day in days} for channel_id, days in touched.items()}
    DailyCount.objects.bulk_create(
        daily,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["channel", "day"],
        update_fields=["total", "hours_with_data", "hours_expected", "is_complete"],
    )
    monthly: list[MonthlyCount] = []
    for channel_id, firsts in months.items():
        per_month: dict[date, list[int]] = {}
        end = _next_month(max(firsts))
        for day, day_total, complete in DailyCount.objects.filter(
            channel_id=channel_id, day__gte=min(firsts), day__lt=end
        ).values_list("day", "total", "is_complete"):
            month = day.replace(day=1)
            if month in firsts:
                figures = per_month.setdefault(month, [0, 0, 0])
                figures[0] += day_total
                figures[1] += 1
                figures[2] += complete
        monthly += [
            MonthlyCount(channel_id=channel_id, month=month, total=t, days_with_data=n, days_complete=c)
            for month, (t, n, c) in per_month.items()
        ]
    MonthlyCount.objects.bulk_create(
        monthly,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["channel", "month"],
        update_fields=["total", "days_with_data", "days_complete"],
    )


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Holdings:
    total: int
    first: datetime | None
    last: datetime | None


def channels_holdings(channel_ids: Iterable[int]) -> Holdings:
    """The sum of the counts stored for these channels, and the first and last count's start."""
    ids = list(channel_ids)
    total = MonthlyCount.objects.filter(channel_id__in=ids).aggregate(total=Sum("total"))["total"] or 0
    bounds = Measure.objects.filter(channel_id__in=ids).aggregate(first=Min("start"), last=Max("start"))
    return Holdings(total=total, first=bounds["first"], last=bounds["last"])
