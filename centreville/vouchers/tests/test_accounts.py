"""The accounts close to the cent at any date, over any sequence of issues, spends, refunds, expiries,
cancellations and statements; checked against a plain model of the balances kept beside the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centreville.vouchers import ledger, services, statements
from centreville.vouchers.accounts import limited_network_figures, programme_accounts, programme_months
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import Movement, ProgrammeKind, Statement, Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import joined_shop

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, tzinfo=UTC)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(0, 2), st.integers(1, 3)),
        st.tuples(st.just("spend"), st.integers(0, 30), st.integers(1, 6000)),
        st.tuples(st.just("refund"), st.integers(0, 30), st.integers(1, 3000)),
        st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0)),
        st.tuples(st.just("statements"), st.just(0), st.just(0)),
    ),
    min_size=5,
    max_size=40,
)


def _month_end(at: datetime) -> tuple[date, datetime]:
    first = at.date().replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, datetime(following.year, following.month, 1, tzinfo=UTC) - timedelta(hours=1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations, hours=st.lists(st.integers(1, 240), min_size=40, max_size=40))
def test_the_reconciliation_balances_at_every_date(
    steps: list[tuple[str, int, int]], hours: list[int]
) -> None:
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.TOP_UP,
        face_values_cents=[],
        top_up_paid_cents=2000,
        top_up_value_cents=3000,
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 6, 30),
        town_share_valid_until=date(2027, 1, 15),
        paid_share_validity_months=2,
    )
    shops = [joined_shop(programme), joined_shop(programme)]
    pots: dict[int, list[int]] = {}  # voucher id → [paid, town], as a plain model sees them
    taken: dict[int, list[int]] = {}  # spend id → [paid, town] not yet given back
    ends: dict[int, tuple[datetime, datetime]] = {}
    cancelled: set[int] = set()
    at = START
    checkpoints = []
    for index, (action, pick, amount) in enumerate(steps):
        at += timedelta(hours=hours[index])
        ledger.vouchers_expire(at=at)
        for voucher_id, (paid_end, town_end) in ends.items():
            pots[voucher_id] = [
                0 if at >= paid_end else pots[voucher_id][0],
                0 if at >= town_end else pots[voucher_id][1],
            ]
        vouchers = sorted(pots)
        spends = sorted(taken)
        try:
            if action == "issue":
                for voucher in services.vouchers_issue(
                    programme=programme,
                    beneficiary=Beneficiary("person", f"p{pick}@example.org"),
                    face_value_cents=0,
                    count=amount,
                    at=at,
                ):
                    pots[voucher.pk] = [2000, 1000]
                    ends[voucher.pk] = (voucher.paid_expires_at, voucher.town_expires_at)
            elif action == "spend" and vouchers:
                voucher = Voucher.objects.get(pk=vouchers[pick % len(vouchers)])
                spend = ledger.voucher_spend(
                    code=voucher.code, shop=shops[pick % 2], amount_cents=amount, at=at
                )
                from_town = min(amount, pots[voucher.pk][1])
                pots[voucher.pk] = [
                    pots[voucher.pk][0] - (amount - from_town),
                    pots[voucher.pk][1] - from_town,
                ]
                taken[spend.pk] = [amount - from_town, from_town]
            elif action == "refund" and spends:
                spend = Movement.objects.get(pk=spends[pick % len(spends)])
                ledger.voucher_spend_refund(spend=spend, amount_cents=amount, at=at)
                to_paid = min(amount, taken[spend.pk][0])
                taken[spend.pk] = [taken[spend.pk][0] - to_paid, taken[spend.pk][1] - (amount - to_paid)]
                if spend.voucher_id not in cancelled:
                    pots[spend.voucher_id][0] += to_paid
                    pots[spend.voucher_id][1] += amount - to_paid
            elif action == "cancel" and vouchers:
                voucher = Voucher.objects.get(pk=vouchers[pick % len(vouchers)])
                ledger.voucher_cancel(voucher=voucher, at=at, reason="perdu")
                pots[voucher.pk] = [0, 0]
                cancelled.add(voucher.pk)
            elif action == "statements":
                month, month_end = _month_end(at)
                statements.statements_make(programme=programme, month=month, month_end=month_end, at=at)
        except VoucherRefused:
            pass  # a refused operation changes nothing: the model is not changed either
        checkpoints.append(at)

    for voucher in Voucher.objects.filter(programme=programme):
        assert [voucher.paid_balance_cents, voucher.town_balance_cents] == pots[voucher.pk]
    for checkpoint in [START, *checkpoints]:
        accounts = programme_accounts(programme, at=checkpoint)
        assert accounts.imbalance_cents == 0, accounts
        assert accounts.problems == []
        assert (
            accounts.spent.total
            == accounts.statements_due + accounts.statements_paid + accounts.not_yet_stated
        )
    final = programme_accounts(programme, at=checkpoints[-1])
    assert final.outstanding.total == sum(sum(pot) for pot in pots.values())
    stated = Statement.objects.filter(programme=programme)
    assert all(statement.amount_cents > 0 for statement in stated)


def test_months_and_the_yearly_figures_add_up() -> None:
    programme = ProgrammeFactory.create()
    shop = joined_shop(programme)
    at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    voucher = services.vouchers_issue(
        programme=programme,
        beneficiary=Beneficiary("company", "123456789"),
        face_value_cents=5000,
        count=3,
        at=at,
    )
    ledger.voucher_spend(code=voucher[0].code, shop=shop, amount_cents=4000, at=at + timedelta(days=1))
    spend = ledger.voucher_spend(
        code=voucher[1].code, shop=shop, amount_cents=1000, at=datetime(2026, 12, 3, tzinfo=UTC)
    )
    ledger.voucher_spend_refund(spend=spend, amount_cents=400, at=datetime(2026, 12, 4, tzinfo=UTC))
    november = (
        date(2026, 11, 1),
        datetime(2026, 10, 31, 23, tzinfo=UTC),
        datetime(2026, 11, 30, 23, tzinfo=UTC),
    )
    december = (date(2026, 12, 1), november[2], datetime(2026, 12, 31, 23, tzinfo=UTC))
    rows = programme_months(programme, months=[november, december])
    assert [(row.issued.total, row.spent.total) for row in rows] == [(15000, 4000), (0, 600)]
    volume, outstanding = limited_network_figures(programmes=[programme], start=november[1], end=december[2])
    assert (volume, outstanding) == (4600, 10400)
