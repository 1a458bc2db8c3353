"""Only the people who run a shop (or the town's manager) may import products into it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue import product_import
from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.csv", b"titre;prix\nConfiture;4,50\n", content_type="text/csv")


def import_url(shop: Shop) -> str:
    return reverse("merchants:products_import", args=[shop.town.slug, shop.slug])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("merchant of another shop", 403),
        ("manager of another town", 403),
        ("member", 200),
        ("manager", 200),
    ],
)
def test_only_members_and_the_town_manager_import_into_a_shop(
    client: Client, monkeypatch: pytest.MonkeyPatch, who: str, expected: int
) -> None:
    town = TownFactory.create(slug="argentan")
    shop = ShopFactory.create(town=town)
    calls: list[Any] = []
    original = product_import.product_import

    def spy(**kwargs: Any) -> product_import.ImportReport:
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(product_import, "product_import", spy)
    user = UserFactory.create()
    if who == "merchant of another shop":
        ShopMembershipFactory.create(shop=ShopFactory.create(town=town), user=user)
    elif who == "manager of another town":
        TownRoleFactory.create(town=TownFactory.create(), role=Role.MANAGER, user=user)
    elif who == "member":
        ShopMembershipFactory.create(shop=shop, user=user)
    elif who == "manager":
        TownRoleFactory.create(town=town, role=Role.MANAGER, user=user)
    if who != "anonymous":
        client.force_login(user)

    response = client.post(import_url(shop), {"file": upload()})

    assert response.status_code == expected
    assert bool(calls) is (expected == 200)
    assert Product.objects.filter(shop=shop).exists() is (expected == 200)


def test_a_new_account_imports_into_the_draft_shop_it_created_and_nowhere_else(client: Client) -> None:
    town = TownFactory.create(slug="argentan")
    unclaimed = ShopFactory.create(town=town, status=ShopStatus.PUBLISHED)  # imported, nobody runs it
    newcomer = UserFactory.create()
    client.force_login(newcomer)
    draft = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    ShopMembershipFactory.create(shop=draft, user=newcomer)  # as creating a shop does

    own = client.post(import_url(draft), {"file": upload()})
    other = client.post(import_url(unclaimed), {"file": upload()})

    assert own.status_code == 200
    assert other.status_code == 403
    assert list(Product.objects.values_list("shop_id", flat=True)) == [draft.pk]
