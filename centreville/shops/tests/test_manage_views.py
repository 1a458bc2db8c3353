from __future__ import annotations

import pytest
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.models import ShopStatus, ShopStatusChange
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_the_manager_sees_the_shops_awaiting_validation_of_the_town_only(client: Client) -> None:
    town = TownFactory.create()
    ShopFactory.create(town=town, name="Épicerie Vrac", status=ShopStatus.SUBMITTED)
    ShopFactory.create(town=town, name="Déjà Publiée")
    ShopFactory.create(name="Ailleurs En Attente", status=ShopStatus.SUBMITTED)
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)

    page = client.get(f"/{town.slug}/gestion/commerces/").content.decode()

    assert "Épicerie Vrac" in page
    assert "Déjà Publiée" not in page
    assert "Ailleurs En Attente" not in page


def test_the_manager_publishes_and_rejects_with_a_reason(client: Client) -> None:
    town = TownFactory.create()
    first = ShopFactory.create(town=town, status=ShopStatus.SUBMITTED)
    second = ShopFactory.create(town=town, status=ShopStatus.SUBMITTED)
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    client.force_login(manager)

    client.post(f"/{town.slug}/gestion/commerces/{first.pk}/decision/", {"to_status": "published"})
    refused = client.post(
        f"/{town.slug}/gestion/commerces/{second.pk}/decision/",
        {"to_status": "rejected", "reason": ""},
        follow=True,
    )
    assert "Indiquez le motif" in refused.content.decode()
    client.post(
        f"/{town.slug}/gestion/commerces/{second.pk}/decision/",
        {"to_status": "rejected", "reason": "Commerce situé hors du périmètre."},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ShopStatus.PUBLISHED
    assert second.status == ShopStatus.REJECTED
    assert second.rejection_reason == "Commerce situé hors du périmètre."
    assert ShopStatusChange.objects.filter(actor=manager).count() == 2


def test_a_manager_of_another_town_cannot_decide(client: Client) -> None:
    shop = ShopFactory.create(status=ShopStatus.SUBMITTED)
    client.force_login(TownRoleFactory.create(role=Role.MANAGER).user)

    response = client.post(
        f"/{shop.town.slug}/gestion/commerces/{shop.pk}/decision/", {"to_status": "published"}
    )

    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.status == ShopStatus.SUBMITTED


def test_a_shop_id_of_another_town_is_not_found(client: Client) -> None:
    town = TownFactory.create()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    foreign = ShopFactory.create(status=ShopStatus.SUBMITTED)

    response = client.post(
        f"/{town.slug}/gestion/commerces/{foreign.pk}/decision/", {"to_status": "published"}
    )

    assert response.status_code == 404
