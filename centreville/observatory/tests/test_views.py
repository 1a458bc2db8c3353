"""The town's dashboard page over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_dashboard_counts_only_its_own_town(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    elected = TownRoleFactory.create(town=town, role=Role.ELECTED).user
    ShopFactory.create_batch(3, town=town)
    ShopFactory.create_batch(5, town=other)
    client.force_login(elected)

    figures = client.get(reverse("observatory:dashboard", args=[town.slug])).context["figures"]

    assert figures.published_shops == 3
