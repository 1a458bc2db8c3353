"""Every town page guarded by a permission, for every role, in its own town and in another: the cases are
generated from the access registry (`core.access`), so a new page is in the matrix the day it is added.

What each role holds is written in the apps' `rules.py` and tested role by role in
`accounts/tests/test_permissions.py`; here each page must answer as its declared rule says: refused (a
login redirect for the anonymous, 403 for the others) exactly when the person lacks the town permission,
or, on a shop's page, the shop permission; 404 for a town that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.access import Entry, Kind, access_registry
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

GUARDED = {
    entry.key: entry for entry in access_registry() if entry.rule and entry.rule.kind == Kind.PERMISSION
}
ROLES = ["anonymous", "resident", "merchant", *[role.value for role in Role], "manager_elsewhere", "admin"]
# Arguments that name no existing object: a person let in gets the page's own 404 (or its form).
MADE_UP = {"kind": "x", "action": "x", "month": "2000-01", "reference": "x"}


@dataclass
class Place:
    town: Town
    shop: Shop
    product_slug: str


@pytest.fixture
def world() -> dict[str, Any]:
    here, elsewhere = TownFactory.create(), TownFactory.create()
    towns = {}
    for name, town in (("here", here), ("elsewhere", elsewhere)):
        shop = ShopFactory.create(town=town)
        towns[name] = Place(town=town, shop=shop, product_slug=ProductFactory.create(shop=shop).slug)
    people: dict[str, Any] = {"anonymous": AnonymousUser(), "resident": UserFactory.create()}
    people["merchant"] = ShopMembershipFactory.create(shop=towns["here"].shop).user
    for role in Role:
        people[role.value] = TownRoleFactory.create(town=here, role=role).user
    people["manager_elsewhere"] = TownRoleFactory.create(town=elsewhere, role=Role.MANAGER).user
    people["admin"] = UserFactory.create(is_superuser=True, is_staff=True)
    return {"towns": towns, "people": people}


def _url(entry: Entry, place: Place, *, town_slug: str | None = None) -> str:
    values: dict[str, Any] = {
        "town_slug": town_slug or place.town.slug,
        "shop_slug": place.shop.slug,
        "product_slug": place.product_slug,
    }
    kwargs = {name: values.get(name, MADE_UP.get(name, 999999)) for name in entry.argument_names}
    return reverse(entry.key, kwargs=kwargs)


def _get_or_post(client: Client, url: str) -> Any:
    """GET the page; a view that only takes POST gets an empty POST."""
    response = client.get(url)
    return client.post(url, {}) if response.status_code == 405 else response


def _refused(response: Any) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    )


def test_the_matrix_covers_every_kind_of_guarded_page() -> None:
    assert len(GUARDED) > 50
    assert any(entry.rule and entry.rule.shop_permission for entry in GUARDED.values())


@pytest.mark.parametrize("key", sorted(GUARDED))
def test_each_guarded_page_answers_each_role_as_its_rule_says(world: dict[str, Any], key: str) -> None:
    entry = GUARDED[key]
    assert entry.rule is not None
    unexpected = []
    for role in ROLES:
        person = world["people"][role]
        client = Client()
        if role != "anonymous":
            client.force_login(person)
        for place_name, place in world["towns"].items():
            allowed = person.has_perm(entry.rule.permission, place.town) and (
                not entry.rule.shop_permission or person.has_perm(entry.rule.shop_permission, place.shop)
            )
            response = _get_or_post(client, _url(entry, place))
            if _refused(response) == allowed:
                unexpected.append(
                    f"{role} in {place_name}: {response.status_code}, expected allowed={allowed}"
                )
            if not allowed and role == "anonymous":
                assert response.status_code == 302, f"{key}: the anonymous are sent to log in"
        if role in ("anonymous", "admin"):  # the town is looked for before anyone is let in or sent away
            unknown = _get_or_post(client, _url(entry, world["towns"]["here"], town_slug="nulle-part"))
            if unknown.status_code != 404:
                unexpected.append(f"{role} in an unknown town: {unknown.status_code}")
    assert not unexpected, f"{key} ({entry.rule}): " + "; ".join(unexpected)
