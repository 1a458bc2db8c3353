"""The town team's pages: only the town's managers reach them; bad input keeps what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.fulfilment.models import DeliveryZone, Locker, RelayPoint, TownFulfilment, TownOrderSettings
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import DeliveryZoneFactory, LockerFactory, RelayPointFactory, delivered

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Team:
    town: Town
    other_town: Town
    manager: User
    other_manager: User
    merchant: User


@pytest.fixture
def team() -> Team:
    town = TownFactory.create(slug="argentan", postcodes=["61200"])
    other_town = TownFactory.create(slug="alencon")
    return Team(
        town=town,
        other_town=other_town,
        manager=TownRoleFactory.create(town=town, role=Role.MANAGER).user,
        other_manager=TownRoleFactory.create(town=other_town, role=Role.MANAGER).user,
        merchant=ShopMembershipFactory.create(shop__town=town).user,
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args: object) -> str:
    return reverse(f"fulfilment_manage:{name}", args=["argentan", *args])


SETTINGS = {
    "pickup_enabled": "on",
    "relay_enabled": "on",
    "delivery_enabled": "on",
    "delivery_base_fee": "4,50",
    "delivery_fee_per_km": "0",
    "delivery_free_from": "",
    "subsidy_percent": "100",
    "subsidy_cap": "5",
    "accept_within_hours": "12",
    "collect_within_days": "5",
    "online_payment_enabled": "on",
}


@pytest.mark.parametrize(
    "name", ["settings", "subsidy_csv", "relay_point_list", "locker_create", "zone_list"]
)
def test_people_outside_the_town_team_are_kept_out(team: Team, name: str) -> None:
    anonymous = Client().get(url(name))
    merchant = signed_in(team.merchant).get(url(name))
    other_manager = signed_in(team.other_manager).get(url(name))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert merchant.status_code == 403
    assert other_manager.status_code == 403


def test_the_settings_page_shows_the_defaults_without_writing_them(team: Team) -> None:
    response = signed_in(team.manager).get(url("settings"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="checkbox" name="pickup_enabled" id="id_pickup_enabled" checked>' in page
    assert '<input type="checkbox" name="relay_enabled" id="id_relay_enabled">' in page
    assert 'value="5,00"' in page  # the default base fee, written the French way
    assert not TownFulfilment.objects.exists()
    assert not TownOrderSettings.objects.exists()


def test_the_manager_saves_ways_fees_subsidy_and_order_delays(team: Team) -> None:
    response = signed_in(team.manager).post(url("settings"), SETTINGS)

    assert response.status_code == 302
    rules = TownFulfilment.objects.get(town=team.town)
    assert (rules.pickup_enabled, rules.relay_enabled, rules.locker_enabled, rules.delivery_enabled) == (
        True,
        True,
        False,
        True,
    )
    assert rules.delivery_base_fee == Decimal("4.50")
    assert rules.delivery_free_from is None
    assert (rules.subsidy_percent, rules.subsidy_cap) == (100, Decimal("5.00"))
    order_settings = TownOrderSettings.objects.get(town=team.town)
    assert (order_settings.accept_within_hours, order_settings.collect_within_days) == (12, 5)
    assert order_settings.online_payment_enabled is True
    assert not TownFulfilment.objects.filter(town=team.other_town).exists()


def test_bad_settings_get_french_errors_and_keep_what_was_typed(team: Team) -> None:
    typed = {**SETTINGS, "delivery_base_fee": "cinq euros", "subsidy_percent": "150", "subsidy_cap": "-2"}

    response = signed_in(team.manager).post(url("settings"), typed)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Montant « cinq euros » illisible (exemple : 2,50)." in page
    assert "Un montant ne peut pas être négatif." in page
    assert "inférieure ou égale à 100" in page
    assert 'value="cinq euros"' in page
    assert 'value="150"' in page
    assert not TownFulfilment.objects.exists()


def test_the_subsidy_csv_of_the_chosen_month_downloads(team: Team) -> None:
    shop = ShopFactory.create(town=team.town)
    order = delivered(
        shop, at=datetime(2026, 11, 12, 11, tzinfo=ZoneInfo("Europe/Paris")), fee="5", subsidy="5"
    )

    response = signed_in(team.manager).get(url("subsidy_csv"), {"mois": "2026-11"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aide-livraison-argentan-2026-11.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffDate;Référence;Commerce")
    assert order.reference in content


def test_an_unreadable_month_sends_back_to_the_settings_with_a_message(team: Team) -> None:
    client = signed_in(team.manager)

    response = client.get(url("subsidy_csv"), {"mois": "2026-13"}, follow=True)

    assert response.redirect_chain[-1][0] == url("settings")
    assert "Mois illisible : choisissez un mois dans la liste." in response.content.decode()


def test_the_month_picker_offers_this_month_first(team: Team) -> None:
    today = timezone.localdate()

    response = signed_in(team.manager).get(url("settings"))

    assert f'<option value="{today:%Y-%m}">' in response.content.decode()


def test_the_manager_adds_a_relay_point(team: Team) -> None:
    data = {
        "name": "Maison de la presse",
        "street_address": "5 place du Marché",
        "opening_hours": "Mo-Sa 07:00-19:30",
        "is_active": "on",
    }

    response = signed_in(team.manager).post(url("relay_point_create"), data)

    assert response.status_code == 302
    relay = RelayPoint.objects.get()
    assert (relay.town, relay.name, relay.opening_hours, relay.is_active) == (
        team.town,
        "Maison de la presse",
        "Mo-Sa 07:00-19:30",
        True,
    )


def test_unreadable_opening_hours_are_refused_and_kept(team: Team) -> None:
    data = {
        "name": "Consigne",
        "street_address": "place Mahé",
        "opening_hours": "lundi 8h-19h",
        "compartments": "0",
    }

    response = signed_in(team.manager).post(url("locker_create"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Horaires illisibles : « lundi 8h-19h »." in page
    assert 'value="lundi 8h-19h"' in page
    assert not Locker.objects.exists()


def test_a_locker_needs_at_least_one_compartment(team: Team) -> None:
    data = {"name": "Consigne", "street_address": "place Mahé", "opening_hours": "24/7", "compartments": "0"}

    response = signed_in(team.manager).post(url("locker_create"), data)

    assert "Une consigne compte au moins un casier." in response.content.decode()
    assert not Locker.objects.exists()


def test_the_manager_edits_and_takes_a_locker_out_of_service(team: Team) -> None:
    locker = LockerFactory.create(town=team.town, name="Consigne gare")
    client = signed_in(team.manager)
    data = {
        "name": "Consigne de la gare",
        "street_address": "parvis",
        "opening_hours": "Mo-Su 06:00-22:00",
        "compartments": "20",
        "is_active": "on",
    }

    edited = client.post(url("locker_edit", locker.pk), data)
    stopped = client.post(url("locker_active", locker.pk), {"is_active": "0"}, follow=True)

    locker.refresh_from_db()
    assert edited.status_code == 302
    assert (locker.name, locker.compartments, locker.is_active) == ("Consigne de la gare", 20, False)
    assert "Hors service : « Consigne de la gare »." in stopped.content.decode()
    assert "Remettre en service" in stopped.content.decode()


def test_another_town_s_places_are_not_found(team: Team) -> None:
    far_relay = RelayPointFactory.create(town=team.other_town)
    far_zone = DeliveryZoneFactory.create(town=team.other_town)
    client = signed_in(team.manager)

    assert client.get(url("relay_point_edit", far_relay.pk)).status_code == 404
    assert client.post(url("zone_active", far_zone.pk), {"is_active": "0"}).status_code == 404
    assert DeliveryZone.objects.get(pk=far_zone.pk).is_active is True


def test_the_manager_adds_a_zone_by_postcodes(team: Team) -> None:
    data = {
        "name": "Argentan et alentours",
        "postcodes": "61200; 61150 61200",
        "radius_km": "",
        "extra_fee": "1,50",
        "is_active": "on",
    }

    response = signed_in(team.manager).post(url("zone_create"), data)

    assert response.status_code == 302
    zone = DeliveryZone.objects.get()
    assert (zone.town, zone.postcodes, zone.radius_km, zone.extra_fee) == (
        team.town,
        ["61200", "61150"],
        None,
        Decimal("1.50"),
    )


def test_the_manager_adds_a_zone_by_distance_in_french_decimals(team: Team) -> None:
    data = {"name": "Rayon", "postcodes": "", "radius_km": "7,5", "extra_fee": "0", "is_active": "on"}

    signed_in(team.manager).post(url("zone_create"), data)

    assert DeliveryZone.objects.get().radius_km == Decimal("7.50")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (
            {"postcodes": "612, 6120A"},
            "« 612, 6120A » ne sont pas des codes postaux français (5 chiffres chacun).",
        ),
        ({"postcodes": "", "radius_km": ""}, "Indiquez des codes postaux ou un rayon autour du centre."),
        ({"extra_fee": "-1"}, "Un montant ne peut pas être négatif."),
    ],
)
def test_a_wrong_zone_gets_a_french_error_and_keeps_the_input(
    team: Team, typed: dict[str, str], error: str
) -> None:
    data = {
        "name": "Zone test",
        "postcodes": "61200",
        "radius_km": "",
        "extra_fee": "0",
        "is_active": "on",
        **typed,
    }

    response = signed_in(team.manager).post(url("zone_create"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert 'value="Zone test"' in page
    assert not DeliveryZone.objects.exists()


def test_lists_show_only_the_town_s_places(team: Team) -> None:
    RelayPointFactory.create(town=team.town, name="Presse du Marché")
    RelayPointFactory.create(town=team.other_town, name="Presse d'Alençon")

    page = signed_in(team.manager).get(url("relay_point_list")).content.decode()

    assert "Presse du Marché" in page
    assert "Alençon" not in page
