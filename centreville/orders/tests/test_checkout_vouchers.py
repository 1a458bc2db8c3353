"""A town voucher pays all or part of a basket across shops, and gets back what an order ended without a sale
had taken from it."""

from __future__ import annotations

import csv
import html
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centreville.baskets.models import Basket, BasketLine
from centreville.baskets.tests.factories import (
    NOW,
    BasketFactory,
    BasketLineFactory,
    pickup,
    shop_taking_orders,
    town_taking_orders,
)
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import Locker
from centreville.fulfilment.selectors import pickup_slots
from centreville.fulfilment.services import FulfilmentChoice
from centreville.notifications.messages import basket_placed_messages
from centreville.orders.checkout import checkout, checkout_review
from centreville.orders.checkout_refusals import CheckoutRefused, VoucherNotAccepted
from centreville.orders.expiry import orders_expire_overdue
from centreville.orders.models import Order, OrderEvent, OrderStatus, PaymentChoice, PaymentState
from centreville.orders.services import order_transition
from centreville.orders.voucher_payment import voucher_give_back
from centreville.payments.models import Payment, PaymentShare
from centreville.payments.providers.base import ProviderError
from centreville.payments.providers.fake import FakeProvider
from centreville.shops.models import Shop, ShopMembership
from centreville.towns.models import Town
from centreville.vouchers import codes, ledger, services
from centreville.vouchers.accounts import programme_accounts
from centreville.vouchers.models import Movement, MovementKind, Programme, Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

ISSUED = NOW - timedelta(days=3)
IBAN = "FR7630006000011234567890189"
RESIDENT = Beneficiary(kind="person", key="jeanne@example.org", name="Jeanne Martin", postcode="61200")
GUEST: dict[str, Any] = {
    "customer": None,
    "customer_name": "Jeanne Martin",
    "customer_contact": "06 12 34 56 78",
    "now": NOW,
    "return_url": "http://testserver/suivi/__token__/",
    "cancel_url": "http://testserver/suivi/__token__/?paiement=abandonne",
}
GUEST_BY_EMAIL = {**GUEST, "customer_contact": "jeanne@example.org"}


def _shop(town: Town, programme: Programme, *, joins: bool = True, **fields: object) -> Shop:
    shop = shop_taking_orders(town, **fields)
    if joins:
        services.participation_join(programme=programme, shop=shop, iban=IBAN, at=ISSUED)
    return shop


def _voucher(programme: Programme, face: int = 5000) -> Voucher:
    return services.vouchers_issue(
        programme=programme, beneficiary=RESIDENT, face_value_cents=face, at=ISSUED
    )[0]


def _basket(town: Town, amounts: dict[Shop, str]) -> Basket:
    """A basket holding one article of each amount, at its shop."""
    basket = BasketFactory.create(town=town)
    for shop, amount in amounts.items():
        product = ProductFactory.create(shop=shop, stock=5, price=Decimal(amount))
        BasketLineFactory.create(basket=basket, product=product, quantity=1)
    return basket


def _pickups(*shops: Shop) -> dict[int, FulfilmentChoice]:
    return {shop.pk: pickup(shop) for shop in shops}


def _balance(voucher: Voucher) -> int:
    voucher.refresh_from_db()
    return voucher.balance_cents


def _orders(result: Any) -> list[Order]:
    return list(Order.objects.filter(basket_reference=result.basket_reference).order_by("shop_id"))


@pytest.fixture
def town() -> Town:
    town, _places = town_taking_orders()
    return town


@pytest.fixture
def programme(town: Town) -> Programme:
    return ProgrammeFactory.create(town=town, name="Carte cadeau de Noël")


