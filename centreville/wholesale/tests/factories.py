from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, PickupPlaceFactory
from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.models import (
    DeliveryRound,
    DrivePoint,
    HandOver,
    OrderStatus,
    WholesaleLine,
    WholesaleOrder,
)

# Friday 11 December 2026, 17:00 in Paris: a pickup window at the farm.
HAND_OVER_AT = datetime(2026, 12, 11, 16, 0, tzinfo=UTC)
PLACED_AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


class DrivePointFactory(DjangoModelFactory[DrivePoint]):
    class Meta:
        model = DrivePoint

    name = factory.Sequence(lambda n: f"Drive fermier {n}")
    street_address = "Place du Marché"
    postcode = "61200"
    city = "Argentan"
    latitude = Decimal("48.744500")
    longitude = Decimal("-0.019800")
    opening_hours = "Th 16:00-19:00"


class DeliveryRoundFactory(DjangoModelFactory[DeliveryRound]):
    class Meta:
        model = DeliveryRound

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "Tournée d'Argentan"
    weekdays = factory.LazyFunction(lambda: [2, 5])
    cutoff_days_before = 1
    cutoff_time = time(12, 0)
    postcodes = factory.LazyFunction(lambda: ["61200"])
    minimum_order = Decimal("50.00")


class WholesaleOrderFactory(DjangoModelFactory[WholesaleOrder]):
    """A buyer's order collected at the producer's farm."""

    class Meta:
        model = WholesaleOrder

    reference = factory.Sequence(lambda n: f"PRO-{n:06d}")
    group_reference = factory.LazyAttribute(lambda order: order.reference)
    buyer = factory.SubFactory(BuyerFactory)
    producer = factory.SubFactory(EnterpriseFactory)
    status = OrderStatus.PLACED
    hand_over = HandOver.FARM
    pickup_place = factory.SubFactory(PickupPlaceFactory, enterprise=factory.SelfAttribute("..producer"))
    hand_over_at = HAND_OVER_AT
    placed_at = PLACED_AT


class WholesaleLineFactory(DjangoModelFactory[WholesaleLine]):
    """A line copied from a lot, as checkout writes it."""

    class Meta:
        model = WholesaleLine

    order = factory.SubFactory(WholesaleOrderFactory)
    lot = factory.SubFactory(LotFactory, enterprise=factory.SelfAttribute("..order.producer"))
    title = factory.LazyAttribute(lambda line: line.lot.title)
    unit = factory.LazyAttribute(lambda line: line.lot.unit)
    case_size = factory.LazyAttribute(lambda line: line.lot.case_size)
    quantity = Decimal("10")
    unit_price = factory.LazyAttribute(lambda line: line.lot.unit_price)
    vat_rate = factory.LazyAttribute(lambda line: line.lot.vat_rate)
    variable_weight = factory.LazyAttribute(lambda line: line.lot.variable_weight)
    estimated_weight = factory.LazyAttribute(lambda line: line.lot.estimated_weight)
    labels = factory.LazyAttribute(lambda line: list(line.lot.labels))
