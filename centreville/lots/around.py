"""« Disponible maintenant autour de moi »: the lots one can buy today around a place.

A search reads the lots inside the box around the place (an index on their copied position, partial on the
lots for sale), with the filters on copied columns (`services._fill_copies`), the database computing the
exact distance to keep those within the radius: a few small values each. It then asks about the few
producers found (active, shown by the space, their service radius), sorts by distance then title in
Python, and reads only the page shown whole.

Words are matched as the showcase's search matches them (`search.text`: accents, plurals, common endings);
a word that matches nothing nearby is replaced by the most frequent word one typo away in the titles nearby.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Exists,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt
from django.utils.formats import number_format

from centreville.enterprises.geo import EARTH_RADIUS_KM, bounding_box
from centreville.enterprises.models import Enterprise, SpaceProducer
from centreville.enterprises.selectors import space_choice
from centreville.search.text import Term, normalise, query_terms, stem, vocabulary_words, within_one_edit
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .models import Lot

PAGE_SIZE = 20
RADIUS_CHOICES = (5, 10, 20, 30, 50, 100)
DEFAULT_RADIUS_KM = 30
MIN_CORRECTED_LENGTH = 4
# Accents folded for sorting titles, cheaply (thousands of candidates): « Œufs » sorts with « oeufs ».
_SORT_FOLD = str.maketrans(
    {
        **dict.fromkeys("àâä", "a"),
        **dict.fromkeys("éèêë", "e"),
        **dict.fromkeys("îï", "i"),
        **dict.fromkeys("ôö", "o"),
        **dict.fromkeys("ùûü", "u"),
        **{"ç": "c", "ÿ": "y", "œ": "oe", "æ": "ae"},
    }
)
CANDIDATE_FIELDS = ("pk", "enterprise_id", "distance", "title")
# Typo corrections come from the words of this many lot titles nearby, at most.
VOCABULARY_LOTS = 3000
# Towns offered as places to search from, at most.
MAX_PLACE_NAMES = 40


@dataclass(frozen=True)
class Place:
    """Where a buyer searches from."""

    name: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class AroundFilters:
    radius_km: int = DEFAULT_RADIUS_KM
    category: str = ""  # a catalogue.ProductCategory slug
    label: str = ""  # an enterprises.Label code
    organic: bool = False
    weekday: int | None = None  # 0 = Monday: a producer hands over orders that day
    query: str = ""

    @property
    def active(self) -> bool:
        return bool(self.category or self.label or self.organic or self.weekday is not None or self.query)


def distance_in_words(kilometres: float) -> str:
    """« 12,3 km » in French, « 12.3 km » in English."""
    return f"{number_format(round(kilometres, 1), 1, use_l10n=True)} km"


@dataclass(frozen=True)
class FoundLot:
    lot: Lot
    distance_km: float

    @property
    def distance(self) -> str:
        return distance_in_words(self.distance_km)


@dataclass(frozen=True)
class FoundProducer:
    """A producer with lots among the results: a point on the map."""

    enterprise_id: int
    latitude: Decimal
    longitude: Decimal
    distance_km: float
    lots: int


@dataclass
class AroundResult:
    page: Page[FoundLot]
    correction: str | None = None  # the query as searched, when a typo was corrected


def town_place(text: str) -> Place | None:
    """A published town of the platform named `text` (accents and case aside) or served by that postcode."""
    wanted = normalise(text.strip())
    if not wanted:
        return None
    towns = Town.objects.filter(is_published=True).only("name", "postcodes", "latitude", "longitude")
    for town in towns.order_by("name"):
        if normalise(town.name) == wanted or wanted in town.postcodes:
            return Place(town.name, town.latitude, town.longitude)
    return None


def place_names() -> list[str]:
    """The published towns a search may start from, by name: what to offer when none is given."""
    towns = Town.objects.filter(is_published=True).order_by("name")
    return list(towns.values_list("name", flat=True)[:MAX_PLACE_NAMES])


def space_place(space: Space) -> Place:
    town = space.towns[0]
    return Place(town.name, town.latitude, town.longitude)


def enterprise_place(enterprise: Enterprise) -> Place:
    return Place(enterprise.name, enterprise.latitude, enterprise.longitude)


def available_lots(today: date) -> QuerySet[Lot]:
    """Lots for sale today: published, with something left, inside their window (whatever their producer)."""
    return Lot.objects.filter(
        Q(available_from__isnull=True) | Q(available_from__lte=today),
        Q(available_until__isnull=True) | Q(available_until__gte=today),
        is_published=True,
        quantity_available__gt=0,
    )


def _with_words(lots: QuerySet[Lot], words: Sequence[str]) -> QuerySet[Lot]:
    for word in words:
        lots = lots.filter(search_text__contains=f" {stem(word)}")
    return lots


def _distance(place: Place) -> ExpressionWrapper:
    """geo.distance_km's haversine from `place`, computed by the database (PostgreSQL, and SQLite through
    the math functions Django gives it), the centre's terms computed once here."""
    lat0, lon0 = math.radians(place.latitude), math.radians(place.longitude)
    latitude = Radians(Cast("latitude", FloatField()))
    longitude = Radians(Cast("longitude", FloatField()))
    half = Value(0.5)
    a = Power(Sin((latitude - Value(lat0)) * half), 2) + Value(math.cos(lat0)) * Cos(latitude) * Power(
        Sin((longitude - Value(lon0)) * half), 2
    )
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a)), output_field=FloatField())


