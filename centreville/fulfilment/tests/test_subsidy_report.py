"""The monthly subsidy report: a line per delivered order, a total, CSV for French spreadsheets."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from centreville.fulfilment.models import FulfilmentMethod
from centreville.fulfilment.selectors import subsidy_report_csv, subsidy_report_rows, subsidy_totals
from centreville.orders.models import OrderStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import DeliveryZoneFactory, delivered, order_for

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def parsed(content: str) -> list[list[str]]:
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def test_the_month_lists_delivered_orders_by_the_day_they_were_handed_over() -> None:
    shop = ShopFactory.create(name="Fromagerie Gosselin")
    zone = DeliveryZoneFactory.create(town=shop.town, name="Argentan")
    first = delivered(
        shop,
        at=datetime(2026, 11, 3, 10, tzinfo=PARIS),
        fee="5.00",
        subsidy="5.00",
        delivery_zone=zone,
        delivery_postcode="61200",
    )
    second = delivered(
        shop,
        at=datetime(2026, 11, 30, 23, 30, tzinfo=PARIS),
        fee="7.50",
        subsidy="5.00",
        delivery_zone=zone,
        delivery_postcode="61200",
    )
    # Left out: October, December (by Paris time, 00:30 on 1 December is 23:30 UTC on 30 November),
    # a pickup order, and a delivery on its way.
    delivered(shop, at=datetime(2026, 10, 31, 23, 59, tzinfo=PARIS), fee="5.00", subsidy="5.00")
    delivered(shop, at=datetime(2026, 12, 1, 0, 30, tzinfo=PARIS), fee="5.00", subsidy="5.00")
    order_for(shop, status=OrderStatus.COLLECTED)
    order_for(shop, status=OrderStatus.READY, fulfilment=FulfilmentMethod.DELIVERY, delivery_fee=Decimal("5"))

    rows = subsidy_report_rows(town=shop.town, year=2026, month=11)

    assert [row.reference for row in rows] == [first.reference, second.reference]
    assert rows[1].customer_paid == Decimal("2.50")
    totals = subsidy_totals(rows)
    assert (totals.deliveries, totals.fee, totals.subsidy, totals.customer_paid) == (
        2,
        Decimal("12.50"),
        Decimal("10.00"),
        Decimal("2.50"),
    )


def test_the_csv_has_french_columns_decimal_commas_and_a_total_line() -> None:
    shop = ShopFactory.create(name="=Boutique piégée")
    zone = DeliveryZoneFactory.create(town=shop.town, name="Centre")
    order = delivered(
        shop,
        at=datetime(2026, 11, 3, 10, tzinfo=PARIS),
        fee="6.00",
        subsidy="4.50",
        delivery_zone=zone,
        delivery_postcode="61200",
    )

    lines = parsed(subsidy_report_csv(town=shop.town, year=2026, month=11))

    assert lines == [
        [
            "Date",
            "Référence",
            "Commerce",
            "Code postal",
            "Zone",
            "Frais de livraison (€)",
            "Aide de la ville (€)",
            "Payé par le client (€)",
        ],
        ["03/11/2026", order.reference, "'=Boutique piégée", "61200", "Centre", "6,00", "4,50", "1,50"],
        ["Total", "Livraisons : 1", "", "", "", "6,00", "4,50", "1,50"],
    ]


def test_each_town_sees_only_its_own_deliveries() -> None:
    argentan_shop = ShopFactory.create()
    ecouche_shop = ShopFactory.create(town=TownFactory.create())
    moment = datetime(2026, 11, 10, 15, tzinfo=PARIS)
    delivered(argentan_shop, at=moment, fee="5.00", subsidy="5.00")
    other = delivered(ecouche_shop, at=moment, fee="9.00", subsidy="0.00")

    argentan = parsed(subsidy_report_csv(town=argentan_shop.town, year=2026, month=11))
    ecouche = subsidy_report_rows(town=ecouche_shop.town, year=2026, month=11)

    assert other.reference not in {line[1] for line in argentan}
    assert argentan[-1] == ["Total", "Livraisons : 1", "", "", "", "5,00", "5,00", "0,00"]
    assert [row.reference for row in ecouche] == [other.reference]


def test_an_empty_month_still_has_its_header_and_a_zero_total() -> None:
    town = TownFactory.create()

    lines = parsed(subsidy_report_csv(town=town, year=2026, month=2))

    assert len(lines) == 2
    assert lines[1] == ["Total", "Livraisons : 0", "", "", "", "0,00", "0,00", "0,00"]
