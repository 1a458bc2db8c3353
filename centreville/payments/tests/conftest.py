"""Fixtures for payments: a basket of orders in two shops, and Stripe without any network."""

from __future__ import annotations

import hmac
import itertools
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from pytest_django.fixtures import Settings

from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import TownOrderSettings
from centreville.orders.models import Order
from centreville.orders.tests.factories import order_place
from centreville.payments.models import ShopPaymentAccount
from centreville.payments.providers import StripeConnectProvider
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

WEBHOOK_SECRET = "whsec_test_secret"


@dataclass
class StripeRequest:
    method: str
    path: str
    params: dict[str, str]
    idempotency_key: str | None


class RecordingStripeHTTP(stripe.HTTPClient):
    """Stands in for the network: records what the Stripe library sends and answers with canned JSON."""

    name = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[StripeRequest] = []
        self.failing: set[str] = set()  # paths answered with an error
        # Recorded answers of Stripe's API, by (method, path): JSON fixtures of its objects.
        self.recorded: dict[tuple[str, str], dict[str, Any]] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        path = urlsplit(url).path
        with self._lock:
            number = next(self._numbers)
            self.requests.append(
                StripeRequest(
                    method=method.upper(),
                    path=path,
                    params=dict(parse_qsl(post_data or urlsplit(url).query)),
                    idempotency_key=(headers or {}).get("Idempotency-Key"),
                )
            )
        if path in self.failing:
            error = {"error": {"type": "api_error", "message": "Stripe est indisponible"}}
            return json.dumps(error), 400, {"stripe-should-retry": "false"}
        answer = self.recorded.get((method.upper(), path)) or self._answer(method.upper(), path, number)
        return json.dumps(answer), 200, {"Request-Id": f"req_{number}"}

    def _answer(self, method: str, path: str, number: int) -> dict[str, Any]:
        parts = path.strip("/").split("/")
        if path == "/v1/checkout/sessions":
            session = f"cs_test_{number}"
            return {
                "id": session,
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/{session}",
            }
        if parts[:2] == ["v1", "payment_intents"] and method == "GET":
            return {"id": parts[2], "object": "payment_intent", "latest_charge": f"ch_of_{parts[2]}"}
        if path == "/v1/transfers":
            return {"id": f"tr_{number}", "object": "transfer"}
        if parts[:2] == ["v1", "transfers"] and parts[-1] == "reversals":
            return {"id": f"trr_{number}", "object": "transfer_reversal", "transfer": parts[2]}
        if path == "/v1/refunds":
            return {"id": f"re_{number}", "object": "refund"}
        raise AssertionError(f"unexpected Stripe call {method} {path}")

    def request_stream(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no streaming call expected")

    def close(self) -> None:
        pass

    def calls(self, method: str, path_start: str) -> list[StripeRequest]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_start)]


@pytest.fixture
def stripe_http(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> RecordingStripeHTTP:
    """Payments go through Stripe Connect, whose every HTTP request lands in this recorder."""
    recorder = RecordingStripeHTTP()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_platform"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    monkeypatch.setattr(StripeConnectProvider, "http_client", recorder)
    return recorder


FIXTURES = Path(__file__).parent / "fixtures" / "stripe"


def stripe_fixture(name: str) -> dict[str, Any]:
    """A Stripe API object as Stripe sends it (recorded from its API reference, test-mode ids)."""
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def stripe_delivery(
    payload: Mapping[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """A webhook delivery signed the way Stripe signs them."""
    body = json.dumps(payload).encode()
    return body, stripe_signature(body, secret=secret, timestamp=timestamp)


def stripe_signature(
    body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<body>") in hex."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}"}


def stripe_event(event_id: str, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": data},
    }


def session_completed(
    event_id: str, session_id: str, amount_cents: int, intent: str = "pi_1"
) -> dict[str, Any]:
    return stripe_event(
        event_id,
        "checkout.session.completed",
        {
            "id": session_id,
            "object": "checkout.session",
            "payment_status": "paid",
            "amount_total": amount_cents,
            "currency": "eur",
            "payment_intent": intent,
        },
    )


@dataclass
class Basket:
    orders: list[Order]

    @property
    def town_id(self) -> int:
        return self.orders[0].town_id


def place_basket(*, prices: tuple[str, ...] = ("12.50", "7.30"), with_accounts: bool = True) -> Basket:
    """One basket: an order in each of len(prices) shops of a town that offers online payment."""
    town = TownFactory.create()
    TownOrderSettings.objects.create(town=town, online_payment_enabled=True)
    orders = []
    for number, price in enumerate(prices):
        shop = ShopFactory.create(town=town)
        if with_accounts:
            ShopPaymentAccount.objects.create(
                shop=shop, account_id=f"acct_shop{number}", charges_enabled=True
            )
        product = ProductFactory.create(shop=shop, price=price, stock=5)
        orders.append(
            order_place(
                shop=shop,
                wanted=[Wanted(product.pk, 1)],
                customer=None,
                customer_name="Jeanne Martin",
                customer_contact="06 12 34 56 78",
                basket_reference=f"P-BASKET{town.pk}",
            )
        )
    return Basket(orders)