def _corrected(nearby: QuerySet[Lot], terms: list[Term]) -> list[Term] | None:
    """Each term matching nothing nearby replaced by the most frequent title word nearby one typo away
    (on the words or on their stems); None when no term could be corrected."""
    vocabulary: Counter[str] = Counter()
    for title in nearby.order_by().values_list("title", flat=True)[:VOCABULARY_LOTS]:
        vocabulary.update(vocabulary_words(title))
    changed, corrected = False, []
    for term in terms:
        replacement = term
        # A single word found nothing: no need to ask again whether it matches anything.
        unmatched = len(terms) == 1 or not _with_words(nearby, [term.word]).exists()
        if len(term.word) >= MIN_CORRECTED_LENGTH and unmatched:
            candidates = [
                (-count, word)
                for word, count in vocabulary.items()
                if within_one_edit(term.word, word) or within_one_edit(stem(term.word), stem(word))
            ]
            if candidates:
                replacement, changed = Term(term.start, term.end, min(candidates)[1]), True
        corrected.append(replacement)
    return corrected if changed else None


def _rewrite(query: str, terms: list[Term], corrected: list[Term]) -> str:
    text = query
    for before, after in sorted(zip(terms, corrected, strict=True), key=lambda pair: -pair[0].start):
        if before.word != after.word:
            text = text[: before.start] + after.word + text[before.end :]
    return " ".join(text.split())


@dataclass(frozen=True)
class _Producer:
    service_radius_km: int
    latitude: Decimal
    longitude: Decimal


def _serving_producers(space: Space | None, enterprise_ids: set[int]) -> dict[int, _Producer]:
    """Among these producers, the active ones the space shows (all when None): asking about the few a
    search found costs far less than reading every producer a space shows."""
    if not enterprise_ids:
        return {}
    producers = Enterprise.objects.filter(pk__in=enterprise_ids, is_active=True, is_producer=True)
    if space is not None:
        chosen = SpaceProducer.objects.filter(space_choice(space), enterprise_id=OuterRef("pk"))
        producers = producers.filter(Exists(chosen))
    rows = producers.order_by().values_list("pk", "service_radius_km", "latitude", "longitude")
    return {pk: _Producer(radius, latitude, longitude) for pk, radius, latitude, longitude in rows}


def _candidates(lots: QuerySet[Lot], place: Place, radius_km: int) -> list[tuple[int, int, float, str]]:
    """(pk, producer, distance, title) of `lots` within `radius_km` of `place`: small values only."""
    within = lots.annotate(distance=_distance(place)).filter(distance__lte=radius_km).order_by()
    return list(within.values_list(*CANDIDATE_FIELDS))


