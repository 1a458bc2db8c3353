"""Each change a merchant saves counts, for the town's dashboard, as the shop being kept up to date that day;
a refused change does not, and nothing about the person is kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.activity.models import DailyCount, Metric
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    shop: Shop = ShopFactory.create(slug="epicerie")
    ProductFactory.create(shop=shop, slug="miel", stock=3)
    return shop


@pytest.fixture
def merchant(client: Client, shop: Shop) -> Client:
    client.force_login(ShopMembershipFactory.create(shop=shop).user)
    return client


def updates(shop: Shop) -> int:
    return sum(
        DailyCount.objects.filter(shop=shop, metric=Metric.MERCHANT_UPDATE).values_list("count", flat=True)
    )


def test_saved_changes_count_as_updates_of_the_shop(merchant: Client, shop: Shop) -> None:
    stock = reverse("merchants:product_stock", args=[shop.town.slug, shop.slug, "miel"])
    closures = reverse("merchants:shop_closures", args=[shop.town.slug, shop.slug])

    merchant.post(stock, {"stock": "9"})
    merchant.post(closures, {"start_date": "2030-08-01", "end_date": "2030-08-15", "label": "Congés"})

    assert updates(shop) == 2
    row = DailyCount.objects.get(shop=shop, metric=Metric.MERCHANT_UPDATE)
    assert row.town_id == shop.town_id


def test_a_refused_change_is_not_counted(merchant: Client, shop: Shop) -> None:
    merchant.post(
        reverse("merchants:product_stock", args=[shop.town.slug, shop.slug, "miel"]), {"stock": "beaucoup"}
    )

    assert updates(shop) == 0
