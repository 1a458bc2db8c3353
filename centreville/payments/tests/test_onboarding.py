"""Merchants connect their payment account from their back-office through the provider's hosted onboarding;
its state comes back on their return and by the provider's `account.updated` event. Stripe answers from
recorded JSON objects: no network."""

from __future__ import annotations

import json
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from centreville.fulfilment.models import TownOrderSettings
from centreville.payments.models import ShopPaymentAccount, WebhookEvent
from centreville.payments.onboarding import AccountState, account_state
from centreville.payments.services import online_payment_available
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

from .conftest import RecordingStripeHTTP, stripe_delivery, stripe_fixture

pytestmark = pytest.mark.django_db
WEBHOOK = reverse("payments:stripe_webhook")


@pytest.fixture
def shop() -> Shop:
    town = TownFactory.create(slug="argentan")
    TownOrderSettings.objects.create(town=town, online_payment_enabled=True)
    return ShopFactory.create(
        town=town, name="Boulangerie du Marché", slug="boulangerie", email="boulangerie@example.fr"
    )


@pytest.fixture
def merchant_client(shop: Shop) -> Client:
    client = Client()
    client.force_login(ShopMembershipFactory.create(shop=shop).user)
    return client


def page_url(name: str, shop: Shop) -> str:
    return reverse(f"merchants:{name}", args=[shop.town.slug, shop.slug])


def record_account(stripe_http: RecordingStripeHTTP, name: str) -> None:
    stripe_http.recorded[("GET", "/v1/accounts/acct_1QmarchePain01")] = stripe_fixture(name)


@pytest.fixture
def recorded(stripe_http: RecordingStripeHTTP) -> RecordingStripeHTTP:
    stripe_http.recorded[("POST", "/v1/accounts")] = stripe_fixture("account_created")
    stripe_http.recorded[("POST", "/v1/account_links")] = stripe_fixture("account_link")
    return stripe_http


def test_a_merchant_opens_an_express_account_and_is_sent_to_stripes_onboarding(
    shop: Shop, merchant_client: Client, recorded: RecordingStripeHTTP
) -> None:
    page = unescape(merchant_client.get(page_url("shop_payment", shop)).content.decode())
    assert "Pas encore connecté" in page
    assert "Connecter mon compte de paiement" in page
    assert not online_payment_available(shop.town, [shop])

    response = merchant_client.post(page_url("shop_payment_start", shop))

    assert response.status_code == 302
    assert response["Location"] == "https://connect.stripe.com/setup/e/acct_1QmarchePain01/Xp4b9QbL2uXw"
    [created] = recorded.calls("POST", "/v1/accounts")
    assert created.params["type"] == "express"
    assert created.params["country"] == "FR"
    assert created.params["capabilities[transfers][requested]"] == "true"
    assert created.params["email"] == "boulangerie@example.fr"
    assert created.idempotency_key == f"account-shop-{shop.pk}-stripe"
    [link] = recorded.calls("POST", "/v1/account_links")
    assert link.params["account"] == "acct_1QmarchePain01"
    assert link.params["type"] == "account_onboarding"
    assert link.params["return_url"] == "http://testserver" + page_url("shop_payment_return", shop)
    assert link.params["refresh_url"] == "http://testserver" + page_url("shop_payment_resume", shop)
    account = ShopPaymentAccount.objects.get(shop=shop)
    assert (account.provider, account.account_id) == ("stripe", "acct_1QmarchePain01")
    assert account_state(account) == AccountState.INFORMATION_NEEDED


def test_a_second_start_or_an_expired_link_reuses_the_account(
    shop: Shop, merchant_client: Client, recorded: RecordingStripeHTTP
) -> None:
    merchant_client.post(page_url("shop_payment_start", shop))

    again = merchant_client.post(page_url("shop_payment_start", shop))
    resumed = merchant_client.get(page_url("shop_payment_resume", shop))

    assert again["Location"] == resumed["Location"] == stripe_fixture("account_link")["url"]
    assert len(recorded.calls("POST", "/v1/accounts")) == 1
    assert len(recorded.calls("POST", "/v1/account_links")) == 3


