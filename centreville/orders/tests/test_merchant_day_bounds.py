"""Days in the address that exist but cannot be used (9999-12-31…): a French error, not a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.orders.tests.test_merchant_selectors import Counter, counter, place

pytestmark = pytest.mark.django_db

__all__ = ["counter"]

OUT_OF_RANGE = "Choisissez un jour entre le 01/01/2000 et le 31/12/2099."
UNUSABLE = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "31/12/9999"]


def url(name: str, *args: Any) -> str:
    return reverse(f"orders_merchant:{name}", args=["argentan", *args])


@pytest.mark.parametrize("day", UNUSABLE)
@pytest.mark.parametrize("page", ["day", "preparation"])
def test_the_day_pages_fall_back_to_today_and_say_why(
    client: Client, counter: Counter, page: str, day: str
) -> None:
    order = place(counter.bread)
    client.force_login(counter.merchant)

    response = client.get(url(page), {"jour": day})

    assert response.status_code == 200
    content = response.content.decode()
    assert OUT_OF_RANGE in content
    assert order.reference in content  # today's orders, as without a day


@pytest.mark.parametrize("day", UNUSABLE)
def test_the_export_refuses_the_period_with_a_french_400(client: Client, counter: Counter, day: str) -> None:
    client.force_login(counter.merchant)

    for period in ({"du": day, "au": "2025-03-01"}, {"du": "2025-03-01", "au": day}, {"du": day, "au": day}):
        response = client.get(url("export_csv"), period)
        assert response.status_code == 400
        assert OUT_OF_RANGE in response.content.decode()


def test_a_step_posted_with_an_unusable_day_still_comes_back(client: Client, counter: Counter) -> None:
    order = place(counter.bread)
    client.force_login(counter.merchant)

    response = client.post(url("step", order.reference), {"to_status": "accepted", "jour": "9999-12-31"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#commande-{order.reference}")


def test_the_date_pickers_offer_only_usable_days(client: Client, counter: Counter) -> None:
    client.force_login(counter.merchant)

    page = client.get(url("export")).content.decode()

    assert 'min="2000-01-01"' in page
    assert 'max="2099-12-31"' in page