def test_a_voucher_pays_a_basket_across_two_shops_whole(town: Town, programme: Programme) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "12.40", florist: "25.00"})

    result = checkout(
        basket=basket,
        choices=_pickups(bakery, florist),
        pay_online=True,
        voucher_code=codes.code_display(voucher.code).lower(),  # typed leniently
        **GUEST,
    )

    assert result.payment_url is None  # nothing left to pay: no provider call
    assert not Payment.objects.exists()
    orders = _orders(result)
    assert [(order.voucher_paid, order.to_pay) for order in orders] == [
        (Decimal("12.40"), Decimal("0.00")),
        (Decimal("25.00"), Decimal("0.00")),
    ]
    assert all(order.paid_by_voucher for order in orders)
    assert {(order.payment, order.payment_state) for order in orders} == {
        (PaymentChoice.AT_PICKUP, PaymentState.NONE)
    }
    assert _balance(voucher) == 5000 - 3740
    spends = Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND).order_by("shop_id")
    assert [(spend.shop_id, spend.reference, spend.amount_cents) for spend in spends] == [
        (bakery.pk, orders[0].reference, -1240),
        (florist.pk, orders[1].reference, -2500),
    ]
    page = Client().get(reverse("orders_customer:track", args=[town.slug, result.tracking_token]))
    assert page.status_code == 200
    assert "Payé par bon d'achat" in html.unescape(page.content.decode())


def test_a_voucher_pays_part_and_the_rest_is_paid_online(town: Town, programme: Programme) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "40.00", florist: "30.00"})

    result = checkout(
        basket=basket, choices=_pickups(bakery, florist), pay_online=True, voucher_code=voucher.code, **GUEST
    )

    first, second = _orders(result)
    # In shop order: the first order whole, the second with what is left on the voucher.
    assert (first.voucher_paid, second.voucher_paid) == (Decimal("40.00"), Decimal("10.00"))
    assert _balance(voucher) == 0
    assert result.payment_url
    payment = Payment.objects.get()
    assert payment.amount == Decimal("20.00")  # the remainder only
    assert [(share.order_id, share.amount) for share in PaymentShare.objects.all()] == [
        (second.pk, Decimal("20.00"))
    ]
    assert (first.payment, second.payment) == (PaymentChoice.AT_PICKUP, PaymentChoice.ONLINE)
    assert second.payment_state == PaymentState.PENDING


def test_a_remainder_under_the_online_minimum_is_paid_at_pickup(town: Town, programme: Programme) -> None:
    bakery = _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "50.30"})
    arguments = {key: value for key, value in GUEST.items() if not key.endswith("_url")}

    review = checkout_review(
        basket=basket, choices=_pickups(bakery), pay_online=True, voucher_code=voucher.code, **arguments
    )
    result = checkout(
        basket=basket, choices=_pickups(bakery), pay_online=True, voucher_code=voucher.code, **GUEST
    )

    assert (review.to_pay, review.remainder_at_pickup) == (Decimal("0.30"), True)
    assert result.payment_url is None
    assert not Payment.objects.exists()
    order = Order.objects.get()
    assert (order.voucher_paid, order.to_pay, order.payment) == (
        Decimal("50.00"),
        Decimal("0.30"),
        PaymentChoice.AT_PICKUP,
    )


def test_a_remainder_under_the_minimum_cannot_go_to_a_locker(town: Town, programme: Programme) -> None:
    bakery = _shop(town, programme, name="Fournil")
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "50.30"})
    locker = FulfilmentChoice(method="locker", locker_id=Locker.objects.get(town=town).pk)

    with pytest.raises(CheckoutRefused) as refused:
        checkout(
            basket=basket, choices={bakery.pk: locker}, pay_online=True, voucher_code=voucher.code, **GUEST
        )

    assert refused.value.messages[0].startswith("Fournil : il reste 0,30 € à payer, moins que le minimum")
    assert not Order.objects.exists()
    assert _balance(voucher) == 5000


def test_a_shop_outside_the_programme_is_skipped(town: Town, programme: Programme) -> None:
    bakery = _shop(town, programme, joins=False)
    florist = _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "10.00", florist: "15.00"})

    result = checkout(
        basket=basket, choices=_pickups(bakery, florist), pay_online=False, voucher_code=voucher.code, **GUEST
    )

    outside, inside = _orders(result)
    assert (outside.voucher_paid, outside.to_pay) == (Decimal("0.00"), Decimal("10.00"))
    assert (inside.voucher_paid, inside.to_pay) == (Decimal("15.00"), Decimal("0.00"))
    assert _balance(voucher) == 3500
    assert not Movement.objects.filter(shop=bakery).exists()


