"""The search « disponible maintenant autour de moi »."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import (
    EnterpriseFactory,
    PickupPlaceFactory,
    SpaceProducerFactory,
)
from centreville.lots.around import AroundFilters, Place, lots_around, town_place
from centreville.lots.tests.factories import LotFactory
from centreville.towns.models import Town
from centreville.towns.selectors import space_by_slug
from centreville.towns.spaces import Space
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)
ARGENTAN = Place("Argentan", Decimal("48.744500"), Decimal("-0.020300"))
# About 111.2 km per degree of latitude.
KM = Decimal("1") / Decimal("111.2")


@dataclass
class Country:
    town: Town
    space: Space
    near: Enterprise  # 0 km
    twelve: Enterprise  # 12 km north
    forty: Enterprise  # 40 km north


def producer_at(km: int, **fields: object) -> Enterprise:
    return EnterpriseFactory.create(
        latitude=(ARGENTAN.latitude + km * KM).quantize(Decimal("0.000001")),
        longitude=ARGENTAN.longitude,
        **fields,
    )


@pytest.fixture
def country() -> Country:
    town = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    near = producer_at(0, name="Ferme du Bourg")
    twelve = producer_at(12, name="Chèvrerie des Prés", labels=["ab"], service_radius_km=50)
    forty = producer_at(40, name="Verger du Nord", service_radius_km=60)
    for producer in (near, twelve, forty):
        SpaceProducerFactory.create(town=town, enterprise=producer)
    space = space_by_slug("argentan")
    assert space is not None
    return Country(town, space, near, twelve, forty)


def titles(
    space: Space | None, filters: AroundFilters, place: Place = ARGENTAN, today: date = TODAY
) -> list[str]:
    result = lots_around(place=place, filters=filters, space=space, today=today)
    return [found.lot.title for found in result.page.object_list]


def test_lots_within_the_radius_nearest_first_with_their_distance(country: Country) -> None:
    LotFactory.create(enterprise=country.forty, title="Pommes")
    LotFactory.create(enterprise=country.twelve, title="Fromage de chèvre")
    LotFactory.create(enterprise=country.near, title="Poireaux")
    LotFactory.create(enterprise=country.near, title="Carottes")

    result = lots_around(
        place=ARGENTAN, filters=AroundFilters(radius_km=30), space=country.space, today=TODAY
    )

    assert [(f.lot.title, f.distance) for f in result.page.object_list] == [
        ("Carottes", "0,0 km"),
        ("Poireaux", "0,0 km"),
        ("Fromage de chèvre", "12,0 km"),
    ]
    assert titles(country.space, AroundFilters(radius_km=50))[-1] == "Pommes"


def test_a_producer_is_not_found_beyond_its_own_service_radius(country: Country) -> None:
    far = producer_at(25, service_radius_km=20)
    SpaceProducerFactory.create(town=country.town, enterprise=far)
    LotFactory.create(enterprise=far, title="Miel")

    assert titles(country.space, AroundFilters(radius_km=30)) == []
    assert titles(
        country.space, AroundFilters(radius_km=30), place=Place("x", far.latitude, far.longitude)
    ) == ["Miel"]


def test_only_available_lots_in_their_window_today(country: Country) -> None:
    LotFactory.create(enterprise=country.near, title="Hors vente", is_published=False)
    LotFactory.create(enterprise=country.near, title="Épuisé", quantity_available=0)
    LotFactory.create(enterprise=country.near, title="Plus tard", available_from=date(2026, 12, 8))
    LotFactory.create(enterprise=country.near, title="Fini", available_until=date(2026, 12, 6))
    LotFactory.create(
        enterprise=country.near, title="En saison", available_from=TODAY, available_until=date(2027, 1, 31)
    )

    assert titles(country.space, AroundFilters()) == ["En saison"]
    assert "Plus tard" in titles(country.space, AroundFilters(), today=date(2026, 12, 8))


def test_only_the_producers_the_space_shows(country: Country) -> None:
    other_town = TownFactory.create(name="Sées", slug="sees")
    elsewhere = producer_at(1, name="Ferme d'ailleurs")
    SpaceProducerFactory.create(town=other_town, enterprise=elsewhere)
    LotFactory.create(enterprise=elsewhere, title="Navets")
    LotFactory.create(enterprise=country.near, title="Carottes")

    assert titles(country.space, AroundFilters()) == ["Carottes"]
    assert titles(space_by_slug("sees"), AroundFilters()) == ["Navets"]
    assert titles(None, AroundFilters()) == ["Carottes", "Navets"]


def test_filters_category_label_organic_and_pickup_day(country: Country) -> None:
    cheese = ProductCategoryFactory.create(name="Fromages et crèmerie", slug="fromages-cremerie")
    LotFactory.create(enterprise=country.twelve, title="Crottin", category=cheese)
    PickupPlaceFactory.create(enterprise=country.near, opening_hours="We 16:00-18:00")
    LotFactory.create(enterprise=country.near, title="Carottes", labels=["label_rouge"])
    LotFactory.create(enterprise=country.near, title="Navets")

    assert titles(country.space, AroundFilters(category="fromages-cremerie")) == ["Crottin"]
    assert titles(country.space, AroundFilters(label="label_rouge")) == ["Carottes"]
    assert titles(country.space, AroundFilters(organic=True)) == ["Crottin"]
    assert titles(country.space, AroundFilters(weekday=2)) == ["Carottes", "Navets"]
    assert titles(country.space, AroundFilters(weekday=0)) == []


def test_words_without_accents_in_the_plural_and_with_a_typo(country: Country) -> None:
    LotFactory.create(enterprise=country.twelve, title="Fromage de chèvre frais")
    LotFactory.create(enterprise=country.near, title="Pommes de terre")

    assert titles(country.space, AroundFilters(query="fromages CHEVRE")) == ["Fromage de chèvre frais"]
    assert titles(country.space, AroundFilters(query="pomme")) == ["Pommes de terre"]
    assert titles(country.space, AroundFilters(query="chevrerie")) == [
        "Fromage de chèvre frais"
    ]  # its producer
    typo = lots_around(
        place=ARGENTAN, filters=AroundFilters(query="fromaje"), space=country.space, today=TODAY
    )
    assert [f.lot.title for f in typo.page.object_list] == ["Fromage de chèvre frais"]
    assert typo.correction == "fromage"


def test_a_place_is_a_town_by_name_or_postcode(country: Country) -> None:
    assert town_place("argentan") == town_place("61200") == ARGENTAN
    assert town_place("Atlantide") is None


def test_results_are_paginated(country: Country) -> None:
    LotFactory.create_batch(25, enterprise=country.near)

    result = lots_around(
        place=ARGENTAN, filters=AroundFilters(), space=country.space, today=TODAY, page_number=2
    )

    assert result.page.paginator.count == 25
    assert len(result.page.object_list) == 5


def test_a_territorys_choice_shows_in_its_towns_and_its_towns_choices_in_the_territory() -> None:
    territory = TerritoryFactory.create(slug="pays-d-argentan")
    town = TownFactory.create(slug="argentan", territory=territory)
    by_territory, by_town = producer_at(1, name="Ferme du Pays"), producer_at(2, name="Ferme de la Ville")
    SpaceProducerFactory.create(territory=territory, enterprise=by_territory)
    SpaceProducerFactory.create(town=town, enterprise=by_town)
    LotFactory.create(enterprise=by_territory, title="Navets")
    LotFactory.create(enterprise=by_town, title="Radis")

    assert titles(space_by_slug("argentan"), AroundFilters()) == ["Navets", "Radis"]
    assert titles(space_by_slug("pays-d-argentan"), AroundFilters()) == ["Navets", "Radis"]
