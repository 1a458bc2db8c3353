"""The lots' pages: the search and a producer's page for everyone, the producer's back-office."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from centreville.accounts.tests.factories import UserFactory
from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import (
    BuyerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PickupPlaceFactory,
    SpaceProducerFactory,
)
from centreville.lots.models import Lot, LotPrice, VatRate
from centreville.lots.tests.factories import LotFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def town(page_clock: Any) -> Town:
    page_clock(NOW)
    return TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])


@pytest.fixture
def producer(town: Town) -> Enterprise:
    farm = EnterpriseFactory.create(name="Ferme du Bourg", slug="ferme-du-bourg", labels=["ab"])
    SpaceProducerFactory.create(town=town, enterprise=farm)
    PickupPlaceFactory.create(enterprise=farm, name="À la ferme", opening_hours="Tu,Fr 17:00-19:00")
    return farm


@pytest.fixture
def member(client: Client, producer: Enterprise) -> Client:
    EnterpriseMemberFactory.create(enterprise=producer, user=UserFactory.create())
    client.force_login(producer.members.get().user)
    return client


def test_the_search_lists_lots_with_their_distance_and_figures(client: Client, producer: Enterprise) -> None:
    LotFactory.create(
        enterprise=producer, title="Carottes", case_size=Decimal("10"), unit_price=Decimal("1.2")
    )
    LotFactory.create(
        enterprise=producer,
        title="Jambon",
        unit="piece",
        variable_weight=True,
        estimated_weight=Decimal("2.5"),
        unit_price=Decimal("14"),
    )

    response = client.get("/argentan/producteurs/", {"lieu": "61200", "rayon": "10", "q": "karottes"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Carottes" in page
    assert "Jambon" not in page
    assert "0,0 km" in page
    assert "Circuit court" in page
    assert "12,00\N{NO-BREAK SPACE}€ HT le colis" in page
    assert "5,5 %" in page
    assert "Résultats pour « carottes »" in page
    everything = client.get("/argentan/producteurs/").content.decode()
    assert "environ 2,5 kg" in everything
    assert "environ 35,00\N{NO-BREAK SPACE}€ la pièce" in everything


def test_a_buyer_searches_around_its_own_address(client: Client, producer: Enterprise, town: Town) -> None:
    LotFactory.create(enterprise=producer, title="Carottes")
    buyer = BuyerFactory.create(slug="bistrot", latitude=Decimal("48.834500"), longitude=Decimal("-0.020300"))
    EnterpriseMemberFactory.create(enterprise=buyer)
    client.force_login(buyer.members.get().user)

    page = client.get("/argentan/producteurs/", {"depuis": "entreprise:bistrot"}).content.decode()

    assert "10,0 km" in page
    assert "autour de " in page


def test_the_map_data_has_one_point_per_producer(client: Client, producer: Enterprise) -> None:
    LotFactory.create_batch(2, enterprise=producer)

    data = client.get("/argentan/producteurs/carte.geojson").json()

    assert [f["properties"]["name"] for f in data["features"]] == ["Ferme du Bourg"]
    assert data["features"][0]["properties"]["url"] == "/argentan/producteurs/ferme-du-bourg/"


def test_the_search_reads_few_queries(
    client: Client, producer: Enterprise, django_assert_max_num_queries: Any
) -> None:
    LotFactory.create_batch(30, enterprise=producer)
    client.get("/argentan/producteurs/")  # the space in the cache

    with django_assert_max_num_queries(8):
        response = client.get("/argentan/producteurs/", {"q": "carottes", "bio": "on"})

    assert response.status_code == 200


def test_a_producers_page_shows_pickups_and_paginates_lots(
    client: Client, producer: Enterprise, django_assert_max_num_queries: Any
) -> None:
    LotFactory.create_batch(35, enterprise=producer)
    client.get("/argentan/producteurs/ferme-du-bourg/")

    with django_assert_max_num_queries(8):
        response = client.get("/argentan/producteurs/ferme-du-bourg/")

    page = response.content.decode()
    assert "À la ferme" in page
    assert "Mardi de 17:00 à 19:00" in page
    assert "35 lots disponibles" in page
    assert "Page 1 sur 2" in page


def test_a_producer_the_space_does_not_show_has_no_page_there(client: Client, town: Town) -> None:
    EnterpriseFactory.create(slug="ferme-d-ailleurs")

    assert client.get("/argentan/producteurs/ferme-d-ailleurs/").status_code == 404


def test_the_back_office_is_for_the_producers_members_only(client: Client, producer: Enterprise) -> None:
    address = "/pro/ferme-du-bourg/lots/"
    assert client.get(address).status_code == 302
    client.force_login(UserFactory.create())
    assert client.get(address).status_code == 403
    lot = LotFactory.create(enterprise=producer, quantity_available=Decimal("4"))
    assert client.post(f"{address}{lot.pk}/quantite/", {"action": "plus"}).status_code == 403
    lot.refresh_from_db()
    assert lot.quantity_available == 4


def test_one_tap_changes_the_quantity(
    member: Client, producer: Enterprise, django_assert_max_num_queries: Any
) -> None:
    lot = LotFactory.create(enterprise=producer, quantity_available=Decimal("4"), quantity_step=Decimal("2"))
    address = f"/pro/ferme-du-bourg/lots/{lot.pk}/quantite/"

    response = member.post(address, {"action": "plus"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#lot-{lot.pk}")
    member.post(address, {"action": "moins"})
    member.post(address, {"action": "moins"})
    lot.refresh_from_db()
    assert lot.quantity_available == 2

    member.post(address, {"action": "epuise"})
    lot.refresh_from_db()
    assert lot.quantity_available == 0
    refused = member.post(address, {"action": "moins"}, follow=True)
    assert "ne peut pas passer sous zéro" in refused.content.decode()
    lot.refresh_from_db()
    assert lot.quantity_available == 0
    with django_assert_max_num_queries(10):
        listing = member.get("/pro/ferme-du-bourg/lots/")
    assert "Épuisé" in listing.content.decode()


def new_lot_form(**changes: str) -> dict[str, str]:
    category = ProductCategoryFactory.create(name="Fruits et légumes", slug="fruits-legumes")
    form = {
        "category": str(category.pk),
        "title": "Courges",
        "unit": "kg",
        "quantity_available": "80",
        "minimum_quantity": "5",
        "quantity_step": "5",
        "unit_price": "1,40",
        "vat_rate": "",
        "intermediaries": "0",
        "is_published": "on",
        "prix_restaurant": "1,30",
    }
    form.update(changes)
    return form


def test_a_new_lot_from_the_form(member: Client, producer: Enterprise) -> None:
    response = member.post("/pro/ferme-du-bourg/lots/nouveau/", new_lot_form())

    lot = Lot.objects.get()
    assert response.status_code == 302
    assert (lot.title, lot.unit_price, lot.vat_rate) == ("Courges", Decimal("1.4"), VatRate.REDUCED)
    assert list(LotPrice.objects.values_list("buyer_category", "unit_price")) == [
        ("restaurant", Decimal("1.3"))
    ]


def test_a_bad_lot_form_says_why_in_french_and_changes_nothing(member: Client, producer: Enterprise) -> None:
    lot = LotFactory.create(enterprise=producer, title="Carottes")

    response = member.post(f"/pro/ferme-du-bourg/lots/{lot.pk}/", new_lot_form(quantity_available="-3"))

    assert response.status_code == 422
    assert "La quantité disponible ne peut pas être négative." in response.content.decode()
    lot.refresh_from_db()
    assert lot.title == "Carottes"
    assert not LotPrice.objects.exists()


def test_the_edit_form_shows_the_lot(member: Client, producer: Enterprise) -> None:
    lot = LotFactory.create(enterprise=producer, title="Carottes")

    response = member.get(f"/pro/ferme-du-bourg/lots/{lot.pk}/")

    assert response.status_code == 200
    assert "Modifier « Carottes »" in response.content.decode()


def test_with_htmx_a_tap_answers_the_lots_status_alone(member: Client, producer: Enterprise) -> None:
    lot = LotFactory.create(enterprise=producer, quantity_available=Decimal("1"), quantity_step=Decimal("1"))
    address = f"/pro/ferme-du-bourg/lots/{lot.pk}/quantite/"

    tapped = member.post(address, {"action": "moins"}, HTTP_HX_REQUEST="true")
    refused = member.post(address, {"action": "moins"}, HTTP_HX_REQUEST="true")

    assert tapped.status_code == 200
    # The status alone: the buttons stay in the page, so the taps queued behind this one are still sent.
    assert tapped.content.decode().lstrip().startswith('<p class="lot-quantity">')
    assert "<button" not in tapped.content.decode()
    assert refused.status_code == 422
    assert "ne peut pas passer sous zéro" in refused.content.decode()
    lot.refresh_from_db()
    assert lot.quantity_available == 0


def test_the_edit_form_shows_figures_without_stored_zeros(member: Client, producer: Enterprise) -> None:
    lot = LotFactory.create(
        enterprise=producer,
        quantity_available=Decimal("10"),
        unit_price=Decimal("1.8"),
        case_size=Decimal("6"),
    )
    LotPrice.objects.create(lot=lot, buyer_category="restaurant", unit_price=Decimal("1.5"))

    page = member.get(f"/pro/ferme-du-bourg/lots/{lot.pk}/").content.decode()

    # « 10,000 » reads as ten thousand.
    assert 'name="quantity_available" value="10"' in page
    assert 'name="unit_price" value="1,8"' in page
    assert 'name="case_size" value="6"' in page
    assert 'name="prix_restaurant" value="1,5"' in page


def test_a_refused_price_leaves_the_lot_as_it_was(member: Client, producer: Enterprise) -> None:
    lot = LotFactory.create(enterprise=producer, title="Carottes")

    response = member.post(
        f"/pro/ferme-du-bourg/lots/{lot.pk}/", new_lot_form(title="Courges", prix_canteen="0")
    )

    assert response.status_code == 422
    assert "Le prix doit être supérieur à zéro." in response.content.decode()
    lot.refresh_from_db()
    assert lot.title == "Carottes"
    assert not LotPrice.objects.exists()


def test_a_lot_sold_by_the_case_counts_cases_in_the_list(member: Client, producer: Enterprise) -> None:
    LotFactory.create(
        enterprise=producer, title="Carottes", case_size=Decimal("10"), quantity_available=Decimal("3")
    )

    listing = member.get("/pro/ferme-du-bourg/lots/").content.decode()

    assert "Disponible : <strong>3</strong> (colis de 10 × kilogramme)" in listing
    assert 'href="/pro/ferme-du-bourg/lots/importer/"' in listing