def _refusal(basket: Basket, choices: dict[int, FulfilmentChoice], code: str) -> str:
    lines = set(BasketLine.objects.filter(basket=basket).values_list("pk", "product_id", "quantity"))
    with pytest.raises(VoucherNotAccepted) as refused:
        checkout(basket=basket, choices=choices, pay_online=False, voucher_code=code, **GUEST)
    assert not Order.objects.exists()
    assert set(BasketLine.objects.filter(basket=basket).values_list("pk", "product_id", "quantity")) == lines
    assert set(Product.objects.values_list("stock", flat=True)) == {5}
    return refused.value.messages[0]


def test_no_shop_of_the_basket_in_the_programme_is_refused_naming_it(
    town: Town, programme: Programme
) -> None:
    bakery = _shop(town, programme, joins=False)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "10.00"})

    message = _refusal(basket, _pickups(bakery), voucher.code)

    assert message == (
        "Aucun commerce de votre panier ne participe à l'opération « Carte cadeau de Noël » : "
        "ce bon ne peut pas payer cette commande."
    )
    assert _balance(voucher) == 5000


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("unknown", "Aucun bon ne porte ce code : vérifiez-le."),
        ("mistyped", "Ce code n'est pas celui d'un bon : vérifiez chaque caractère."),
        ("expired", "Ce bon a expiré le 30 novembre 2026 : il ne peut plus être utilisé."),
        ("cancelled", "Ce bon a été annulé : il ne peut plus être utilisé."),
        ("used up", "Ce bon est épuisé : son solde est de 0 €."),
    ],
)
def test_a_voucher_that_cannot_pay_refuses_the_checkout_and_changes_nothing(
    town: Town, programme: Programme, case: str, says: str
) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    code = voucher.code
    if case == "unknown":
        code = codes.code_new()
    elif case == "mistyped":
        code = code[1] + code[0] + code[2:] if code[0] != code[1] else "ABCD"
    elif case == "expired":
        end = ledger.day_end(date(2026, 11, 30))
        Voucher.objects.filter(pk=voucher.pk).update(paid_expires_at=end, town_expires_at=end)
    elif case == "cancelled":
        ledger.voucher_cancel(voucher=voucher, at=ISSUED, reason="Perdu")
    else:
        ledger.voucher_spend(code=code, shop=bakery, amount_cents=5000, at=ISSUED)
    movements = Movement.objects.filter(voucher=voucher).count()
    balance = _balance(voucher)
    basket = _basket(town, {bakery: "10.00", florist: "15.00"})

    assert _refusal(basket, _pickups(bakery, florist), code) == says
    assert Movement.objects.filter(voucher=voucher).count() == movements
    assert _balance(voucher) == balance


def test_the_review_shows_what_the_voucher_pays_and_writes_nothing(town: Town, programme: Programme) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "40.00", florist: "30.00"})
    arguments = {key: value for key, value in GUEST.items() if not key.endswith("_url")}

    review = checkout_review(
        basket=basket,
        choices=_pickups(bakery, florist),
        pay_online=True,
        voucher_code=voucher.code,
        **arguments,
    )

    assert [planned.order.voucher_paid for planned in review.orders] == [Decimal("40.00"), Decimal("10.00")]
    assert (review.total, review.voucher_paid, review.to_pay) == (
        Decimal("70.00"),
        Decimal("50.00"),
        Decimal("20.00"),
    )
    assert review.voucher is not None
    assert (review.voucher.code, review.voucher.left_on_voucher) == (codes.code_display(voucher.code), 0)
    assert not Order.objects.exists()
    assert Movement.objects.filter(voucher=voucher).count() == 1  # its issue only
    assert _balance(voucher) == 5000
    assert BasketLine.objects.filter(basket=basket).count() == 2


def _placed_with_voucher(town: Town, programme: Programme) -> tuple[list[Order], Voucher]:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "20.00", florist: "20.00"})
    result = checkout(
        basket=basket, choices=_pickups(bakery, florist), pay_online=False, voucher_code=voucher.code, **GUEST
    )
    return _orders(result), voucher


