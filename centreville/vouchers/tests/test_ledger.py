from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.vouchers import codes, ledger, services
from centreville.vouchers.accounts import programme_accounts
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import (
    Movement,
    MovementKind,
    Programme,
    ProgrammeStatus,
    Voucher,
    VoucherStatus,
)
from centreville.vouchers.services import Beneficiary

from .conftest import AT, joined_shop

pytestmark = pytest.mark.django_db

RESIDENT = Beneficiary(kind="person", key="claire@example.org", name="Claire Martin", postcode="61200")


def _issue(programme: Programme, face: int = 5000) -> Voucher:
    return services.vouchers_issue(programme=programme, beneficiary=RESIDENT, face_value_cents=face, at=AT)[0]


def _refusal(call: object) -> str:
    with pytest.raises(VoucherRefused) as refused:
        call()  # type: ignore[operator]
    return refused.value.messages[0]


def _unchanged(voucher: Voucher) -> None:
    movements = Movement.objects.filter(voucher=voucher).count()
    voucher.refresh_from_db()
    assert movements == 1  # the issue only
    assert voucher.balance_cents == voucher.paid_issued_cents + voucher.town_issued_cents


def test_a_code_is_unguessable_and_read_leniently() -> None:
    code = codes.code_new()
    assert len(code) == 16
    assert codes.code_read(code) == code
    typed = codes.code_display(code).lower().replace("0", "o").replace("1", "l")
    assert codes.code_read(typed) == code
    swapped = code[1] + code[0] + code[2:]
    assert code[0] == code[1] or codes.code_read(swapped) is None
    assert codes.code_read("ABCD") is None
    assert len({codes.code_new() for _ in range(1000)}) == 1000


def test_a_voucher_is_spent_in_several_times_down_to_zero(programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1250, at=AT, reference="ticket 41")
    last = ledger.voucher_spend(code=codes.code_display(voucher.code), shop=shop, amount_cents=3750, at=AT)
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
    assert (last.paid_balance_after, last.town_balance_after) == (0, 0)
    assert [m.kind for m in voucher.movements.order_by("pk")] == ["issue", "spend", "spend"]
    assert "épuisé" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1, at=AT)
    )


def test_the_town_share_is_spent_first_and_given_back_last(top_up: Programme) -> None:
    shop = joined_shop(top_up)
    voucher = _issue(top_up)
    assert (voucher.paid_issued_cents, voucher.town_issued_cents) == (2000, 1000)
    spend = ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1500, at=AT)
    assert (spend.paid_cents, spend.town_cents) == (-500, -1000)
    back = ledger.voucher_spend_refund(spend=spend, amount_cents=700, at=AT + timedelta(hours=1))
    assert (back.paid_cents, back.town_cents) == (500, 200)
    rest = ledger.voucher_spend_refund(spend=spend, at=AT + timedelta(hours=2))
    assert (rest.paid_cents, rest.town_cents) == (0, 800)
    assert "0,00" in _refusal(lambda: ledger.voucher_spend_refund(spend=spend, amount_cents=1, at=AT))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "supérieur à zéro"),
        (-500, "supérieur à zéro"),
        (5001, "dépasse le solde du bon, qui est de 50,00"),
    ],
)
def test_bad_amounts_are_refused_in_french_and_change_nothing(
    programme: Programme, shop: Shop, amount: int, message: str
) -> None:
    voucher = _issue(programme)
    assert message in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=amount, at=AT)
    )
    _unchanged(voucher)


def test_unknown_and_mistyped_codes_are_refused(programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    other = codes.code_new()
    assert "Aucun bon" in _refusal(
        lambda: ledger.voucher_spend(code=other, shop=shop, amount_cents=100, at=AT)
    )
    mistyped = voucher.code[:-2] + ("0" if voucher.code[-2] != "0" else "1") + voucher.code[-1]
    assert "vérifiez chaque caractère" in _refusal(
        lambda: ledger.voucher_spend(code=mistyped, shop=shop, amount_cents=100, at=AT)
    )
    _unchanged(voucher)


def test_a_shop_outside_the_programme_or_a_chain_is_refused(programme: Programme) -> None:
    voucher = _issue(programme)
    outsider = ShopFactory.create(town=programme.town)
    assert "ne participe pas" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=outsider, amount_cents=100, at=AT)
    )
    chain = joined_shop(programme)
    Shop.objects.filter(pk=chain.pk).update(is_independent=False)
    chain.refresh_from_db()
    assert "ne participe pas" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=chain, amount_cents=100, at=AT)
    )
    _unchanged(voucher)


def test_expired_vouchers_are_refused_with_their_date_and_expire_once(top_up: Programme) -> None:
    shop = joined_shop(top_up)
    voucher = _issue(top_up)
    after_town_share = datetime(2027, 1, 2, 10, tzinfo=UTC)
    # The town's share ended on 31 December: only what was paid is left to spend.
    assert "qui est de 20,00\u00a0€" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=2500, at=after_town_share)
    )
    spend = ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1500, at=after_town_share)
    assert (spend.paid_cents, spend.town_cents) == (-1500, 0)
    assert ledger.vouchers_expire(at=after_town_share) == 1
    assert ledger.vouchers_expire(at=after_town_share) == 0
    expiry = voucher.movements.get(kind=MovementKind.EXPIRY)
    assert (expiry.paid_cents, expiry.town_cents) == (0, -1000)
    assert expiry.at == spend.at  # never dated before the voucher's previous movement


def test_an_expired_voucher_names_its_last_day(programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    a_year_later = datetime(2027, 12, 13, 9, tzinfo=UTC)
    message = _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=100, at=a_year_later)
    )
    assert message == "Ce bon a expiré le 12 décembre 2027 : il ne peut plus être utilisé."


def test_a_cancelled_voucher_is_refused_and_a_late_refund_leaves_it_again(
    programme: Programme, shop: Shop
) -> None:
    voucher = _issue(programme)
    spend = ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=1000, at=AT)
    ledger.voucher_cancel(voucher=voucher, at=AT + timedelta(hours=1), reason="Carte perdue, remplacée")
    assert "annulé" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=100, at=AT)
    )
    ledger.voucher_spend_refund(spend=spend, at=AT + timedelta(hours=2), reference="commande annulée")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.CANCELLED
    assert voucher.balance_cents == 0
    accounts = programme_accounts(programme, at=AT + timedelta(days=1))
    assert (accounts.issued.total, accounts.spent.total, accounts.cancelled.total) == (5000, 0, 5000)
    assert accounts.balances


def test_a_closed_programme_refuses_spends(programme: Programme, shop: Shop) -> None:
    voucher = _issue(programme)
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.CLOSED)
    assert "pas ouverte" in _refusal(
        lambda: ledger.voucher_spend(code=voucher.code, shop=shop, amount_cents=100, at=AT)
    )
