"""The town's relay points and lockers get their opening hours day by day, like the shops."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.fulfilment.models import Locker, RelayPoint
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import LockerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def manager(client: Client, town: Town) -> Client:
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    return client


def closed_week() -> dict[str, str]:
    return {f"hours_day{day}_state": "closed" for day in range(7)}


def test_a_relay_point_gets_its_hours_day_by_day(manager: Client) -> None:
    data = {
        "name": "Maison de la presse",
        "street_address": "5 place du Marché",
        "opening_hours": "",
        "is_active": "on",
        "hours_editor": "week",
        "hours_holidays": "closed",
        **closed_week(),
        "hours_day0_state": "open",
        "hours_day0_open1": "07:00",
        "hours_day0_close1": "19:30",
        **{f"hours_day{day}_state": "same" for day in range(1, 6)},
        "hours_day6_state": "open",
        "hours_day6_open1": "08:00",
        "hours_day6_close1": "12:30",
    }

    response = manager.post(reverse("fulfilment_manage:relay_point_create", args=["argentan"]), data)

    assert response.status_code == 302
    assert RelayPoint.objects.get().opening_hours == "Mo-Sa 07:00-19:30; Su 08:00-12:30; PH off"


def test_a_lockers_form_shows_its_hours_day_by_day(manager: Client, town: Town) -> None:
    locker = LockerFactory.create(town=town, opening_hours="24/7")

    page = manager.get(
        reverse("fulfilment_manage:locker_edit", args=["argentan", locker.pk])
    ).content.decode()

    assert 'name="hours_day0_open1" value="00:00"' in page
    assert 'name="hours_day0_close1" value="00:00"' in page
    assert 'name="hours_day6_state" value="same" id="id_hours_day6_state_2" checked' in page
    assert (
        "<legend>Horaires d&#x27;ouverture</legend>" in page
        or "<legend>Horaires d'ouverture</legend>" in page
    )


def test_a_refused_day_keeps_the_locker_unchanged(manager: Client, town: Town) -> None:
    locker = LockerFactory.create(town=town, name="Consigne", opening_hours="24/7")
    data = {
        "name": "Consigne de la gare",
        "street_address": locker.street_address,
        "opening_hours": "24/7",
        "compartments": "12",
        "is_active": "on",
        "hours_editor": "week",
        **closed_week(),
        "hours_day0_state": "open",
    }

    response = manager.post(reverse("fulfilment_manage:locker_edit", args=["argentan", locker.pk]), data)

    assert response.status_code == 200
    assert "Lundi : indiquez les heures d&#x27;ouverture" in response.content.decode()
    locker.refresh_from_db()
    assert (locker.name, locker.opening_hours) == ("Consigne", "24/7")
    assert Locker.objects.count() == 1


def test_a_relay_point_needs_at_least_one_open_day(manager: Client) -> None:
    data = {
        "name": "Maison de la presse",
        "street_address": "5 place du Marché",
        "opening_hours": "",
        "is_active": "on",
        "hours_editor": "week",
        **closed_week(),
    }

    response = manager.post(reverse("fulfilment_manage:relay_point_create", args=["argentan"]), data)

    assert response.status_code == 200
    assert "Indiquez au moins un jour d&#x27;ouverture." in response.content.decode()
    assert not RelayPoint.objects.exists()