def test_an_order_refused_by_the_merchant_gives_its_voucher_part_back(
    town: Town, programme: Programme
) -> None:
    (refused, kept), voucher = _placed_with_voucher(town, programme)
    assert _balance(voucher) == 1000
    merchant = ShopMembership.objects.filter(shop=refused.shop).get().user

    order_transition(
        order=refused, to_status=OrderStatus.REFUSED, actor=merchant, reason="Four en panne", at=NOW
    )

    assert _balance(voucher) == 3000  # the refused order's 20 € are back
    back = Movement.objects.get(voucher=voucher, kind=MovementKind.SPEND_REFUND)
    assert (back.shop_id, back.reference, back.amount_cents) == (refused.shop_id, refused.reference, 2000)
    assert voucher_give_back(Order.objects.get(pk=refused.pk), at=NOW) == 0  # once only
    assert _balance(voucher) == 3000
    accounts = programme_accounts(programme, at=NOW + timedelta(hours=1))
    assert accounts.balances
    assert (accounts.issued.total, accounts.spent.total, accounts.outstanding.total) == (5000, 2000, 3000)
    assert Order.objects.get(pk=kept.pk).voucher_paid == Decimal("20.00")


def test_cancelled_and_expired_orders_give_their_voucher_part_back(town: Town, programme: Programme) -> None:
    (cancelled, expiring), voucher = _placed_with_voucher(town, programme)

    order_transition(order=cancelled, to_status=OrderStatus.CANCELLED, actor=None, as_customer=True, at=NOW)
    assert _balance(voucher) == 3000
    assert orders_expire_overdue(now=NOW + timedelta(days=30)) == 1

    assert Order.objects.get(pk=expiring.pk).status == OrderStatus.EXPIRED
    assert _balance(voucher) == 5000
    assert programme_accounts(programme, at=NOW + timedelta(days=31)).balances


