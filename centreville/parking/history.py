"""The history of free spaces: kept reading by reading for a month, then one row per car park and hour
(`downsample`); what is usual at a weekday and hour (`usual_occupancy`, `usual_occupancies`); the trend of
the last half hour (`trends`); the town's mean occupancy by day (`occupancy_by_day`).

Occupancy is the share of spaces taken, `(capacity - free) / capacity`; a closed car park, or one with no
data, counts in none of them. Hours and days are the town's (its time zone, clock changes included).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.towns.models import Town

from .live import is_stale
from .models import Reading, Resolution
from .states import State, state_of

KEEP_RAW = timedelta(days=30)
# One run folds at most this much history (from the oldest raw reading): a backlog is caught up over the
# next rounds, each cheap.
FOLD_AT_MOST = timedelta(hours=6)
COUNTED_STATES = (State.OPEN, State.ALMOST_FULL, State.FULL)
USUAL_WEEKS = 8
# A habit needs this many past weeks with readings at that weekday and hour.
USUAL_MIN_WEEKS = 2
TREND_WINDOW = timedelta(minutes=30)
# A change of less than this share of the spaces in half an hour is « stable ».
TREND_THRESHOLD = 0.03


# --- Downsampling ----------------------------------------------------------------------------------------


def _hour_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def downsample(*, at: datetime, keep: timedelta = KEEP_RAW) -> int:
    """Replace the raw readings older than `keep` by one row per car park and hour (UTC hours, which are the
    town's hours too where offsets are whole hours): mean free spaces, lowest free spaces, number of
    readings. Only whole hours before the limit are touched; running it twice changes nothing more.
    Returns the number of raw readings folded. At most `FOLD_AT_MOST` of history a run."""
    limit = _hour_start(at - keep)
    oldest = (
        Reading.objects.filter(resolution=Resolution.RAW, observed_at__lt=limit)
        .order_by("observed_at")
        .values_list("observed_at", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    limit = min(limit, _hour_start(oldest) + FOLD_AT_MOST)
    raws = list(
        Reading.objects.filter(resolution=Resolution.RAW, observed_at__lt=limit)
        .order_by("car_park_id", "observed_at")
        .values_list("pk", "town_id", "car_park_id", "observed_at", "free", "capacity", "state")
    )
    if not raws:
        return 0
    groups: dict[tuple[int, datetime], list[tuple]] = defaultdict(list)
    for row in raws:
        groups[(row[2], _hour_start(row[3]))].append(row)
    existing = {
        (row.car_park_id, row.observed_at): row
        for row in Reading.objects.filter(
            resolution=Resolution.HOUR,
            car_park_id__in={key[0] for key in groups},
            observed_at__in={key[1] for key in groups},
        )
    }
    hourly = []
    for (car_park_id, hour), rows in groups.items():
        weights = [(row[4], row[5], row[6], 1) for row in rows]
        before = existing.get((car_park_id, hour))
        lowest = [row[4] for row in rows]
        if before is not None:  # a late raw reading of an hour already folded: fold it in
            weights.append((before.free, before.capacity, before.state, before.samples))
            lowest.append(before.free_min if before.free_min is not None else before.free)
        samples = sum(weight[3] for weight in weights)
        capacity = max(weight[1] for weight in weights)
        free = round(sum(weight[0] * weight[3] for weight in weights) / samples)
        states = {weight[2] for weight in weights}
        state = states.pop() if len(states) == 1 else state_of(None, free, capacity)
        hourly.append(
            Reading(
                town_id=rows[0][1],
                car_park_id=car_park_id,
                observed_at=hour,
                free=min(free, capacity),
                free_min=min(lowest),
                capacity=capacity,
                state=state,
                resolution=Resolution.HOUR,
                samples=samples,
            )
        )
    with transaction.atomic():
        raw_ids = [row[0] for row in raws]
        for start in range(0, len(raw_ids), 5000):
            Reading.objects.filter(pk__in=raw_ids[start : start + 5000]).delete()
        Reading.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
        Reading.objects.bulk_create(hourly, batch_size=2000)
    return len(raws)


# --- What is usual ---------------------------------------------------------------------------------------


def _windows(
    *, weekday: int, hour: int, tz_name: str, at: datetime, weeks: int
) -> list[tuple[datetime, datetime]]:
    """The `weeks` last hours at that weekday (0 Monday) and hour of the town's clock ended before `at`."""
    tz = ZoneInfo(tz_name)
    today = at.astimezone(tz).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    windows: list[tuple[datetime, datetime]] = []
    while len(windows) < weeks:
        start = datetime.combine(day, time(hour), tzinfo=tz)
        end = start.astimezone(UTC) + timedelta(hours=1)
        if end <= at:
            windows.append((start.astimezone(UTC), end))
        day -= timedelta(days=7)
    return windows


def usual_occupancies(
    car_park_ids: Iterable[int],
    *,
    weekday: int,
    hour: int,
    tz_name: str,
    at: datetime,
    weeks: int = USUAL_WEEKS,
) -> dict[int, float | None]:
    """For each car park, the median over the last `weeks` weeks of its mean occupancy (0 to 1) at that
    weekday and hour of the town's clock; None with fewer than `USUAL_MIN_WEEKS` weeks of readings."""
    ids = list(car_park_ids)
    windows = _windows(weekday=weekday, hour=hour, tz_name=tz_name, at=at, weeks=weeks)
    within = Q()
    for start, end in windows:
        within |= Q(observed_at__gte=start, observed_at__lt=end)
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    rows = Reading.objects.filter(within, car_park_id__in=ids, state__in=COUNTED_STATES).values_list(
        "car_park_id", "observed_at", "free", "capacity", "samples"
    )
    for car_park_id, observed_at, free, capacity, samples in rows:
        if capacity <= 0:
            continue
        week = next(index for index, (start, end) in enumerate(windows) if start <= observed_at < end)
        total = sums[(car_park_id, week)]
        total[0] += (capacity - free) / capacity * samples
        total[1] += samples
    found: dict[int, float | None] = {}
    for car_park_id in ids:
        means = [
            total[0] / total[1] for (key, _week), total in sums.items() if key == car_park_id and total[1]
        ]
        found[car_park_id] = statistics.median(means) if len(means) >= USUAL_MIN_WEEKS else None
    return found


def usual_occupancy(
    car_park: object,
    weekday: int,
    hour: int,
    *,
    at: datetime,
    tz_name: str | None = None,
    weeks: int = USUAL_WEEKS,
) -> float | None:
    """The usual occupancy (0 to 1) of one car park at that weekday (0 Monday) and hour of the town's clock:
    the median of its mean occupancy at that hour over the last `weeks` weeks; None when too few are known."""
    pk = getattr(car_park, "pk", car_park)
    if tz_name is None:
        tz_name = car_park.town.timezone  # type: ignore[attr-defined]
    assert isinstance(pk, int)
    return usual_occupancies([pk], weekday=weekday, hour=hour, tz_name=tz_name, at=at, weeks=weeks)[pk]


WEEKDAYS = (
    gettext_lazy("le lundi"),
    gettext_lazy("le mardi"),
    gettext_lazy("le mercredi"),
    gettext_lazy("le jeudi"),
    gettext_lazy("le vendredi"),
    gettext_lazy("le samedi"),
    gettext_lazy("le dimanche"),
)


def part_of_day(hour: int) -> str:
    if hour < 6:
        return _("la nuit")
    if hour < 12:
        return _("matin")
    if hour < 14:
        return _("midi")
    if hour < 18:
        return _("après-midi")
    return _("soir")


def usual_words(occupancy: float | None, weekday: int, hour: int) -> str:
    """« habituellement complet le samedi matin », or "" when nothing is usual yet."""
    if occupancy is None:
        return ""
    day = WEEKDAYS[weekday]
    moment = part_of_day(hour)
    if occupancy >= 0.95:
        text = _("habituellement complet %(day)s %(moment)s")
    elif occupancy >= 0.85:
        text = _("habituellement presque complet %(day)s %(moment)s")
    elif occupancy >= 0.6:
        text = _("habituellement bien rempli %(day)s %(moment)s")
    else:
        text = _("habituellement des places libres %(day)s %(moment)s")
    return text % {"day": day, "moment": moment}


# --- Trend of the last half hour -------------------------------------------------------------------------


class Trend(StrEnum):
    FILLING = "filling"
    EMPTYING = "emptying"
    STEADY = "steady"


TREND_WORDS = {
    Trend.FILLING: gettext_lazy("se remplit"),
    Trend.EMPTYING: gettext_lazy("se libère"),
    Trend.STEADY: gettext_lazy("stable"),
}


@dataclass(frozen=True)
class TrendReading:
    trend: Trend
    change: int  # free spaces now minus 30 minutes ago


def trends(car_park_ids: Iterable[int], *, at: datetime) -> dict[int, TrendReading]:
    """How each car park's free spaces moved over the last 30 minutes, from its first reading of that half
    hour to its last (which must be current, and at least 10 minutes apart); absent when unknown."""
    first: dict[int, tuple[datetime, int, int]] = {}
    last: dict[int, tuple[datetime, int, int]] = {}
    rows = (
        Reading.objects.filter(
            car_park_id__in=list(car_park_ids),
            observed_at__gte=at - TREND_WINDOW,
            observed_at__lte=at,
            state__in=COUNTED_STATES,
        )
        .order_by("observed_at")
        .values_list("car_park_id", "observed_at", "free", "capacity")
    )
    for car_park_id, observed_at, free, capacity in rows:
        first.setdefault(car_park_id, (observed_at, free, capacity))
        last[car_park_id] = (observed_at, free, capacity)
    found = {}
    for car_park_id, (start, free_before, _capacity) in first.items():
        end, free_now, capacity = last[car_park_id]
        if end - start < timedelta(minutes=10) or is_stale(end, at=at) or capacity <= 0:
            continue
        change = free_now - free_before
        if abs(change) < capacity * TREND_THRESHOLD:
            trend = Trend.STEADY
        else:
            trend = Trend.EMPTYING if change > 0 else Trend.FILLING
        found[car_park_id] = TrendReading(trend=trend, change=change)
    return found


# --- The town's occupancy by day (the observatory's series) ---------------------------------------------


def occupancy_by_day(
    *, town_id: int, start: date, end: date, tz_name: str | None = None
) -> list[tuple[date, float | None]]:
    """Each day from `start` to `end` (both included) of the town's clock with the mean occupancy of its
    car parks that day, in percent (one decimal), weighted by readings and spaces; None for a day without
    readings (a gap, not a zero)."""
    if tz_name is None:
        tz_name = Town.objects.filter(pk=town_id).values_list("timezone", flat=True).first() or "Europe/Paris"
    tz = ZoneInfo(tz_name)
    first = datetime.combine(start, time(), tzinfo=tz)
    after = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz)
    rows = (
        Reading.objects.filter(
            town_id=town_id, observed_at__gte=first, observed_at__lt=after, state__in=COUNTED_STATES
        )
        .annotate(day=TruncDate("observed_at", tzinfo=tz))
        .values("day")
        .annotate(
            taken=Sum((F("capacity") - F("free")) * F("samples")),
            spaces=Sum(F("capacity") * F("samples")),
        )
    )
    by_day = {row["day"]: (row["taken"], row["spaces"]) for row in rows}
    series: list[tuple[date, float | None]] = []
    day = start
    while day <= end:
        taken, spaces = by_day.get(day, (None, None))
        series.append((day, round(100 * taken / spaces, 1) if spaces else None))
        day += timedelta(days=1)
    return series
