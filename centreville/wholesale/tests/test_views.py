from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.tests.factories import UserFactory
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.models import OrderStatus, StandingOrder, WholesaleBasketLine, WholesaleOrder
from centreville.wholesale.services import basket_add

from .scenario import AT, DRIVE_SLOT, FARM_WINDOW, Scenario, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(page_clock: Callable[[datetime], None]) -> Scenario:
    page_clock(AT)
    return scenario()


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_add_endpoint_puts_a_lot_in_the_basket_and_refuses_a_wrong_quantity_in_french(
    given: Scenario,
) -> None:
    client = _client(given.buyer_user)
    url = reverse("wholesale_buyer:basket_add", args=[given.buyer.slug])

    refused = client.post(url, {"lot": given.cheese.pk, "quantity": "4"}, follow=True)
    added = client.post(url, {"lot": given.cheese.pk, "quantity": "6"}, follow=True)

    assert "se commande par 6 au moins" in refused.content.decode()
    assert "« Camembert » est dans le panier." in added.content.decode()
    assert WholesaleBasketLine.objects.get().quantity == Decimal("6")
    back = client.post(url, {"lot": given.cheese.pk, "quantity": "6", "next": "/pro/lots/carottes/"})
    away = client.post(url, {"lot": given.cheese.pk, "quantity": "6", "next": "https://ailleurs.example/"})
    assert back["Location"] == "/pro/lots/carottes/"
    assert away["Location"] == reverse("wholesale_buyer:basket", args=[given.buyer.slug])


def test_a_non_member_gets_403_and_an_anonymous_visitor_is_sent_to_log_in(given: Scenario) -> None:
    url = reverse("wholesale_buyer:basket", args=[given.buyer.slug])

    assert _client(UserFactory.create()).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert (
        _client(given.buyer_user)
        .get(reverse("wholesale_producer:orders", args=[given.farm.slug]))
        .status_code
        == 403
    )
    assert (
        _client(given.farm_user)
        .post(reverse("wholesale_buyer:basket_add", args=[given.buyer.slug]))
        .status_code
        == 403
    )


def test_the_basket_page_checks_out_two_producers_in_one_post(
    given: Scenario, django_assert_max_num_queries: Any
) -> None:
    basket_add(buyer=given.buyer, lot_id=given.carrots.pk, quantity=Decimal("10"), at=AT)
    basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("12"), at=AT)
    client = _client(given.buyer_user)

    with django_assert_max_num_queries(25):
        page = client.get(reverse("wholesale_buyer:basket", args=[given.buyer.slug]))
    response = client.post(
        reverse("wholesale_buyer:checkout", args=[given.buyer.slug]),
        {
            f"hand_over_{given.farm.pk}": given.farm_choice().value,
            f"hand_over_{given.dairy.pk}": given.drive_choice().value,
        },
        follow=True,
    )

    assert given.farm_choice().value in page.content.decode()
    assert given.drive_choice().value in page.content.decode()
    assert "Commande envoyée à 2 producteur(s)" in response.content.decode()
    assert {(o.producer_id, o.hand_over_at) for o in WholesaleOrder.objects.all()} == {
        (given.farm.pk, FARM_WINDOW),
        (given.dairy.pk, DRIVE_SLOT),
    }


def test_a_checkout_without_a_choice_changes_nothing(given: Scenario) -> None:
    basket_add(buyer=given.buyer, lot_id=given.carrots.pk, quantity=Decimal("10"), at=AT)

    response = _client(given.buyer_user).post(
        reverse("wholesale_buyer:checkout", args=[given.buyer.slug]), {}, follow=True
    )

    assert "Choisissez comment recevoir la commande de Ferme des Sources." in response.content.decode()
    assert not WholesaleOrder.objects.exists()


def _order(given: Scenario) -> WholesaleOrder:
    return place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )[0]


def test_the_producer_sees_only_its_orders_and_accepts_one(
    given: Scenario, django_assert_max_num_queries: Any
) -> None:
    order = _order(given)
    place_orders(
        buyer=given.buyer,
        wanted=[(given.cheese.pk, Decimal("6"))],
        choices={given.dairy.pk: given.drive_choice()},
        at=AT,
    )
    client = _client(given.farm_user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("wholesale_producer:orders", args=[given.farm.slug]))
    client.post(
        reverse("wholesale_producer:order_step", args=[given.farm.slug, order.reference]),
        {"to_status": "accepted"},
    )

    assert "Carottes" in page.content.decode()
    assert "Camembert" not in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    other = WholesaleOrder.objects.exclude(pk=order.pk).get()
    assert (
        client.get(reverse("wholesale_producer:order", args=[given.farm.slug, other.reference])).status_code
        == 404
    )