def test_the_customer_and_the_merchant_read_what_the_voucher_paid(town: Town, programme: Programme) -> None:
    (first, _second), _voucher_used = _placed_with_voucher(town, programme)
    merchant = ShopMembership.objects.filter(shop=first.shop).get().user
    client = Client()
    client.force_login(merchant)

    page = html.unescape(client.get(reverse("orders_merchant:day", args=[town.slug])).content.decode())

    assert "Payé par bon d'achat" in page
    day = first.created_at.astimezone(ZoneInfo(town.timezone)).date().isoformat()
    export = client.get(reverse("orders_merchant:export_csv", args=[town.slug]) + f"?du={day}&au={day}")
    header, row = list(csv.reader(io.StringIO(export.content.decode().removeprefix("\ufeff")), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert (record["Payé par bon d'achat (€)"], record["Reste à payer (€)"]) == ("20,00", "0,00")
    order_transition(order=first, to_status=OrderStatus.REFUSED, actor=merchant, reason="Fermé", at=NOW)
    tracked = Client().get(reverse("orders_customer:track", args=[town.slug, first.tracking_token]))
    assert "Les 20,00\u00a0€ payés par bon d'achat sont recrédités sur votre bon." in html.unescape(
        tracked.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_payment_that_cannot_be_opened_gives_the_voucher_back(
    town: Town, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    voucher = _voucher(programme)
    basket = _basket(town, {bakery: "40.00", florist: "30.00"})

    def provider_down(*args: object) -> tuple[str, str]:
        raise ProviderError("the provider does not answer")

    monkeypatch.setattr(FakeProvider, "create_charge", provider_down)

    with pytest.raises(CheckoutRefused):
        checkout(
            basket=basket,
            choices=_pickups(bakery, florist),
            pay_online=True,
            voucher_code=voucher.code,
            **GUEST,
        )

    assert not Order.objects.exists()
    assert _balance(voucher) == 5000
    assert programme_accounts(programme, at=NOW + timedelta(hours=1)).balances
    assert BasketLine.objects.filter(basket=basket).count() == 2


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)


@pytest.mark.postgresql
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_with_one_voucher_never_overspend_it(town: Town, programme: Programme) -> None:
    shops = [_shop(town, programme) for _ in range(2)]
    voucher = _voucher(programme)
    baskets = [_basket(town, {shops[n % 2]: "20.00"}) for n in range(6)]
    start = threading.Barrier(6)

    def attempt(basket: Basket) -> str:
        shop_id = BasketLine.objects.filter(basket=basket).values_list("product__shop_id", flat=True).get()
        choices = _pickups(Shop.objects.get(pk=shop_id))
        try:
            start.wait()
            checkout(basket=basket, choices=choices, pay_online=False, voucher_code=voucher.code, **GUEST)
        except CheckoutRefused as refusal:
            return refusal.messages[0]
        finally:
            connections.close_all()
        return "ok"

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(attempt, baskets))

    # 20 + 20 + 10 €, then the voucher is used up.
    assert answers.count("ok") == 3
    assert all(answer == "ok" or answer == "Ce bon est épuisé : son solde est de 0 €." for answer in answers)
    assert sorted(Order.objects.values_list("voucher_paid", flat=True)) == [
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("20.00"),
    ]
    assert _balance(voucher) == 0
    assert programme_accounts(programme, at=NOW + timedelta(hours=1)).balances


def _checkout_page(town: Town, shop: Shop, *, voucher_code: str, step: str) -> Any:
    """A guest puts one article of `shop` in the basket and posts the checkout form with a voucher code."""
    client = Client()
    product = ProductFactory.create(shop=shop, stock=5, price=Decimal("18.00"))
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": "1"})
    prefix = f"commerce-{shop.pk}-"
    return client.post(
        f"/{town.slug}/panier/commande/",
        {
            "customer_name": "Jeanne Martin",
            "customer_phone": "06 12 34 56 78",
            "payment": "online",
            "voucher_code": voucher_code,
            "etape": step,
            prefix + "method": "pickup",
            prefix + "slot": pickup_slots(shop, now=NOW)[0].start.isoformat(),
        },
    )


def test_the_review_page_shows_what_the_voucher_pays_and_what_remains(
    town: Town, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    shop = _shop(town, programme)
    voucher = _voucher(programme, face=1000)

    response = _checkout_page(town, shop, voucher_code=codes.code_display(voucher.code), step="verifier")

    words = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())
    assert response.status_code == 200
    assert "Sous-total 18,00 € Payé par le bon d'achat \u2212 10,00 € Reste à payer 8,00 €" in words
    assert "Total à payer : 8,00 €" in words
    assert "En ligne, par carte bancaire, juste après avoir confirmé." in words
    assert not Order.objects.exists()


def test_a_refused_voucher_is_shown_on_its_field_and_nothing_is_placed(
    town: Town, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    shop = _shop(town, programme)

    unknown = _checkout_page(town, shop, voucher_code=codes.code_new(), step="confirmer")
    mistyped = _checkout_page(town, shop, voucher_code="ABCD-EFGH", step="verifier")

    assert (unknown.status_code, mistyped.status_code) == (422, 422)
    assert "Aucun bon ne porte ce code : vérifiez-le." in html.unescape(unknown.content.decode())
    assert "Ce code n'est pas celui d'un bon : vérifiez chaque caractère." in html.unescape(
        mistyped.content.decode()
    )
    assert not Order.objects.exists()


def _basket_email(result: Any, language: str = "fr") -> str:
    orders = _orders(result)
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(language=language)
    orders = list(Order.objects.filter(pk__in=[order.pk for order in orders]).order_by("shop_id", "pk"))
    event = OrderEvent.objects.filter(order=orders[0], to_status=OrderStatus.PLACED).get()
    (email,) = basket_placed_messages(orders, event=event)
    return email.body


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Total du panier : 37,40\u00a0€ (Payé par bon d'achat)"),
        ("en", "Basket total: €37.40 (Paid by voucher)"),
    ],
)
def test_the_basket_email_says_a_voucher_paid_it_all(
    town: Town, programme: Programme, language: str, line: str
) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    basket = _basket(town, {bakery: "12.40", florist: "25.00"})
    result = checkout(
        basket=basket,
        choices=_pickups(bakery, florist),
        pay_online=False,
        voucher_code=_voucher(programme).code,
        **GUEST_BY_EMAIL,
    )

    body = _basket_email(result, language)

    assert line in body.splitlines()


def test_the_basket_email_says_what_the_voucher_paid_and_how_the_rest_is_paid(
    town: Town, programme: Programme
) -> None:
    bakery, florist = _shop(town, programme), _shop(town, programme)
    basket = _basket(town, {bakery: "40.00", florist: "30.00"})
    result = checkout(
        basket=basket,
        choices=_pickups(bakery, florist),
        pay_online=True,
        voucher_code=_voucher(programme).code,
        **GUEST_BY_EMAIL,
    )

    body = _basket_email(result)

    assert "Total du panier : 70,00\u00a0€ (Paiement en ligne)\n" in body
    assert (
        "Payé par bon d'achat : 50,00\u00a0€ ; reste à payer : 20,00\u00a0€"
        in body.split("Total du panier")[1]
    )
