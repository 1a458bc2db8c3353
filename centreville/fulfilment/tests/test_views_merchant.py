"""The merchant's page: the shop's members choose among the town's ways and see their next slots."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.fulfilment.models import ShopFulfilment
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

from .factories import RelayPointFactory, TownFulfilmentFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Scene:
    shop: Shop
    owner: User
    neighbour: User


@pytest.fixture
def scene() -> Scene:
    town = TownFactory.create(slug="argentan")
    TownFulfilmentFactory.create(town=town, relay_enabled=True)
    RelayPointFactory.create(town=town)
    shop = ShopFactory.create(
        town=town,
        slug="epicerie-martin",
        offers_click_collect=True,
        opening_hours="Mo-Su 09:00-12:00,14:00-16:00",
    )
    return Scene(
        shop=shop,
        owner=ShopMembershipFactory.create(shop=shop).user,
        neighbour=ShopMembershipFactory.create(shop__town=town).user,
    )


def page_url(shop_slug: str = "epicerie-martin", town_slug: str = "argentan") -> str:
    return reverse("fulfilment_merchant:shop_settings", args=[town_slug, shop_slug])


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_shop_s_people_reach_its_page(scene: Scene) -> None:
    anonymous = Client().get(page_url())
    neighbour = signed_in(scene.neighbour).get(page_url())
    resident = signed_in(UserFactory.create()).get(page_url())
    manager = signed_in(TownRoleFactory.create(town=scene.shop.town, role=Role.MANAGER).user).get(page_url())

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert neighbour.status_code == 403
    assert resident.status_code == 403
    assert manager.status_code == 200  # the town team may help a merchant, as on the other shop pages
    assert signed_in(scene.owner).get(page_url("autre-commerce")).status_code == 404


def test_a_shop_of_another_town_is_not_found_from_this_town(scene: Scene) -> None:
    far = ShopFactory.create(town=TownFactory.create(slug="alencon"), slug="fromagerie")
    ShopMembershipFactory.create(shop=far, user=scene.owner)

    assert signed_in(scene.owner).get(page_url("fromagerie")).status_code == 404


def test_the_page_offers_only_the_town_s_ways_and_previews_the_next_slots(scene: Scene) -> None:
    response = signed_in(scene.owner).get(page_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="pickup_enabled"' in page
    assert 'name="relay_enabled"' in page
    assert 'name="locker_enabled"' not in page  # the town has no locker service
    assert 'name="delivery_enabled"' not in page
    assert "Vos prochains créneaux de retrait" in page
    assert "10 créneaux, 40 places libres : de 09:00 à 12:00 et de 14:00 à 16:00" in page  # tomorrow
    assert not ShopFulfilment.objects.exists()  # looking writes nothing


def test_the_merchant_saves_the_ways_and_the_slots(scene: Scene) -> None:
    data = {
        "pickup_enabled": "on",
        "relay_enabled": "on",
        "preparation_minutes": "120",
        "slot_minutes": "15",
        "slot_capacity": "3",
    }

    response = signed_in(scene.owner).post(page_url(), data)

    assert response.status_code == 302
    rules = ShopFulfilment.objects.get(shop=scene.shop)
    assert (rules.pickup_enabled, rules.relay_enabled, rules.locker_enabled) == (True, True, False)
    assert (rules.preparation_minutes, rules.slot_minutes, rules.slot_capacity) == (120, 15, 3)


def test_wrong_slot_settings_get_french_errors_and_keep_the_input(scene: Scene) -> None:
    data = {"relay_enabled": "on", "preparation_minutes": "60", "slot_minutes": "7", "slot_capacity": "0"}

    response = signed_in(scene.owner).post(page_url(), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page
    assert "supérieure ou égale à 1" in page
    assert 'value="0"' in page
    assert '<input type="checkbox" name="relay_enabled" id="id_relay_enabled" checked>' in page
    assert not ShopFulfilment.objects.exists()


def test_a_way_the_town_does_not_offer_cannot_be_switched_on(scene: Scene) -> None:
    data = {"locker_enabled": "on", "preparation_minutes": "60", "slot_minutes": "30", "slot_capacity": "4"}

    signed_in(scene.owner).post(page_url(), data)

    assert ShopFulfilment.objects.get(shop=scene.shop).locker_enabled is False


def test_the_page_says_what_is_missing_for_pickup(scene: Scene) -> None:
    Shop.objects.filter(pk=scene.shop.pk).update(offers_click_collect=False, opening_hours="")

    page = signed_in(scene.owner).get(page_url()).content.decode()

    assert "Indiquez vos horaires d&#x27;ouverture" in page or "Indiquez vos horaires d'ouverture" in page
    assert "cochez « retrait en boutique (Click & Collect) »" in page
    assert "Aucun créneau dans les prochains jours" in page
