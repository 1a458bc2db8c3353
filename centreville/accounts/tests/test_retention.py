"""One purge erases what every app keeps past its retention period; the privacy page states the periods."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from centreville.accounts.checks import retention_periods
from centreville.accounts.retention import personal_data_purge, retention_rules
from centreville.accounts.services import sign_in_data_purge
from centreville.accounts.tasks import purge_personal_data
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders.models import Order, OrderStatus
from centreville.orders.tests.factories import order_place
from centreville.shops.tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2027, 3, 28, 9, 0, tzinfo=PARIS)
KEYS = [
    "orders",
    "vouchers",
    "baskets",
    "notifications",
    "payment_events",
    "news",
    "tokens",
    "agenda_imports",
    "sessions",
]


def collected_order(ended_at: datetime) -> Order:
    shop = ShopFactory.create()
    product = ProductFactory.create(shop=shop, stock=5, price=Decimal("2.00"))
    order = order_place(
        shop=shop,
        wanted=[Wanted(product.pk, 1)],
        customer=None,
        customer_name="Jeanne Dupont",
        customer_contact="+33611223344",
    )
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.COLLECTED, ended_at=ended_at)
    return order


def test_every_app_registers_its_rule_once_in_the_order_of_the_summary_line() -> None:
    assert [rule.key for rule in retention_rules()] == KEYS


def test_expired_sessions_go_the_others_stay() -> None:
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=AT - timedelta(seconds=1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=AT + timedelta(seconds=1))

    assert sign_in_data_purge(at=AT, dry_run=True) == 1
    assert sign_in_data_purge(at=AT) == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_nothing_due_costs_one_count_per_kind_of_data(django_assert_max_num_queries: Any) -> None:
    collected_order(ended_at=AT - timedelta(days=30))

    # The news count four kinds: unconfirmed requests, their addresses, ended subscriptions, deliveries; the
    # vouchers two: vouchers and sales.
    with django_assert_max_num_queries(18):
        assert personal_data_purge(at=AT) == dict.fromkeys(KEYS, 0)


def test_the_command_dry_run_counts_and_writes_nothing_then_the_run_erases_and_a_second_finds_nothing() -> (
    None
):
    order = collected_order(ended_at=datetime(2026, 3, 27, 9, 0, tzinfo=PARIS))

    out = StringIO()
    call_command("personal_data_purge", "--dry-run", "--at", "2027-03-28T09:00:00+02:00", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "personal_data_purge orders=1 vouchers=0 baskets=0 notifications=0 payment_events=0 news=0 tokens=0"
        " agenda_imports=0 sessions=0 dry_run=1"
    )
    assert Order.objects.get(pk=order.pk).customer_name == "Jeanne Dupont"

    out = StringIO()
    call_command("personal_data_purge", "--at", "2027-03-28T09:00", stdout=out)  # on the platform's clock
    assert out.getvalue().splitlines()[-1].startswith("personal_data_purge orders=1 vouchers=0 baskets=0 ")
    assert Order.objects.get(pk=order.pk).personal_data_erased_at == AT

    out = StringIO()
    call_command("personal_data_purge", "--at", "2027-03-28T09:05:00+02:00", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("personal_data_purge orders=0 ")


def test_the_command_refuses_a_time_it_cannot_read_in_french() -> None:
    with pytest.raises(CommandError, match="n'est pas une date ISO 8601"):
        call_command("personal_data_purge", "--at", "28/03/2027")


def test_the_scheduled_task_purges_at_the_rounds_time() -> None:
    order = collected_order(ended_at=datetime(2026, 3, 27, 9, 0, tzinfo=PARIS))

    counts = purge_personal_data.call(at="2027-03-28T09:00:00+02:00")

    assert counts["orders"] == 1
    assert Order.objects.get(pk=order.pk).personal_data_erased_at == AT


def test_the_privacy_page_states_the_periods_the_operator_set(client: Client, settings: Any) -> None:
    settings.PERSONAL_DATA_RETENTION_MONTHS = 18
    settings.ABANDONED_BASKET_RETENTION_DAYS = 21
    settings.NOTIFICATION_RETENTION_DAYS = 45
    settings.PAYMENT_EVENT_RETENTION_DAYS = 60
    settings.API_TOKEN_LIFETIME_DAYS = 30

    response = client.get("/confidentialite/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "18 mois après la fin de la commande" in page
    assert "21 jours sans modification" in page
    assert "45 jours après leur envoi" in page
    assert "60 jours après leur réception" in page
    assert "30 jours après leur création" in page
    assert "12 mois" not in page
    assert 'href="/confidentialite/"' in client.get("/").content.decode()


def test_a_retention_period_too_short_for_what_still_needs_the_data_is_refused(settings: Any) -> None:
    settings.PERSONAL_DATA_RETENTION_MONTHS = 0
    settings.PAYMENT_EVENT_RETENTION_DAYS = 3

    errors = retention_periods()

    assert [error.msg.split(" ")[0] for error in errors] == [
        "PERSONAL_DATA_RETENTION_MONTHS",
        "PAYMENT_EVENT_RETENTION_DAYS",
    ]