def test_the_producer_adjusts_a_short_delivery_and_the_buyer_cancels_only_before_acceptance(
    given: Scenario,
) -> None:
    order = _order(given)
    buyer = _client(given.buyer_user)
    farm = _client(given.farm_user)
    farm.post(
        reverse("wholesale_producer:order_step", args=[given.farm.slug, order.reference]),
        {"to_status": "accepted"},
    )

    buyer.post(reverse("wholesale_buyer:order_cancel", args=[given.buyer.slug, order.reference]))
    farm.post(
        reverse("wholesale_producer:order_adjust", args=[given.farm.slug, order.reference]),
        {f"delivered_{order.lines.get().pk}": "8"},
    )

    order.refresh_from_db()
    given.carrots.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.lines.get().delivered_quantity == Decimal("8")
    assert given.carrots.quantity_available == Decimal("32")


def test_the_pick_lists_consolidate_per_lot(given: Scenario) -> None:
    _order(given)
    _order(given)
    place_orders(
        buyer=given.buyer,
        wanted=[(given.cheese.pk, Decimal("6"))],
        choices={given.dairy.pk: given.drive_choice()},
        at=AT,
    )
    place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("5"))],
        choices={given.farm.pk: given.drive_choice()},
        at=AT,
    )
    client = _client(given.farm_user)

    farm_day = client.get(
        reverse("wholesale_producer:pick_list", args=[given.farm.slug]) + "?jour=2026-12-08"
    )
    drive_day = client.get(
        reverse("wholesale_producer:drive_list", args=[given.farm.slug, given.drive.pk]) + "?jour=2026-12-10"
    )

    assert "<td>20 kg</td>" in farm_day.content.decode().replace("kilogramme", "kg")
    text = drive_day.content.decode()
    assert "Camembert" in text
    assert "Laiterie du Pays" in text
    assert "Ferme des Sources" in text


def test_a_buyer_repeats_an_order_weekly_then_pauses_and_ends_it(given: Scenario) -> None:
    order = _order(given)
    client = _client(given.buyer_user)

    response = client.post(
        reverse("wholesale_buyer:order_repeat", args=[given.buyer.slug, order.reference]), follow=True
    )
    standing = StandingOrder.objects.get()
    client.post(
        reverse("wholesale_buyer:standing_pause", args=[given.buyer.slug, standing.pk]),
        {"paused_from": "2026-12-14", "paused_until": "2026-12-20"},
    )
    page = client.get(reverse("wholesale_buyer:standing_order", args=[given.buyer.slug, standing.pk]))
    client.post(reverse("wholesale_buyer:standing_end", args=[given.buyer.slug, standing.pk]))

    assert "Cette commande sera passée chaque semaine." in response.content.decode()
    assert standing.weekday == 2  # Tuesday, the window's day
    assert "mardi 22 décembre 2026" in page.content.decode()
    assert "mardi 15 décembre 2026" not in page.content.decode()
    standing.refresh_from_db()
    assert not standing.is_active
    assert (
        _client(given.buyer_user)
        .get(reverse("wholesale_buyer:standing_orders", args=[given.buyer.slug]))
        .status_code
        == 200
    )


def test_a_buyer_only_enterprise_finds_its_orders_at_the_orders_address(given: Scenario) -> None:
    _order(given)
    client = _client(given.buyer_user)

    response = client.get(reverse("wholesale_producer:orders", args=[given.buyer.slug]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("wholesale_buyer:orders", args=[given.buyer.slug])
    assert "Ferme des Sources" in response.content.decode()


def test_a_producer_adds_a_round_and_a_wrong_one_is_refused_in_french(given: Scenario) -> None:
    client = _client(given.farm_user)
    url = reverse("wholesale_producer:delivery_rounds", args=[given.farm.slug])
    form = {
        "name": "Tournée de Sées",
        "weekdays": ["3"],
        "cutoff_days_before": "2",
        "cutoff_time": "18:00",
        "postcodes": "61500, 61570",
        "minimum_order": "80",
    }

    wrong = client.post(url, {**form, "postcodes": "Sées"})
    client.post(url, form)

    assert wrong.status_code == 400
    assert "codes postaux à 5 chiffres" in wrong.content.decode()
    made = given.farm.delivery_rounds.get(name="Tournée de Sées")
    assert (made.weekdays, made.postcodes, made.minimum_order) == ([3], ["61500", "61570"], Decimal("80"))
    client.post(reverse("wholesale_producer:delivery_round_stop", args=[given.farm.slug, made.pk]))
    made.refresh_from_db()
    assert not made.is_active
    assert _client(given.buyer_user).get(url).status_code == 403


def test_a_producer_leaves_and_joins_a_drive_point(given: Scenario) -> None:
    client = _client(given.farm_user)
    url = reverse("wholesale_producer:drive_point_membership", args=[given.farm.slug, given.drive.pk])

    client.post(url, {"action": "leave"})
    left = set(given.drive.producers.all())
    client.post(url, {"action": "join"})
    page = client.get(reverse("wholesale_producer:drive_points", args=[given.farm.slug]))

    assert given.farm not in left
    assert given.farm in given.drive.producers.all()
    assert "Ne plus livrer ce drive" in page.content.decode()
    assert _client(UserFactory.create()).post(url, {"action": "leave"}).status_code == 403
