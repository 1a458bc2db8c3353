"""A producer's order pages say what became of the order (the refusal's reason, where its invoice is), and its
drives page says when each drive opens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from centreville.wholesale.checkout import place_orders
from centreville.wholesale.models import OrderStatus, WholesaleOrder

from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(page_clock: Callable[[datetime], None]) -> Scenario:
    page_clock(AT)
    return scenario()


def _order(given: Scenario) -> WholesaleOrder:
    [order] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    return order


def _step(client: Client, given: Scenario, order: WholesaleOrder, to_status: str, **extra: str) -> None:
    url = reverse("wholesale_producer:order_step", args=[given.farm.slug, order.reference])
    client.post(url, {"to_status": to_status, **extra})


def test_a_refused_order_shows_its_reason_to_the_producer(given: Scenario) -> None:
    order = _order(given)
    farm = Client()
    farm.force_login(given.farm_user)  # type: ignore[arg-type]

    _step(farm, given, order, "refused", reason="Plus de carottes cette semaine.")
    page = farm.get(reverse("wholesale_producer:order", args=[given.farm.slug, order.reference]))

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUSED
    assert "Motif du refus : Plus de carottes cette semaine." in page.content.decode()


def test_a_collected_order_leads_to_the_invoices(given: Scenario) -> None:
    order = _order(given)
    farm = Client()
    farm.force_login(given.farm_user)  # type: ignore[arg-type]
    invoices = reverse("invoicing_producer:list", args=[given.farm.slug])
    order_page = reverse("wholesale_producer:order", args=[given.farm.slug, order.reference])

    before = farm.get(order_page).content.decode()
    for step in ("accepted", "ready", "collected"):
        _step(farm, given, order, step)
    after = farm.get(order_page).content.decode()

    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED
    assert f'href="{invoices}"' not in before
    assert f'href="{invoices}"' in after


def test_the_drives_page_gives_their_hours_in_words_and_leads_home(given: Scenario) -> None:
    farm = Client()
    farm.force_login(given.farm_user)  # type: ignore[arg-type]

    page = farm.get(reverse("wholesale_producer:drive_points", args=[given.farm.slug])).content.decode()

    # « Th 16:00-19:00 » is the machine's way of writing it.
    assert "Jeudi : de 16:00 à 19:00" in page
    assert "Th 16:00-19:00" not in page
    assert f'href="/pro/{given.farm.slug}/"' in page
