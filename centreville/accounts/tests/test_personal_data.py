"""GDPR: every person can download what the platform holds about them, and erase their account."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from centreville.accounts.models import Role, TownRole, User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, TownRoleFactory, UserFactory
from centreville.baskets.models import Basket, BasketLine
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.notifications.models import Notification
from centreville.orders.models import Order, OrderStatus
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop, ShopMembership
from centreville.shops.tests.factories import ShopMembershipFactory

pytestmark = pytest.mark.django_db


def test_export_holds_my_data_and_nobody_elses(client: Client) -> None:
    membership = ShopMembershipFactory.create(user__email="moi@example.fr")
    TownRoleFactory.create(user=membership.user, town=membership.shop.town, role=Role.ADVISER)
    ShopMembershipFactory.create(user__email="autre@example.fr")
    client.force_login(membership.user)

    response = client.get("/compte/espace/mes-donnees/")

    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["compte"]["email"] == "moi@example.fr"
    assert data["commerces"] == [{"ville": membership.shop.town.name, "commerce": membership.shop.name}]
    assert data["roles"][0]["role"] == "Conseiller numérique"
    assert "autre@example.fr" not in response.content.decode()


def test_erasure_needs_the_password_and_keeps_the_shop(client: Client) -> None:
    membership = ShopMembershipFactory.create()
    user = membership.user
    TownRoleFactory.create(user=user, role=Role.PRODUCER)
    client.force_login(user)

    refused = client.post("/compte/espace/supprimer/", {"password": "pas-le-bon"})
    assert "pas le bon" in refused.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/compte/espace/supprimer/", {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not TownRole.objects.filter(user_id=user.pk).exists()
    assert not ShopMembership.objects.filter(user_id=user.pk).exists()
    assert Shop.objects.filter(pk=membership.shop_id).exists()
    assert client.get("/compte/espace/").status_code == 302  # logged out


def test_export_holds_my_orders_and_my_basket(client: Client) -> None:
    user = UserFactory.create()
    product = ProductFactory.create(title="Pain de campagne", stock=5)
    order = order_place(
        shop=product.shop,
        wanted=[Wanted(product.pk, 2)],
        customer=user,
        customer_name="Moi",
        customer_contact="moi@example.fr",
    )
    basket = Basket.objects.create(town=product.town, user=user)
    BasketLine.objects.create(basket=basket, product=product, quantity=1)
    client.force_login(user)

    data = json.loads(client.get("/compte/espace/mes-donnees/").content)

    assert [(o["reference"], o["contact"]) for o in data["commandes"]] == [
        (order.reference, "moi@example.fr")
    ]
    assert data["commandes"][0]["articles"][0]["article"] == "Pain de campagne"
    assert data["paniers"] == [
        {
            "ville": product.town.name,
            "commerce": product.shop.name,
            "article": "Pain de campagne",
            "quantite": 1,
        }
    ]


def test_erasure_waits_for_orders_under_way_then_keeps_them_without_the_person(client: Client) -> None:
    user = UserFactory.create()
    product = ProductFactory.create(stock=5)
    order = order_place(
        shop=product.shop,
        wanted=[Wanted(product.pk, 1)],
        customer=user,
        customer_name="Moi",
        customer_contact="moi@example.fr",
    )
    client.force_login(user)

    refused = client.post("/compte/espace/supprimer/", {"password": DEFAULT_PASSWORD})

    assert "Une de vos commandes est en cours" in refused.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    order_transition(order=order, to_status=OrderStatus.CANCELLED, actor=user)
    client.post("/compte/espace/supprimer/", {"password": DEFAULT_PASSWORD})

    assert not User.objects.filter(pk=user.pk).exists()
    kept = Order.objects.get(pk=order.pk)
    assert (kept.customer_id, kept.customer_name, kept.customer_contact) == (None, "Client anonymisé", "")
    assert kept.lines.count() == 1
    assert not Notification.objects.filter(order=kept).exists()
