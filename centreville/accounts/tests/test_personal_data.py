"""GDPR: every person can download what the platform holds about them, and erase their account."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from centreville.accounts.models import Role, TownRole, User
from centreville.core.factories import (
    DEFAULT_PASSWORD,
    ShopMembershipFactory,
    TownRoleFactory,
)
from centreville.shops.models import Shop, ShopMembership

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
