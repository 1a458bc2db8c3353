from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.accounts.tests.factories import UserFactory
from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.merchants import selectors
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_merchant_home_reads_visits_of_all_shops_in_one_query(django_assert_num_queries: Any) -> None:
    # Given a merchant running one shop, then five, in a town beside another town
    town, other_town = TownFactory.create(), TownFactory.create()
    user = UserFactory.create()
    ShopMembershipFactory.create(user=user, shop=ShopFactory.create(town=other_town))
    first = ShopFactory.create(town=town, name="A")
    ShopMembershipFactory.create(user=user, shop=first)
    activity.write_counts({(Metric.SHOP_VIEW, town.pk, first.slug): 4}, day=TODAY)
    with CaptureQueriesContext(connection) as one_shop:
        selectors.merchant_home(user, town, today=TODAY)
    for _ in range(4):
        ShopMembershipFactory.create(user=user, shop=ShopFactory.create(town=town))

    # When the home page is read
    with django_assert_num_queries(len(one_shop.captured_queries)):
        overviews = selectors.merchant_home(user, town, today=TODAY)

    # Then the query count did not grow, and each shop has its own visits
    assert len(overviews) == 5
    by_shop = {overview.shop.pk: overview.visits_total for overview in overviews}
    assert by_shop[first.pk] == 4
    assert sorted(by_shop.values()) == [0, 0, 0, 0, 4]
