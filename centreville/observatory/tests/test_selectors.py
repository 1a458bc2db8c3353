from __future__ import annotations

import pytest

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.observatory import selectors
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_dashboard_figures_of_one_town_ignore_the_other() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    ShopFactory.create_batch(2, town=town)
    ShopFactory.create(town=town, status=ShopStatus.SUBMITTED)
    ProductFactory.create(
        shop=ShopMembershipFactory.create(shop=ShopFactory.create(town=town)).shop, is_visible=False
    )
    TownRoleFactory.create(town=town, role=Role.ELECTED)
    for _ in range(4):
        ProductFactory.create(shop=ShopMembershipFactory.create(shop=ShopFactory.create(town=other)).shop)
    TownRoleFactory.create(town=other, role=Role.ELECTED)

    figures = selectors.town_dashboard_figures(town)

    assert figures.published_shops == 3
    assert figures.shops_by_status["En attente de validation"] == 1
    assert (figures.products, figures.visible_products) == (1, 0)
    assert figures.merchants == 1
    assert figures.roles["Élu·e"] == 1
