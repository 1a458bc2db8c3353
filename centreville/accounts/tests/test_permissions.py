"""Roles by permissions by towns: each role does what it should, nothing more, and in its own town only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

ROLES = [
    "anonymous",
    "resident",
    "merchant",
    "manager",
    "elected",
    "producer",
    "buyer",
    "adviser",
    "expert",
    "organiser",
    "admin",
]
SIGNED_IN = set(ROLES) - {"anonymous"}


@dataclass
class World:
    users: dict[str, Any]
    targets: dict[str, Any]


@pytest.fixture
def world(db: None) -> World:
    """Town A where every role is held, and town B where nobody of town A has anything."""
    town_a, town_b = TownFactory.create(), TownFactory.create()
    own_shop, other_shop = ShopFactory.create(town=town_a), ShopFactory.create(town=town_a)
    shop_b = ShopFactory.create(town=town_b)
    users: dict[str, Any] = {"anonymous": AnonymousUser(), "resident": UserFactory.create()}
    users["merchant"] = ShopMembershipFactory.create(shop=own_shop).user
    for name, role in [
        ("manager", Role.MANAGER),
        ("elected", Role.ELECTED),
        ("producer", Role.PRODUCER),
        ("buyer", Role.BUYER),
        ("adviser", Role.ADVISER),
        ("expert", Role.EXPERT),
        ("organiser", Role.ORGANISER),
    ]:
        users[name] = TownRoleFactory.create(town=town_a, role=role).user
    users["admin"] = UserFactory.create(is_superuser=True, is_staff=True)
    # People of town B, so that B's data has owners of its own.
    TownRoleFactory.create(town=town_b, role=Role.MANAGER)
    ShopMembershipFactory.create(shop=shop_b)
    targets = {
        "town_a": town_a,
        "town_b": town_b,
        "own_shop": own_shop,
        "other_shop_a": other_shop,
        "shop_b": shop_b,
        "own_product": ProductFactory.create(shop=own_shop),
        "other_product_a": ProductFactory.create(shop=other_shop),
        "product_b": ProductFactory.create(shop=shop_b),
    }
    return World(users=users, targets=targets)


# (permission, target) → roles that hold it. Everything not listed is refused.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("towns.change_town", "town_a"): {"manager", "admin"},
    ("towns.manage_roles", "town_a"): {"manager", "admin"},
    ("towns.view_members", "town_a"): {"manager", "admin"},
    ("towns.view_dashboard", "town_a"): {"manager", "elected", "admin"},
    ("towns.publish_produce", "town_a"): {"producer", "admin"},
    ("towns.reserve_produce", "town_a"): {"buyer", "admin"},
    ("towns.coach_merchants", "town_a"): {"adviser", "manager", "admin"},
    ("towns.view_merchant_area", "town_a"): {"merchant", "manager", "admin"},
    ("support.coach", "town_a"): {"expert", "adviser", "manager", "admin"},
    ("agenda.write_events", "town_a"): {"organiser", "manager", "admin"},
    ("agenda.moderate", "town_a"): {"manager", "admin"},
    ("agenda.manage_trade_rules", "town_a"): {"manager", "admin"},
    ("agenda.propose_offers", "town_a"): {"merchant", "manager", "admin"},
    ("agenda.propose_offer", "own_shop"): {"merchant", "manager", "admin"},
    ("agenda.propose_offer", "other_shop_a"): {"manager", "admin"},
    ("shops.add_shop", "town_a"): SIGNED_IN,
    ("shops.change_shop", "own_shop"): {"merchant", "manager", "admin"},
    ("shops.change_shop", "other_shop_a"): {"manager", "admin"},
    ("shops.validate_shop", "own_shop"): {"manager", "admin"},
    ("shops.manage_shop_members", "own_shop"): {"merchant", "manager", "admin"},
    ("shops.manage_shop_members", "other_shop_a"): {"manager", "admin"},
    ("catalogue.add_product", "own_shop"): {"merchant", "manager", "admin"},
    ("catalogue.add_product", "other_shop_a"): {"manager", "admin"},
    ("catalogue.change_product", "own_product"): {"merchant", "manager", "admin"},
    ("catalogue.change_product", "other_product_a"): {"manager", "admin"},
}
# The same permissions on town B's data: only the platform administrator (and anyone signed in may
# propose a shop anywhere).
TOWN_B_TARGET = {
    "town_a": "town_b",
    "own_shop": "shop_b",
    "other_shop_a": "shop_b",
    "own_product": "product_b",
    "other_product_a": "product_b",
}
EXPECTED_IN_TOWN_B = {
    (perm, TOWN_B_TARGET[target]): (SIGNED_IN if perm == "shops.add_shop" else {"admin"})
    for perm, target in EXPECTED
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_exactly_its_permissions_in_its_town(world: World, role: str) -> None:
    user = world.users[role]
    granted = {key for key in EXPECTED if user.has_perm(key[0], world.targets[key[1]])}
    expected = {key for key, roles in EXPECTED.items() if role in roles}
    assert granted == expected


@pytest.mark.parametrize("role", ROLES)
def test_nobody_of_town_a_holds_anything_over_town_b(world: World, role: str) -> None:
    user = world.users[role]
    granted = {key for key in EXPECTED_IN_TOWN_B if user.has_perm(key[0], world.targets[key[1]])}
    expected = {key for key, roles in EXPECTED_IN_TOWN_B.items() if role in roles}
    assert granted == expected


def test_every_role_is_covered_by_the_matrix() -> None:
    assert {role.value for role in Role} <= set(ROLES)
    assert set().union(*EXPECTED.values()) == SIGNED_IN


def test_a_deactivated_manager_loses_every_permission(world: World) -> None:
    manager = world.users["manager"]
    manager.is_active = False
    manager.save()
    assert not manager.has_perm("towns.change_town", world.targets["town_a"])


def test_permissions_without_an_object_are_refused(world: World) -> None:
    assert not world.users["manager"].has_perm("towns.change_town")
    assert not world.users["merchant"].has_perm("shops.change_shop")


def test_role_lookups_are_read_once_per_user(world: World, django_assert_max_num_queries: Any) -> None:
    manager = world.users["manager"]
    town = world.targets["town_a"]
    with django_assert_max_num_queries(1):
        for perm in ("towns.change_town", "towns.manage_roles", "towns.view_dashboard", "towns.view_members"):
            assert manager.has_perm(perm, town)
