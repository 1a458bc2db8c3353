"""The town's footfall counts as daily totals, in the national schema « Comptage des mobilités »
(etalab/schema-comptage-mobilites 0.2.5 on schema.data.gouv.fr): its three files, sites, channels and
measures, linked by `site_id` and `channel_id`. It is the schema transport.data.gouv.fr and Vélo & Territoires
gather counts in, and the one our own import reads (footfall.importing), so a file goes both ways.

What is published, and why:
- Identifiers are `<INSEE code>-site-<id>` and `<INSEE code>-canal-<id>`: stable (the ids a vendor's file
  gave, which a later file may change, are not) and unique across towns, as the schema wants them unique in
  all files. The vendor's ids are published beside them, as `site_provider_id` and `channel_provider_id`.
- A site is published when it has counts and a position. `xlong` and `ylat` are required by the schema, and
  the town centre's point would place a counter where it is not: a site without a position is left out, with
  its channels and measures (channels must point at a published site).
- Measures are the daily totals (`DailyCount`), never the hourly counts: one per channel and local day, from
  midnight to midnight on the town's clock, written with their offset from UTC (+01:00 in winter, +02:00 in
  summer). The day the clocks go forward begins at +01:00 and ends at +02:00, 23 hours later; the day they go
  back lasts 25 hours: each is still one measure. `time_step` is a day, a fallback the schema asks for:
  every measure gives its end.
- A day counted for too few of its hours (more than `MAX_MISSING_HOURS` without counts) is published with an
  empty `count`: a gap, as the schema writes one, never a low total that would read as a quiet day. A day
  without any count has no measure. A day is published once it is over: today's total is not yet one.
- A daily total of a few passers-by is blanked (`suppression.suppress_small_counts`): three people a day in a
  lane could be pointed at. Zero is published. The sites and channels hold no count.
- Unknown to us, left empty: the type of infrastructure, of counter, of transmission, and whether a counter is
  permanent or temporary (`temporality`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from centreville.core.links import absolute_url
from centreville.footfall.models import (
    MAX_MISSING_HOURS,
    CountImport,
    CountingChannel,
    CountingSite,
    DailyCount,
    ImportStatus,
    MobilityKind,
)
from centreville.towns.models import Town

from ..suppression import suppress_small_counts
from .base import Dataset, NationalSchema, Record, Summary, point

COMPTAGE_SITE = NationalSchema(
    file="etalab_schema-comptage-mobilites-site.schema.json",
    page="https://schema.data.gouv.fr/etalab/schema-comptage-mobilites-site/0.2.5/documentation.html",
)
COMPTAGE_CHANNEL = NationalSchema(
    file="etalab_schema-comptage-mobilites-channel.schema.json",
    page="https://schema.data.gouv.fr/etalab/schema-comptage-mobilites-channel/0.2.5/documentation.html",
)
COMPTAGE_MEASURE = NationalSchema(
    file="etalab_schema-comptage-mobilites-measure.schema.json",
    page="https://schema.data.gouv.fr/etalab/schema-comptage-mobilites-measure/0.2.5/documentation.html",
)

# Our kinds of counters as the schema's `mobility_type` names them. « Véhicules motorisés » are mostly cars:
# the schema's CAR (the import reads CAR, BUS, TRUCK... as that kind).
MOBILITY_TYPE = {
    MobilityKind.PEDESTRIAN: "PEDESTRIAN",
    MobilityKind.BIKE: "BIKE",
    MobilityKind.CAR: "CAR",
    MobilityKind.OTHER: "UNDEFINED",
}
DAY_SECONDS = 86_400
# Measures are blanked by batches of this many (each on its own: no total is published beside them).
BATCH = 2_000


def site_id(town: Town, pk: int) -> str:
    return f"{town.insee_code}-site-{pk}"


def channel_id(town: Town, pk: int) -> str:
    return f"{town.insee_code}-canal-{pk}"


@cache
def _directions() -> frozenset[str]:
    """The compass points the schema's `direction` allows."""
    (spec,) = [spec for spec in COMPTAGE_CHANNEL.table_schema["fields"] if spec["name"] == "direction"]
    return frozenset(spec["constraints"]["enum"])


