"""The exchange at the platform's level (/producteurs/…): every active producer of the installation, whatever
the towns chose, with the same search, map and producer's page as a town's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import (
    BuyerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PickupPlaceFactory,
    SpaceProducerFactory,
)
from centreville.lots.models import Lot
from centreville.lots.tests.factories import LotFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
ADDRESS = "/producteurs/"


@dataclass(frozen=True)
class Region:
    argentans: Enterprise  # Argentan's choice
    flers: Enterprise  # Flers' choice, 40 km west of Argentan, serving 60 km around
    sees: Enterprise  # chosen by no town, 20 km south-east of Argentan
    closed: Enterprise  # in Argentan, no longer active
    lots: dict[str, Lot]


@pytest.fixture
def region(page_clock: Any) -> Region:
    page_clock(NOW)
    argentan = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    flers = TownFactory.create(
        name="Flers",
        slug="flers",
        postcodes=["61100"],
        latitude=Decimal("48.7499"),
        longitude=Decimal("-0.5697"),
    )
    argentans = EnterpriseFactory.create(name="Ferme du Bourg", slug="ferme-du-bourg")
    SpaceProducerFactory.create(town=argentan, enterprise=argentans)
    flers_farm = EnterpriseFactory.create(
        name="Vergers du Bocage",
        slug="vergers-du-bocage",
        city="Flers",
        latitude=Decimal("48.7499"),
        longitude=Decimal("-0.5697"),
        service_radius_km=60,
    )
    SpaceProducerFactory.create(town=flers, enterprise=flers_farm)
    sees = EnterpriseFactory.create(
        name="Chèvrerie de Sées",
        slug="chevrerie-de-sees",
        latitude=Decimal("48.6047"),
        longitude=Decimal("0.1716"),
    )
    closed = EnterpriseFactory.create(name="Ferme fermée", slug="ferme-fermee", is_active=False)
    SpaceProducerFactory.create(town=argentan, enterprise=closed)
    PickupPlaceFactory.create(enterprise=sees, name="À la chèvrerie", opening_hours="Sa 09:00-12:00")
    lots = {
        "carrots": LotFactory.create(enterprise=argentans, title="Carottes"),
        "apples": LotFactory.create(enterprise=flers_farm, title="Pommes"),
        "cheese": LotFactory.create(enterprise=sees, title="Crottins", unit="piece"),
        "leeks": LotFactory.create(enterprise=closed, title="Poireaux"),
    }
    return Region(argentans, flers_farm, sees, closed, lots)


def test_the_platform_search_lists_the_producers_of_every_town_and_of_none(
    client: Client, region: Region
) -> None:
    response = client.get(ADDRESS, {"lieu": "61200", "rayon": "50"})

    page = response.content.decode()
    assert response.status_code == 200
    for title in ("Carottes", "Pommes", "Crottins"):
        assert title in page
    assert "Poireaux" not in page
    assert "3 lots disponibles autour de Argentan" in page
    # Each card leads to the platform's page of its producer, not a town's.
    assert 'href="/producteurs/chevrerie-de-sees/"' in page
    assert "/argentan/producteurs/" not in page
    # « Commander » leads to the professional order of the lot.
    assert f'href="/pro/commander/{region.lots["cheese"].pk}/"' in page


def test_a_town_still_shows_only_the_producers_it_chose(client: Client, region: Region) -> None:
    page = client.get("/argentan/producteurs/", {"rayon": "50"}).content.decode()

    assert "Carottes" in page
    assert "Pommes" not in page
    assert "Crottins" not in page
    assert "Poireaux" not in page
    assert 'href="/argentan/producteurs/ferme-du-bourg/"' in page


def test_without_a_place_the_platform_asks_for_one(client: Client, region: Region) -> None:
    response = client.get(ADDRESS)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Où chercher ?" in page
    assert 'href="/producteurs/?lieu=Argentan"' in page
    assert 'href="/producteurs/?lieu=Flers"' in page
    assert "lot-card" not in page
    assert 'id="carte"' not in page
    assert client.get(f"{ADDRESS}carte.geojson").json() == {"type": "FeatureCollection", "features": []}


def test_a_place_the_platform_does_not_know_is_said_so(client: Client, region: Region) -> None:
    page = client.get(ADDRESS, {"lieu": "Tombouctou"}).content.decode()

    assert "« Tombouctou » n'est ni une commune de la plateforme" in page
    assert "Où chercher ?" in page
    assert "lot-card" not in page
    assert "<b>" not in client.get(ADDRESS, {"lieu": "<b>Caen"}).content.decode()


def test_the_platform_search_works_with_no_town_and_no_producer(client: Client, page_clock: Any) -> None:
    page_clock(NOW)

    asked = client.get(ADDRESS)
    around_a_position = client.get(ADDRESS, {"lat": "48.7445", "lon": "-0.0203"})

    assert asked.status_code == 200
    assert "Où chercher ?" in asked.content.decode()
    assert around_a_position.status_code == 200
    assert "0 lot disponible autour de votre position" in around_a_position.content.decode()
    assert client.get(f"{ADDRESS}carte.geojson", {"lieu": "61200"}).json()["features"] == []


def test_a_buyer_searches_the_platform_around_its_own_address(client: Client, region: Region) -> None:
    buyer = BuyerFactory.create(
        name="Le Bistrot", slug="bistrot", latitude=Decimal("48.7499"), longitude=Decimal("-0.5697")
    )
    EnterpriseMemberFactory.create(enterprise=buyer)
    client.force_login(buyer.members.get().user)

    asked = client.get(ADDRESS).content.decode()
    page = client.get(ADDRESS, {"depuis": "entreprise:bistrot", "rayon": "10"}).content.decode()

    assert "choisissez l'adresse de l'une de vos entreprises" in asked
    assert "1 lot disponible autour de Le Bistrot" in page
    assert "Pommes" in page


def test_the_platform_map_has_one_point_per_producer_found(client: Client, region: Region) -> None:
    LotFactory.create(enterprise=region.sees, title="Tommes")

    data = client.get(f"{ADDRESS}carte.geojson", {"lieu": "61200", "rayon": "50"}).json()

    points = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert set(points) == {"Ferme du Bourg", "Chèvrerie de Sées", "Vergers du Bocage"}
    assert points["Chèvrerie de Sées"]["url"] == "/producteurs/chevrerie-de-sees/"
    assert points["Chèvrerie de Sées"]["state"] == "2 lots disponibles"
    assert data["features"][0]["properties"]["name"] == "Ferme du Bourg"  # nearest first


def test_a_producer_no_town_chose_has_a_page_at_the_platforms_level(
    client: Client, region: Region, django_assert_max_num_queries: Any
) -> None:
    client.get("/producteurs/chevrerie-de-sees/")

    with django_assert_max_num_queries(8):
        response = client.get("/producteurs/chevrerie-de-sees/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Chèvrerie de Sées" in page
    assert "À la chèvrerie" in page
    assert "Samedi de 09:00 à 12:00" in page
    assert "1 lot disponible" in page
    assert f'href="/pro/commander/{region.lots["cheese"].pk}/"' in page
    assert 'href="/producteurs/">' in page
    assert " km de " not in page  # the platform has no centre to measure from
    assert client.get("/argentan/producteurs/chevrerie-de-sees/").status_code == 404


def test_an_inactive_producer_or_a_mere_buyer_has_no_page(client: Client, region: Region) -> None:
    BuyerFactory.create(slug="le-bistrot")

    assert client.get("/producteurs/ferme-fermee/").status_code == 404
    assert client.get("/producteurs/le-bistrot/").status_code == 404
    assert client.get("/producteurs/personne/").status_code == 404


def test_the_platform_search_reads_few_queries(
    client: Client, region: Region, django_assert_max_num_queries: Any
) -> None:
    LotFactory.create_batch(30, enterprise=region.sees)

    with django_assert_max_num_queries(6):
        response = client.get(ADDRESS, {"lieu": "61200", "q": "crottins", "rayon": "50"})

    assert response.status_code == 200


def test_no_town_may_take_the_platforms_address_of_the_producers() -> None:
    with pytest.raises(ValidationError) as error:
        TownFactory.build(slug="producteurs").full_clean()

    assert "réservée" in " ".join(error.value.message_dict["slug"])


def test_the_platforms_home_leads_to_the_producers(client: Client) -> None:
    page = client.get("/").content.decode()

    assert 'href="/producteurs/"' in page
    assert 'href="/pro/"' in page
