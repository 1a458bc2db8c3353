"""The dashboard's vouchers section: what vouchers paid in the town's shops over the period, the share of
what was issued that is spent, shops per voucher, and where: by street and by trade."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from centreville.observatory.dashboard import town_dashboard
from centreville.observatory.report import Month, monthly_report
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.towns.tests.factories import TownFactory
from centreville.vouchers import ledger, services
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 4, 15, 0, tzinfo=PARIS)  # a Friday afternoon: the 4 weeks are 7 Nov – 4 Dec
IBAN = "FR7630006000011234567890189"
pytestmark = pytest.mark.django_db


def test_spends_by_week_street_and_trade_and_the_share_spent() -> None:
    town = TownFactory.create()
    programme = ProgrammeFactory.create(town=town, starts_on=date(2026, 10, 1))
    bakery = TradeCategoryFactory.create(name="Boulangerie")
    books = TradeCategoryFactory.create(name="Librairie")
    shops = [
        ShopFactory.create(town=town, street_address="12 bis, rue de la République", category=bakery),
        ShopFactory.create(town=town, street_address="3 rue de la République", category=books),
        ShopFactory.create(town=town, street_address="1 place Saint-Martin", category=books),
    ]
    for shop in shops:
        services.participation_join(programme=programme, shop=shop, iban=IBAN, at=AT)
    issued_at = datetime(2026, 10, 5, 10, tzinfo=UTC)
    first, second = services.vouchers_issue(
        programme=programme,
        beneficiary=Beneficiary("household", "F-1"),
        face_value_cents=5000,
        count=2,
        at=issued_at,
    )
    ledger.voucher_spend(  # the 4 weeks before
        code=second.code, shop=shops[2], amount_cents=700, at=datetime(2026, 10, 20, 10, tzinfo=UTC)
    )
    ledger.voucher_spend(
        code=first.code, shop=shops[0], amount_cents=1000, at=datetime(2026, 11, 20, 10, tzinfo=UTC)
    )
    ledger.voucher_spend(
        code=first.code, shop=shops[1], amount_cents=2000, at=datetime(2026, 11, 21, 10, tzinfo=UTC)
    )
    given_back = ledger.voucher_spend(
        code=second.code, shop=shops[2], amount_cents=500, at=datetime(2026, 11, 22, 10, tzinfo=UTC)
    )
    ledger.voucher_spend_refund(spend=given_back, amount_cents=200, at=datetime(2026, 11, 23, 10, tzinfo=UTC))
    ProgrammeFactory.create()  # another town's

    section = town_dashboard(town, at=AT, period="4-semaines").section("bons-achat")

    spent = section.figures[0]
    assert spent.value == Decimal("33")  # 10 + 20 + 5 - 2 €
    assert spent.shown == "33,00\u00a0€"
    assert spent.trend is not None
    assert spent.trend.direction == "up"  # 7 € the 4 weeks before
    assert section.figures[1].shown == "40,0 %"  # 40 € of 100 € issued
    # The household spent at two shops new to it; the third it had found the 4 weeks before.
    assert section.figures[2].shown == "2"
    assert section.figures[3].shown == "1,5"  # one voucher at two shops, the other at one
    by_week, by_street, by_trade = section.charts
    assert list(by_week.series[0].values) == [0, Decimal("10"), Decimal("23"), 0]
    assert [(c.key, v) for c, v in zip(by_street.categories, by_street.series[0].values, strict=True)] == [
        ("rue de la République", Decimal("30")),
        ("place Saint-Martin", Decimal("3")),
    ]
    assert [c.key for c in by_trade.categories] == ["Librairie", "Boulangerie"]


def test_a_town_without_programme_has_no_vouchers_section() -> None:
    town = TownFactory.create()
    ProgrammeFactory.create()
    sections = [section.key for section in town_dashboard(town, at=AT, period="4-semaines").sections]
    assert "bons-achat" not in sections


def test_the_monthly_report_has_the_months_voucher_spends_and_the_share_spent() -> None:
    town = TownFactory.create()
    town.created_at = datetime(2026, 1, 5, tzinfo=UTC)
    town.save(update_fields=["created_at"])
    programme = ProgrammeFactory.create(town=town, starts_on=date(2026, 10, 1))
    shop = ShopFactory.create(town=town)
    services.participation_join(programme=programme, shop=shop, iban=IBAN, at=AT)
    [voucher] = services.vouchers_issue(
        programme=programme,
        beneficiary=Beneficiary("person", "a@example.org"),
        face_value_cents=2000,
        at=datetime(2026, 10, 5, 10, tzinfo=UTC),
    )
    ledger.voucher_spend(
        code=voucher.code, shop=shop, amount_cents=500, at=datetime(2026, 10, 31, 22, tzinfo=UTC)
    )
    ledger.voucher_spend(
        code=voucher.code, shop=shop, amount_cents=300, at=datetime(2026, 11, 2, 10, tzinfo=UTC)
    )

    report = monthly_report(town, month=Month(date(2026, 11, 1)), at=AT)

    vouchers = next(section for section in report.sections if section.key == "bons-achat")
    # 22:00 UTC on 31 October is 23:00 in Paris: still October.
    assert [(f.current, f.previous) for f in vouchers.figures] == [
        (Decimal(3), Decimal(5)),
        (Decimal("40.0"), None),
    ]
    assert list(vouchers.charts[0].series[0].values)[-2:] == [Decimal(5), Decimal(3)]
