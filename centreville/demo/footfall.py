"""Footfall counters of the demo town: two pedestrian counters and a bike counter, with two years of hourly
counts ending the day before the load, shaped like a small town centre's (opening hours, a quiet Monday
and Sunday, the Tuesday market, the family Saturday of each month, summer, Christmas shopping and the January
sales), and a few outages.

The counts are a function of the channel and the hour only (no random sequence), so that loading again
the same day changes nothing and loading a day later only adds that day. They are written through the
importer's bulk path (`footfall.storing.measures_store`), which keeps the daily and monthly totals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from centreville.footfall import storing
from centreville.footfall.models import CountingChannel, CountingSite, MobilityKind
from centreville.footfall.stamps import LocalClock
from centreville.towns.models import Town

DAYS = 730
MARKET_WEEKDAY = 1  # Tuesday
# Passages an hour on an ordinary Thursday, per hour of the day (pedestrians in a shopping street).
PEDESTRIAN_HOURS = (2, 1, 0, 0, 0, 1, 4, 14, 35, 60, 85, 110, 95, 70, 75, 95, 115, 125, 100, 55, 25, 14, 8, 4)
# Bikes: commuters at 8 and 17-18, a few shoppers in between.
BIKE_HOURS = (0, 0, 0, 0, 0, 1, 4, 14, 22, 10, 7, 8, 9, 8, 7, 9, 14, 20, 16, 8, 4, 2, 1, 0)
WEEKDAYS_PEDESTRIAN = (0.6, 1.0, 0.95, 1.0, 1.1, 1.45, 0.3)  # Monday (shops shut) to Sunday
WEEKDAYS_BIKE = (1.0, 1.0, 1.0, 1.0, 0.95, 0.7, 0.5)


@dataclass(frozen=True)
class _Channel:
    external_id: str
    name: str
    direction: str
    level: float  # share of the street's passages going this way
    # An outage every `every` days (on the calendar, whatever the load's day), `days` days long, the first
    # `hours` hours of each day missing (24: the whole day, a gap).
    outage: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class _Site:
    external_id: str
    name: str
    kind: str
    address: str
    east: int  # metres from the town centre
    north: int
    channels: tuple[_Channel, ...]
    market: bool = False


SITES = (
    _Site(
        "demo-chaussee",
        "Rue de la Chaussée",
        MobilityKind.PEDESTRIAN,
        "18 rue de la Chaussée, Argentan",
        -90,
        60,
        (
            _Channel("demo-chaussee-1", "Vers la place du Marché", "E", 1.0, (211, 3, 24)),
            _Channel("demo-chaussee-2", "Vers la rue Saint-Martin", "W", 0.85, (151, 1, 9)),
        ),
    ),
    _Site(
        "demo-marche",
        "Place du Marché",
        MobilityKind.PEDESTRIAN,
        "place du Marché, Argentan",
        0,
        0,
        (_Channel("demo-marche-1", "Deux sens", "", 1.6, (300, 1, 24)),),
        market=True,
    ),
    _Site(
        "demo-carnot-velos",
        "Boulevard Carnot (vélos)",
        MobilityKind.BIKE,
        "boulevard Carnot, Argentan",
        250,
        -160,
        (_Channel("demo-carnot-1", "Vers le centre", "NW", 1.0, (127, 1, 14)),),
    ),
)


def _noise(channel_index: int, instant: int) -> float:
    """A repeatable wobble between 0.8 and 1.2 for one channel's hour."""
    mixed = (instant // 3600 * 2_654_435_761 + channel_index * 40_503) % 4_294_967_296
    return 0.8 + 0.4 * mixed / 4_294_967_296


def _season(day: date, kind: str) -> float:
    """The time of year: Christmas shopping and the sales in town, the summer for bikes."""
    if kind == MobilityKind.BIKE:
        return 1.0 + 0.35 * math.cos((day.timetuple().tm_yday - 190) / 365 * 2 * math.pi)
    if (day.month, day.day) in ((12, 25), (1, 1), (5, 1)):
        return 0.15
    if day.month == 12 and day.day < 25:
        return 1.15 + 0.3 * day.day / 24
    if (day.month == 1 and day.day >= 7) or (day.month == 7 and day.day <= 28):  # the sales
        return 1.15
    if day.month == 8:
        return 0.8
    return 1.0


def missing_hours(channel: _Channel, day: date) -> int:
    """How many hours of `day`, from midnight, the channel did not count."""
    every, days, hours = channel.outage
    return hours if every and day.toordinal() % every < days else 0


def is_family_saturday(day: date) -> bool:
    """The second Saturday of the month, the demo agenda's « Samedi des familles » (14:00-18:00): the streets
    are busier that afternoon, so the observatory's event days show what a town event brings."""
    return day.weekday() == 5 and 8 <= day.day <= 14


def _hourly(site: _Site, channel: _Channel, index: int, local: datetime, instant: int) -> int:
    day = local.date()
    if site.kind == MobilityKind.BIKE:
        base = BIKE_HOURS[local.hour] * WEEKDAYS_BIKE[local.weekday()]
    else:
        base = PEDESTRIAN_HOURS[local.hour] * WEEKDAYS_PEDESTRIAN[local.weekday()]
        if site.market and local.weekday() == MARKET_WEEKDAY and 8 <= local.hour <= 12:
            base *= 2.2
        if is_family_saturday(day) and 14 <= local.hour < 18:
            base *= 1.4
    return round(base * channel.level * _season(day, site.kind) * _noise(index, instant))


def demo_footfall_load(town: Town, *, today: date) -> int:
    """The demo counters of `town` and their counts for the `DAYS` days before `today`; returns how many
    counts were new. Safe to run again."""
    clock = LocalClock(town.timezone)
    first = today - timedelta(days=DAYS)
    start = clock.midnight(first)
    hours = (clock.midnight(today) - start) // 3600
    latitude, longitude = town.latitude, town.longitude
    channels: list[tuple[int, storing.ChannelCounts]] = []
    index = 0
    for spec in SITES:
        site, _created = CountingSite.objects.update_or_create(
            town=town,
            external_id=spec.external_id,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "address": spec.address,
                "latitude": (latitude + Decimal(spec.north) / 111_320).quantize(Decimal("0.000001")),
                "longitude": (
                    longitude
                    + Decimal(spec.east) / Decimal(111_320 * math.cos(math.radians(float(latitude))))
                ).quantize(Decimal("0.000001")),
            },
        )
        for channel_spec in spec.channels:
            channel, _created = CountingChannel.objects.update_or_create(
                site=site,
                external_id=channel_spec.external_id,
                defaults={
                    "name": channel_spec.name,
                    "direction": channel_spec.direction,
                    "kind": spec.kind,
                    "time_step": 3600,
                },
            )
            counts = storing.ChannelCounts()
            for hour in range(hours):
                instant = start + hour * 3600
                local = datetime.fromtimestamp(instant, clock.zone)
                missing = missing_hours(channel_spec, local.date())
                if missing and (missing >= 24 or instant - clock.midnight(local.date()) < missing * 3600):
                    continue
                counts.add(instant, 3600, _hourly(spec, channel_spec, index, local, instant))
            channels.append((channel.pk, counts))
            index += 1
    return storing.measures_store(channels, clock=clock).imported
