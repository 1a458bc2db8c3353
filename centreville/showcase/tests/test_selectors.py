from __future__ import annotations

import pytest

from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.showcase import selectors
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_platform_directory_counts_published_shops() -> None:
    town = TownFactory.create()
    ShopFactory.create_batch(2, town=town)
    ShopFactory.create(town=town, status=ShopStatus.CLOSED)

    directory = selectors.platform_directory()

    assert [(t.pk, getattr(t, "shop_count", None)) for t in directory.towns] == [(town.pk, 2)]
