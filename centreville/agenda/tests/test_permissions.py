"""Who writes what in the agenda, role by role: the town team, an organiser, the merchant of this shop and of
another, a resident, the manager of another town."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

from .factories import EventFactory, OfferFactory

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "resident", "manager", "organiser", "other_organiser", "merchant", "other_merchant",
          "manager_elsewhere", "admin"]  # fmt: skip


@pytest.fixture
def world() -> dict[str, Any]:
    town, elsewhere = TownFactory.create(), TownFactory.create()
    shop, other_shop = ShopFactory.create(town=town), ShopFactory.create(town=town)
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory.create(),
        "manager": TownRoleFactory.create(town=town, role=Role.MANAGER).user,
        "organiser": TownRoleFactory.create(town=town, role=Role.ORGANISER).user,
        "other_organiser": TownRoleFactory.create(town=town, role=Role.ORGANISER).user,
        "merchant": ShopMembershipFactory.create(shop=shop).user,
        "other_merchant": ShopMembershipFactory.create(shop=other_shop).user,
        "manager_elsewhere": TownRoleFactory.create(town=elsewhere, role=Role.MANAGER).user,
        "admin": UserFactory.create(is_superuser=True, is_staff=True),
    }
    return {
        "town": town,
        "shop": shop,
        "people": people,
        "organisers_event": EventFactory.create(town=town, created_by=people["organiser"]),
        "managers_event": EventFactory.create(town=town, created_by=people["manager"]),
        "offer": OfferFactory.create(shop=shop, created_by=people["merchant"]),
    }


def allowed(world: dict[str, Any], permission: str, target: str) -> set[str]:
    return {name for name in PEOPLE if world["people"][name].has_perm(permission, world[target])}


def test_the_town_team_moderates_and_keeps_the_rules_of_trade(world: dict[str, Any]) -> None:
    assert allowed(world, "agenda.moderate", "town") == {"manager", "admin"}
    assert allowed(world, "agenda.manage_trade_rules", "town") == {"manager", "admin"}


def test_organisers_and_the_town_team_write_events(world: dict[str, Any]) -> None:
    assert allowed(world, "agenda.write_events", "town") == {
        "manager",
        "organiser",
        "other_organiser",
        "admin",
    }


def test_an_organiser_changes_only_the_events_it_wrote(world: dict[str, Any]) -> None:
    assert allowed(world, "agenda.change_event", "organisers_event") == {"manager", "organiser", "admin"}
    assert allowed(world, "agenda.change_event", "managers_event") == {"manager", "admin"}


def test_a_merchant_proposes_offers_for_the_shop_they_run_only(world: dict[str, Any]) -> None:
    assert allowed(world, "agenda.propose_offers", "town") == {
        "manager",
        "merchant",
        "other_merchant",
        "admin",
    }
    assert allowed(world, "agenda.propose_offer", "shop") == {"manager", "merchant", "admin"}
    assert allowed(world, "agenda.change_event", "offer") == {"manager", "merchant", "admin"}


def test_an_organiser_who_lost_its_role_no_longer_changes_its_events(world: dict[str, Any]) -> None:
    organiser = world["people"]["organiser"]
    organiser.town_roles.all().delete()
    organiser.__dict__.pop("_town_roles", None)
    assert not organiser.has_perm("agenda.change_event", world["organisers_event"])
