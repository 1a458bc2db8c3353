"""The fake provider's page: shows the amount in French, pays or cancels, never redirects off-site."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from centreville.orders.models import Order, PaymentChoice, PaymentState
from centreville.orders.payment import payment_start
from centreville.payments.models import Payment, PaymentStatus, WebhookEvent

from .conftest import place_basket

pytestmark = pytest.mark.django_db
RETURN_URL = "/villeneuve/commande/suivi/abc/"
CANCEL_URL = "/villeneuve/panier/"


def started(return_url: str = RETURN_URL) -> tuple[str, Payment]:
    basket = place_basket(prices=("12.50", "7.30"))
    url = payment_start(orders=basket.orders, return_url=return_url, cancel_url=CANCEL_URL)
    return url, Payment.objects.get()


def test_the_page_shows_the_amount_and_two_choices(client: Client) -> None:
    url, payment = started()

    page = client.get(url).content.decode()

    assert "Paiement d'essai" in page
    assert "Montant à payer : 19,80\u00a0€" in page
    client.cookies["django_language"] = "en"
    assert "Amount to pay: €19.80" in client.get(url).content.decode()  # one money format per language
    assert 'value="pay">Payer</button>' in page
    assert 'value="cancel" class="button button-secondary">Annuler</button>' in page
    assert payment.basket_reference in page


def test_paying_records_the_event_once_and_returns_to_the_order(client: Client) -> None:
    url, _payment = started()

    first = client.post(url, {"action": "pay"})
    second = client.post(url, {"action": "pay"})  # a double click

    assert first["Location"] == second["Location"] == RETURN_URL
    assert WebhookEvent.objects.filter(provider="fake").count() == 1
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert set(Order.objects.values_list("payment_state", flat=True)) == {PaymentState.PAID}
    assert "Payé" in client.get(url).content.decode()  # no more buttons once paid


def test_cancelling_returns_to_the_basket_and_payment_at_pickup(client: Client) -> None:
    url, _payment = started()

    response = client.post(url, {"action": "cancel"})

    assert response["Location"] == CANCEL_URL
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert set(Order.objects.values_list("payment", "payment_state")) == {
        (PaymentChoice.AT_PICKUP, PaymentState.NONE)
    }


def test_the_page_never_sends_the_customer_to_another_site(client: Client) -> None:
    url, _payment = started(return_url="https://ailleurs.example/piege/")

    assert client.post(url, {"action": "pay"})["Location"] == "/"


def test_unknown_payments_and_actions_are_refused(client: Client) -> None:
    url, _payment = started()

    assert client.get(reverse("payments:fake_checkout", args=["fake_inconnu"])).status_code == 404
    assert client.post(url, {"action": "rembourser"}).status_code == 400
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_the_fake_payment_page_does_not_exist_where_fake_payments_are_not_allowed(
    client: Client, settings: Settings
) -> None:
    url, payment = started()
    settings.PAYMENT_FAKE_ALLOWED = False

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "pay"}).status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