def test_back_from_onboarding_the_page_shows_the_verification_then_the_webhook_enables_payments(
    shop: Shop, merchant_client: Client, recorded: RecordingStripeHTTP
) -> None:
    merchant_client.post(page_url("shop_payment_start", shop))
    record_account(recorded, "account_pending_verification")

    back = merchant_client.get(page_url("shop_payment_return", shop), follow=True)

    page = unescape(back.content.decode())
    assert "Vérification en cours" in page
    assert "Le prestataire vérifie vos informations" in page
    account = ShopPaymentAccount.objects.get(shop=shop)
    assert (account.details_submitted, account.charges_enabled) == (True, False)
    assert account.pending_verification == ["individual.verification.document"]
    assert not online_payment_available(shop.town, [shop])

    body, headers = stripe_delivery(stripe_fixture("event_account_updated"))
    response = Client().post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )

    assert response.status_code == 200
    account.refresh_from_db()
    assert account_state(account) == AccountState.ENABLED
    assert online_payment_available(shop.town, [shop])
    event = WebhookEvent.objects.get(event_id="evt_1QmarcheAcctUpd")
    assert event.processed
    assert "individual" not in json.dumps(event.payload)  # nothing personal is kept
    page = unescape(merchant_client.get(page_url("shop_payment", shop)).content.decode())
    assert "Prêt à recevoir des paiements en ligne" in page
    assert "Connecter mon compte" not in page


def test_information_still_needed_on_return_is_said(
    shop: Shop, merchant_client: Client, recorded: RecordingStripeHTTP
) -> None:
    merchant_client.post(page_url("shop_payment_start", shop))
    record_account(recorded, "account_created")

    page = unescape(get_follow(merchant_client, page_url("shop_payment_return", shop)))

    assert "Il manque encore des informations" in page
    assert "6 informations demandées." in page
    assert "Compléter mes informations" in page


def test_stripe_unreachable_is_said_in_french_and_nothing_is_recorded(
    shop: Shop, merchant_client: Client, recorded: RecordingStripeHTTP
) -> None:
    recorded.failing.add("/v1/accounts")

    response = merchant_client.post(page_url("shop_payment_start", shop), follow=True)

    assert "Le prestataire de paiement ne répond pas pour le moment." in unescape(response.content.decode())
    assert not ShopPaymentAccount.objects.exists()


def test_an_account_update_for_an_account_of_no_shop_changes_nothing(recorded: RecordingStripeHTTP) -> None:
    body, headers = stripe_delivery(stripe_fixture("event_account_updated"))

    response = Client().post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )

    assert response.status_code == 200
    assert not WebhookEvent.objects.get(event_id="evt_1QmarcheAcctUpd").processed


def test_another_merchant_cannot_reach_the_shops_payment_page(shop: Shop) -> None:
    stranger = Client()
    stranger.force_login(ShopMembershipFactory.create(shop__town=shop.town).user)

    assert stranger.get(page_url("shop_payment", shop)).status_code == 403
    assert stranger.post(page_url("shop_payment_start", shop)).status_code == 403


def test_the_fake_provider_onboards_on_a_local_page(shop: Shop, merchant_client: Client) -> None:
    started = merchant_client.post(page_url("shop_payment_start", shop))
    local = urlsplit(started["Location"])
    assert local.path.startswith("/paiement/essai/compte/fake_acct_")
    assert parse_qs(local.query)["retour"] == ["http://testserver" + page_url("shop_payment_return", shop)]
    assert account_state(ShopPaymentAccount.objects.get(shop=shop)) == AccountState.INFORMATION_NEEDED

    form = merchant_client.get(started["Location"])
    assert form.status_code == 200
    done = merchant_client.post(
        local.path, {"action": "complete", "retour": parse_qs(local.query)["retour"][0]}, follow=True
    )

    page = unescape(done.content.decode())
    assert "Votre compte est prêt : vos clients peuvent payer en ligne." in page
    assert account_state(ShopPaymentAccount.objects.get(shop=shop)) == AccountState.ENABLED


def get_follow(client: Client, url: str) -> Any:
    return client.get(url, follow=True).content.decode()