@dataclass(frozen=True)
class _Reached:
    rows: list[tuple[float, str, int, int]]  # (distance, sort title, pk, producer), sorted
    producers: dict[int, _Producer]
    correction: str | None


def _reached(*, place: Place, filters: AroundFilters, space: Space | None, today: date) -> _Reached:
    """The search's lots within reach, nearest first then by title; a word that matched nothing corrected."""
    nearby = _nearby(place, filters, today)
    terms = query_terms(filters.query)
    rows = _candidates(_with_words(nearby, [term.word for term in terms]), place, filters.radius_km)
    correction = None
    if not rows and terms:
        corrected = _corrected(nearby, terms)
        if corrected is not None:
            correction = _rewrite(filters.query, terms, corrected)
            rows = _candidates(
                _with_words(nearby, [term.word for term in corrected]), place, filters.radius_km
            )
    producers = _serving_producers(space, {row[1] for row in rows})
    reached = sorted(
        (round(distance, 3), title.casefold().translate(_SORT_FOLD), pk, enterprise_id)
        for pk, enterprise_id, distance, title in rows
        if enterprise_id in producers and distance <= producers[enterprise_id].service_radius_km
    )
    return _Reached(reached, producers, correction)


def lots_around(
    *,
    place: Place,
    filters: AroundFilters,
    space: Space | None,
    today: date,
    page_number: int | str = 1,
    page_size: int = PAGE_SIZE,
) -> AroundResult:
    """The lots for sale on `today` within `filters.radius_km` of `place` and within their producer's service
    radius, of the producers `space` shows (every producer when None), nearest first, then by title."""
    reached = _reached(place=place, filters=filters, space=space, today=today)
    page: Page[Any] = Paginator(reached.rows, page_size).get_page(page_number)
    distances = {pk: distance for distance, _title, pk, _producer in page.object_list}
    by_pk = Lot.objects.filter(pk__in=distances).select_related("enterprise", "category").in_bulk()
    page.object_list = [
        FoundLot(by_pk[pk], distances[pk]) for _distance, _title, pk, _producer in page.object_list
    ]
    return AroundResult(page=page, correction=reached.correction)


def producers_around(
    *, place: Place, filters: AroundFilters, space: Space | None, today: date
) -> list[FoundProducer]:
    """The producers of a search's results (the map's points), nearest first, with their lots' count."""
    reached = _reached(place=place, filters=filters, space=space, today=today)
    counts: Counter[int] = Counter(row[3] for row in reached.rows)
    nearest: dict[int, float] = {}
    for distance, _title, _pk, enterprise_id in reached.rows:
        nearest.setdefault(enterprise_id, distance)
    return sorted(
        (
            FoundProducer(
                pk, reached.producers[pk].latitude, reached.producers[pk].longitude, nearest[pk], count
            )
            for pk, count in counts.items()
        ),
        key=lambda producer: (producer.distance_km, producer.enterprise_id),
    )


def _nearby(place: Place, filters: AroundFilters, today: date) -> QuerySet[Lot]:
    """The lots for sale inside the box around the place (read through the partial position index), with
    the filters that are not words."""
    box = bounding_box(place.latitude, place.longitude, filters.radius_km)
    nearby = available_lots(today).filter(
        latitude__range=(box.south, box.north), longitude__range=(box.west, box.east)
    )
    if filters.category:
        nearby = nearby.filter(category__slug=filters.category)
    if filters.label:
        nearby = nearby.filter(label_codes__contains=f"|{filters.label}|")
    if filters.organic:
        nearby = nearby.filter(label_codes__contains="|ab|")
    if filters.weekday is not None:
        nearby = nearby.filter(pickup_weekdays__contains=str(filters.weekday))
    return nearby


def candidates_query(*, place: Place, filters: AroundFilters, today: date) -> QuerySet[Any]:
    """The one query a search reads its candidates with (for EXPLAIN)."""
    words = [term.word for term in query_terms(filters.query)]
    within = _with_words(_nearby(place, filters, today), words).annotate(distance=_distance(place))
    return within.filter(distance__lte=filters.radius_km).order_by().values_list(*CANDIDATE_FIELDS)