def _today(town: Town, at: datetime) -> date:
    return at.astimezone(ZoneInfo(town.timezone)).date()


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[str, str]:
    """The local day's start and end (exclusive) in ISO 8601 with their offsets, e.g. on 29 March 2026 in
    Paris "2026-03-29T00:00:00+01:00" and "2026-03-30T00:00:00+02:00"."""
    return _midnight(day, zone).isoformat(), _midnight(day + timedelta(days=1), zone).isoformat()


def _latest(*moments: datetime | None) -> datetime | None:
    return max((moment for moment in moments if moment is not None), default=None)


def _last_import(town: Town) -> datetime | None:
    """When the town's latest import of counts finished."""
    finished: datetime | None = (
        CountImport.objects.for_town(town)
        .filter(status=ImportStatus.DONE)
        .aggregate(at=Max("finished_at"))["at"]
    )
    return finished


def _published_days(town: Town, today: date) -> QuerySet[DailyCount]:
    """The days published: over, of the town's channels on sites with a position."""
    return DailyCount.objects.filter(
        channel__site__town=town,
        channel__site__latitude__isnull=False,
        channel__site__longitude__isnull=False,
        day__lt=today,
    )


def _published_sites(town: Town, today: date) -> QuerySet[CountingSite]:
    counted = DailyCount.objects.filter(channel__site=OuterRef("pk"), day__lt=today)
    return (
        CountingSite.objects.for_town(town)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .filter(Exists(counted))
    )


def _published_channels(town: Town, today: date) -> QuerySet[CountingChannel]:
    counted = DailyCount.objects.filter(channel=OuterRef("pk"), day__lt=today)
    return CountingChannel.objects.filter(
        site__town=town, site__latitude__isnull=False, site__longitude__isnull=False
    ).filter(Exists(counted))


# --- Sites --------------------------------------------------------------------------------------------


def site_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """The town's counting sites with counts and a position, by name."""
    sites = (
        _published_sites(town, _today(town, at))
        .order_by("name", "pk")
        .values("pk", "name", "latitude", "longitude")
    )
    for site in sites.iterator(chunk_size=BATCH):
        yield {
            "site_id": site_id(town, site["pk"]),
            "site_name": site["name"],
            "fr_insee_code": town.insee_code,
            "xlong": _degrees(site["longitude"]),
            "ylat": _degrees(site["latitude"]),
        }


def _degrees(value: Decimal | None) -> Decimal | None:
    # The schema wants at least four decimals: the six we keep, trailing zeros written.
    return None if value is None else value.quantize(Decimal("0.000001"))


def site_summary(town: Town, *, at: datetime) -> Summary:
    figures = _published_sites(town, _today(town, at)).aggregate(
        records=Count("pk"), changed=Max("updated_at")
    )
    return Summary(records=figures["records"], updated_at=_latest(figures["changed"], _last_import(town)))


# --- Channels -----------------------------------------------------------------------------------------


def channel_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """The channels of the published sites, by site and name, each from its first day counted."""
    today = _today(town, at)
    zone = ZoneInfo(town.timezone)
    first_day = DailyCount.objects.filter(channel=OuterRef("pk"), day__lt=today).order_by("day").values("day")
    channels = (
        _published_channels(town, today)
        .annotate(first_day=Subquery(first_day[:1]))
        .order_by("site__name", "site_id", "name", "pk")
        .values(
            "pk",
            "site_id",
            "site__external_id",
            "external_id",
            "name",
            "direction",
            "kind",
            "ended_at",
            "updated_at",
            "first_day",
        )
    )
    last_import = _last_import(town)
    page = absolute_url(reverse("opendata:datasets", args=[town.slug]))
    for channel in channels.iterator(chunk_size=BATCH):
        yield {
            "channel_id": channel_id(town, channel["pk"]),
            "channel_provider_id": channel["external_id"] or None,
            "site_provider_id": channel["site__external_id"] or None,
            "site_id": site_id(town, channel["site_id"]),
            "mobility_type": MOBILITY_TYPE.get(channel["kind"], "UNDEFINED"),
            **_direction(channel["direction"]),
            # The channel's name is most often where its passers-by go (« Entrée », « Vers la gare »); the
            # import reads it back from this field.
            "provider_direction_name": channel["name"],
            "data_provider_name": town.name,
            "started_at": _midnight(channel["first_day"], zone),
            "ended_at": channel["ended_at"],
            "last_updated_at": _latest(channel["updated_at"], last_import),
            "time_step": DAY_SECONDS,
            "provider_portal_url": page,
        }


