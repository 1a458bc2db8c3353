"""The demo's exchange: producers around Argentan under every VAT regime, with lots, a drive point, a round,
and buyers of three kinds, two of them the showcase's shops buying with their own accounts."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F

from centreville.demo.exchange import BUYER_EMAIL, PRODUCER_EMAIL
from centreville.demo.services import DemoSummary
from centreville.enterprises.geo import distance_km
from centreville.enterprises.models import BuyerCategory, Enterprise, VatRegime
from centreville.enterprises.selectors import space_producer_ids
from centreville.invoicing.models import Invoice, InvoiceKind, InvoicePayment
from centreville.lots.models import Lot
from centreville.towns.selectors import public_space
from centreville.wholesale.models import (
    DeliveryRound,
    DrivePoint,
    HandOver,
    OrderStatus,
    StandingOrder,
    WholesaleLine,
    WholesaleOrder,
)

from .conftest import DEMO_AT


def test_the_demo_has_producers_around_argentan_with_lots_and_buyers(demo: DemoSummary) -> None:
    producers = Enterprise.objects.filter(is_producer=True)
    argentan = public_space("argentan")[0]
    assert argentan is not None
    assert argentan.town is not None

    assert producers.count() == 8
    assert set(producers.values_list("vat_regime", flat=True)) == set(VatRegime.values)
    for producer in producers:
        producer.full_clean()
        assert (
            distance_km(
                producer.latitude, producer.longitude, argentan.town.latitude, argentan.town.longitude
            )
            < 35
        )
        assert producer.pickup_places.exists()
        assert producer.lots.exists()
    for lot in Lot.objects.all():
        lot.full_clean()
    assert Lot.objects.filter(variable_weight=True).exists()
    assert Lot.objects.filter(case_size__isnull=False).exists()
    assert Lot.objects.filter(quantity_available=0).exists()
    assert Lot.objects.filter(prices__isnull=False).exists()
    # Argentan chose seven; the territory adds the baker, whom Écouché shows too.
    assert len(space_producer_ids(argentan) or ()) == 8
    assert len(space_producer_ids(public_space("terres-d-argentan")[0]) or ()) == 8
    assert len(space_producer_ids(public_space("ecouche-les-vallees")[0]) or ()) == 1

    buyers = Enterprise.objects.filter(is_buyer=True)
    assert set(buyers.values_list("buyer_category", flat=True)) == {
        BuyerCategory.RESTAURANT,
        BuyerCategory.GROCER,
        BuyerCategory.CANTEEN,
    }
    assert buyers.filter(shop__isnull=False).count() == 2
    assert buyers.filter(members__user__email=BUYER_EMAIL).exists()
    assert producers.filter(members__user__email=PRODUCER_EMAIL).exists()
    assert DrivePoint.objects.get().producers.count() == 4
    assert DeliveryRound.objects.count() == 1


def test_the_demo_has_orders_at_every_step_and_a_standing_order_with_next_weeks_order(
    demo: DemoSummary,
) -> None:
    orders = WholesaleOrder.objects.all()

    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    assert set(orders.values_list("hand_over", flat=True)) >= {HandOver.FARM, HandOver.DRIVE}
    weighed = WholesaleLine.objects.get(variable_weight=True, order__status=OrderStatus.COLLECTED)
    assert weighed.final_weight == Decimal("7.350")
    assert orders.get(status=OrderStatus.REFUSED).refusal_reason
    standing = StandingOrder.objects.get()
    run = standing.runs.get()
    assert run.order is not None
    assert not run.failure
    assert run.order.hand_over_at > DEMO_AT
    # Collected orders are invoiced; one invoice was corrected (a credit note and a new invoice); the
    # flat-rate farmer's invoice was paid, with its bulletin d'achat.
    kinds = sorted(Invoice.objects.values_list("kind", flat=True))
    assert kinds == sorted([InvoiceKind.INVOICE] * 3 + [InvoiceKind.CREDIT_NOTE])
    credit_note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert credit_note.cancels is not None
    assert Invoice.objects.filter(replaces=credit_note.cancels).exists()
    assert InvoicePayment.objects.get().invoice.seller.vat_regime == VatRegime.FLAT_RATE_FARMER
    # Every order is its producer's and no lot went below zero.
    assert not WholesaleLine.objects.exclude(lot__enterprise=F("order__producer")).exists()
    assert not Lot.objects.filter(quantity_available__lt=0).exists()
