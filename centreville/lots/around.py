"""« Disponible maintenant autour de moi »: the lots one can buy today around a place.

A search reads the lots inside the box around the place (an index on their copied position, partial on the
lots for sale), with the filters on copied columns (`services._fill_copies`), as a few plain values; the
exact distance, each producer's own service radius and the space's choice of producers are then applied in
Python, the survivors sorted by distance then title, and only the page shown is read whole.

Words are matched as the showcase's search matches them (`search.text`: accents, plurals, common endings);
a word that matches nothing nearby is replaced by the most frequent word one typo away in the titles nearby.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.formats import number_format

from centreville.enterprises.geo import bounding_box, distance_km
from centreville.enterprises.models import Enterprise
from centreville.enterprises.selectors import space_producer_ids
from centreville.search.text import Term, normalise, query_terms, stem, vocabulary_words, within_one_edit
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .models import Lot

PAGE_SIZE = 20
RADIUS_CHOICES = (5, 10, 20, 30, 50, 100)
DEFAULT_RADIUS_KM = 30
MIN_CORRECTED_LENGTH = 4


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
    producers: list[FoundProducer] = field(default_factory=list)


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


def space_place(space: Space) -> Place:
    town = space.towns[0]
    return Place(town.name, town.latitude, town.longitude)


def enterprise_place(enterprise: Enterprise) -> Place:
    return Place(enterprise.name, enterprise.latitude, enterprise.longitude)


def available_lots(today: date) -> QuerySet[Lot]:
    """Lots for sale today: published, with something left, inside their window, of an active producer."""
    return Lot.objects.filter(
        Q(available_from__isnull=True) | Q(available_from__lte=today),
        Q(available_until__isnull=True) | Q(available_until__gte=today),
        is_published=True,
        quantity_available__gt=0,
        enterprise__is_active=True,
        enterprise__is_producer=True,
    )


def _with_words(lots: QuerySet[Lot], words: Sequence[str]) -> QuerySet[Lot]:
    for word in words:
        lots = lots.filter(search_text__contains=f" {stem(word)}")
    return lots


def _corrected(nearby: QuerySet[Lot], terms: list[Term]) -> list[Term] | None:
    """Each term matching nothing nearby replaced by the most frequent title word nearby one typo away
    (on the words or on their stems); None when no term could be corrected."""
    vocabulary: Counter[str] = Counter()
    for title in nearby.values_list("title", flat=True)[:5000]:
        vocabulary.update(vocabulary_words(title))
    changed, corrected = False, []
    for term in terms:
        replacement = term
        if len(term.word) >= MIN_CORRECTED_LENGTH and not _with_words(nearby, [term.word]).exists():
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
    radius, of the producers `space` shows (every producer when None), nearest first."""
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
    terms = query_terms(filters.query)
    lots = _with_words(nearby, [term.word for term in terms])
    correction = None
    rows = list(
        lots.values_list(
            "pk", "enterprise_id", "latitude", "longitude", "title", "enterprise__service_radius_km"
        )
    )
    if not rows and terms:
        corrected = _corrected(nearby, terms)
        if corrected is not None:
            correction = _rewrite(filters.query, terms, corrected)
            rows = list(
                _with_words(nearby, [term.word for term in corrected]).values_list(
                    "pk", "enterprise_id", "latitude", "longitude", "title", "enterprise__service_radius_km"
                )
            )
    shown = space_producer_ids(space)
    found: list[tuple[float, str, int]] = []
    producers: dict[int, FoundProducer] = {}
    for pk, enterprise_id, latitude, longitude, title, service_radius in rows:
        if shown is not None and enterprise_id not in shown:
            continue
        distance = distance_km(place.latitude, place.longitude, latitude, longitude)
        if distance > filters.radius_km or distance > service_radius:
            continue
        found.append((round(distance, 3), normalise(title), pk))
        known = producers.get(enterprise_id)
        producers[enterprise_id] = FoundProducer(
            enterprise_id, latitude, longitude, distance, (known.lots if known else 0) + 1
        )
    found.sort()
    page: Page[Any] = Paginator(found, page_size).get_page(page_number)
    distances = {pk: distance for distance, _title, pk in page.object_list}
    read = (
        Lot.objects.filter(pk__in=distances)
        .select_related("enterprise", "category")
        .prefetch_related("prices")
    )
    by_pk = {lot.pk: lot for lot in read}
    page.object_list = [FoundLot(by_pk[pk], distances[pk]) for _distance, _title, pk in page.object_list]
    return AroundResult(
        page=page,
        correction=correction,
        producers=sorted(producers.values(), key=lambda producer: producer.distance_km),
    )