def _direction(direction: str) -> dict[str, Any]:
    """A compass point as the schema's `direction`; any other sense (« IN », « vers la gare ») as the
    provider's code for it, as the import reads it."""
    point_to = direction.strip().upper()
    if point_to in _directions():
        return {"direction": point_to}
    return {"provider_direction_code": direction.strip() or None}


def channel_summary(town: Town, *, at: datetime) -> Summary:
    figures = _published_channels(town, _today(town, at)).aggregate(
        records=Count("pk"), changed=Max("updated_at")
    )
    return Summary(records=figures["records"], updated_at=_latest(figures["changed"], _last_import(town)))


# --- Measures: the daily totals -----------------------------------------------------------------------


def measure_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """Each published channel's days, in order, one measure a day; read in chunks, never whole."""
    zone = ZoneInfo(town.timezone)
    days = (
        _published_days(town, _today(town, at))
        .order_by("channel_id", "day")
        .values_list("channel_id", "day", "total", "is_complete")
    )
    bounds: dict[date, tuple[str, str]] = {}
    batch: list[dict[str, Any]] = []
    for channel_pk, day, total, is_complete in days.iterator(chunk_size=BATCH):
        if day not in bounds:
            bounds[day] = day_bounds(day, zone)
        start, end = bounds[day]
        batch.append(
            {
                "channel_id": channel_id(town, channel_pk),
                "start_datetime": start,
                "end_datetime": end,
                "count": total if is_complete else None,
            }
        )
        if len(batch) >= BATCH:
            yield from suppress_small_counts(batch, counts=["count"])
            batch = []
    yield from suppress_small_counts(batch, counts=["count"])


def measure_summary(town: Town, *, at: datetime) -> Summary:
    figures = _published_days(town, _today(town, at)).aggregate(
        records=Count("pk"), changed=Max("channel__updated_at")
    )
    return Summary(records=figures["records"], updated_at=_latest(figures["changed"], _last_import(town)))


FOOTFALL_SITES = Dataset(
    slug="comptage-sites",
    title=_("Fréquentation : sites de comptage"),
    description=_(
        "Les emplacements des compteurs de passages (piétons, vélos ou véhicules) : nom et position. "
        "Seuls les sites qui ont des comptages et dont la position est connue sont publiés. À lire avec "
        "leurs canaux et leurs totaux par jour, qui les citent par leur identifiant."
    ),
    records=site_records,
    summary=site_summary,
    schema=COMPTAGE_SITE,
    geometry=point("xlong", "ylat"),
)

FOOTFALL_CHANNELS = Dataset(
    slug="comptage-canaux",
    title=_("Fréquentation : canaux de comptage"),
    description=_(
        "Chaque série de comptage d'un site (un sens ou un mode de déplacement) : ce qu'elle compte, son "
        "sens, depuis quand et jusqu'à quand. Son pas de temps publié est le jour : les mesures publiées "
        "sont des totaux journaliers."
    ),
    records=channel_records,
    summary=channel_summary,
    schema=COMPTAGE_CHANNEL,
)

FOOTFALL_MEASURES = Dataset(
    slug="comptage-totaux-par-jour",
    title=_("Fréquentation jour par jour"),
    description=format_lazy(
        _(
            "Le nombre de passages compté par chaque canal, jour par jour, de minuit à minuit à l'heure "
            "locale, depuis le début du comptage ; un jour n'est publié qu'une fois terminé. Un jour compté "
            "pendant trop peu d'heures (plus de {hours} heures sans comptage) a un nombre vide : c'est une "
            "lacune, pas une journée calme. Un jour sans aucun comptage n'a pas de ligne. Un petit total est "
            "laissé vide (secret statistique) ; zéro est publié."
        ),
        hours=MAX_MISSING_HOURS,
    ),
    records=measure_records,
    summary=measure_summary,
    schema=COMPTAGE_MEASURE,
    suppresses_small_counts=True,
)
