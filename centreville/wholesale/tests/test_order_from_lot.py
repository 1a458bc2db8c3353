"""From a lot on a public page to a buyer's basket: the person says which of their enterprises buys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseMemberFactory
from centreville.wholesale.models import WholesaleBasketLine

from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(page_clock: Callable[[datetime], None]) -> Scenario:
    page_clock(AT)
    return scenario()


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_buyer_of_one_enterprise_orders_a_lot_into_its_basket(given: Scenario) -> None:
    client = _client(given.buyer_user)
    url = reverse("wholesale_order:from_lot", args=[given.cheese.pk])

    page = client.get(url)
    refused = client.post(url, {"buyer": given.buyer.slug, "quantity": "-6"})
    added = client.post(url, {"buyer": given.buyer.slug, "quantity": "6"})

    assert page.status_code == 200
    assert f'name="buyer" value="{given.buyer.slug}"' in page.content.decode()
    assert refused.status_code == 200
    assert added["Location"] == reverse("wholesale_buyer:basket", args=[given.buyer.slug])
    assert WholesaleBasketLine.objects.get(basket__buyer=given.buyer).quantity == Decimal("6")


def test_a_person_with_two_buyers_chooses_and_one_with_none_is_shown_how_to_register(given: Scenario) -> None:
    other = BuyerFactory.create(name="Cantine du collège")
    EnterpriseMemberFactory.create(enterprise=other, user=given.buyer_user)
    client = _client(given.buyer_user)
    url = reverse("wholesale_order:from_lot", args=[given.cheese.pk])

    unchosen = client.post(url, {"quantity": "6"})
    chosen = client.post(url, {"buyer": other.slug, "quantity": "6"})
    nobody = _client(UserFactory.create()).get(url)

    assert "Choisissez l&#x27;entreprise qui achète." in unchosen.content.decode()
    assert chosen["Location"] == reverse("wholesale_buyer:basket", args=[other.slug])
    assert list(WholesaleBasketLine.objects.values_list("basket__buyer", flat=True)) == [other.pk]
    assert reverse("enterprises_pro:index") in nobody.content.decode()


def test_a_visitor_is_sent_to_log_in_and_a_lot_not_for_sale_is_not_found(given: Scenario) -> None:
    url = reverse("wholesale_order:from_lot", args=[given.cheese.pk])
    given.cheese.is_published = False
    given.cheese.save()

    assert Client().get(url).status_code == 302
    assert _client(given.buyer_user).get(url).status_code == 404
