"""A town whose shops take orders every way, and clients that talk to the API as a browser or an app."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.baskets.tests.factories import Places, shop_taking_orders, town_taking_orders
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.towns.models import Town

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


class Browser:
    """A browser: cookies kept, CSRF enforced as in production; writes send X-CSRFToken unless told not to."""

    def __init__(self, user: User | None = None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)

    def get(self, path: str, **params: Any) -> Response:
        return self.client.get(path, params)

    def send(self, method: str, path: str, data: Any = None, *, csrf: bool = True) -> Response:
        if csrf and "csrftoken" not in self.client.cookies:
            self.get("/api/villes/inconnue/panier")  # any browser read hands out the CSRF cookie
        headers = {"X-CSRFToken": self.client.cookies["csrftoken"].value} if csrf else {}
        body = json.dumps(data) if data is not None else ""
        return self.client.generic(method, path, body, content_type="application/json", headers=headers)

    def post(self, path: str, data: Any = None, *, csrf: bool = True) -> Response:
        return self.send("POST", path, data, csrf=csrf)


class App:
    """A merchant's app: no cookie, no CSRF token, only `Authorization: Bearer <key>`."""

    def __init__(self, key: str) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any) -> Response:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any) -> Response:
        return self.client.post(path, json.dumps(data), content_type="application/json", headers=self.headers)


@dataclass
class Scene:
    town: Town
    places: Places
    bakery: Shop
    florist: Shop
    grocer: Shop
    bread: Product
    roses: Product
    honey: Product
    baker: User
    florist_owner: User
    manager: User


@pytest.fixture
def scene() -> Scene:
    town, places = town_taking_orders(slug="argentan-test")
    bakery = shop_taking_orders(town, name="Boulangerie du Marché", slug="boulangerie")
    florist = shop_taking_orders(town, name="Fleurs de l'Orne", slug="fleuriste")
    grocer = shop_taking_orders(town, name="Épicerie Fine", slug="epicerie")
    return Scene(
        town=town,
        places=places,
        bakery=bakery,
        florist=florist,
        grocer=grocer,
        bread=ProductFactory.create(shop=bakery, title="Pain de campagne", price=Decimal("3.20"), stock=10),
        roses=ProductFactory.create(shop=florist, title="Bouquet de roses", price=Decimal("25.00"), stock=4),
        honey=ProductFactory.create(shop=grocer, title="Miel du bocage", price=Decimal("8.50"), stock=6),
        baker=ShopMembershipFactory.create(shop=bakery).user,
        florist_owner=ShopMembershipFactory.create(shop=florist).user,
        manager=TownRoleFactory.create(town=town, role=Role.MANAGER).user,
    )


@pytest.fixture
def visitor() -> Browser:
    return Browser()


def new_key(user: User) -> str:
    """A personal token made the way a merchant makes one: from their signed-in browser."""
    response = Browser(user).post("/api/jetons", {"name": "Téléphone de la boutique"})
    assert response.status_code == 201, response.content
    return str(response.json()["key"])


def stranger() -> User:
    return UserFactory.create()
