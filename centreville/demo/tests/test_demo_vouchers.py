"""The demo's vouchers: a Christmas gift card and a « pay 20 €, spend 30 € » top-up in Argentan, the autumn
top-up before them, shops taking part, vouchers in every state, last month's statements, accounts that
close."""

from __future__ import annotations

from io import StringIO

from django.test import Client

from centreville.demo.management.commands.demo_load import Command
from centreville.demo.services import MERCHANT_EMAIL, DemoSummary
from centreville.demo.vouchers import AUTUMN, GIFT_CARD, SHOWN_BENEFICIARY, TOP_UP, TRANSFER_REFERENCE
from centreville.shops.models import ShopMembership
from centreville.vouchers.accounts import programme_accounts
from centreville.vouchers.models import (
    MovementKind,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Statement,
    StatementStatus,
    Voucher,
    VoucherStatus,
)

from .conftest import DEMO_AT


def _programme(slug: str) -> Programme:
    return Programme.objects.get(town__slug="argentan", slug=slug)


def test_the_demo_town_runs_a_christmas_gift_card_and_a_subsidised_top_up(demo: DemoSummary) -> None:
    gift_card, top_up, autumn = _programme(GIFT_CARD), _programme(TOP_UP), _programme(AUTUMN)

    assert (gift_card.name, gift_card.kind, gift_card.status) == (
        "Carte cadeau de Noël",
        ProgrammeKind.GIFT_CARD,
        ProgrammeStatus.OPEN,
    )
    assert gift_card.face_values_cents == [1000, 2000, 5000]
    assert (top_up.name, top_up.kind) == ("Payez 20 €, dépensez 30 €", ProgrammeKind.TOP_UP)
    assert (top_up.top_up_paid_cents, top_up.top_up_value_cents) == (2000, 3000)
    assert top_up.budget_cents
    assert top_up.town_share_valid_until is not None
    assert (top_up.town_share_valid_until.month, top_up.town_share_valid_until.day) == (1, 31)
    assert top_up.starts_on <= DEMO_AT.date() <= top_up.ends_on
    assert autumn.town_share_valid_until is not None
    assert autumn.town_share_valid_until < DEMO_AT.date()
    for programme in (gift_card, top_up, autumn):
        programme.full_clean()
        assert programme_accounts(programme, at=DEMO_AT).balances, programme.slug

    # Several shops take part, the demo merchant's among them, so that the counter works for them.
    assert Participation.objects.filter(programme=gift_card, is_active=True).count() >= 5
    merchant_shops = ShopMembership.objects.filter(user__email=MERCHANT_EMAIL).values_list("shop", flat=True)
    assert Participation.objects.filter(programme=top_up, shop__in=merchant_shops).count() == 2


def test_the_demo_vouchers_are_in_every_state(demo: DemoSummary) -> None:
    vouchers = Voucher.objects.filter(programme__town__slug="argentan")
    movements = {
        voucher.pk: [movement.kind for movement in voucher.movements.order_by("at", "pk")]
        for voucher in vouchers.prefetch_related("movements")
    }

    assert ["issue"] in movements.values()  # fresh
    two_shops = [v for v in vouchers if movements[v.pk] == ["issue", "spend", "spend"] and v.balance_cents]
    assert two_shops
    assert two_shops[0].movements.filter(kind="spend").values("shop").distinct().count() == 2
    assert any(v.balance_cents == 0 and v.status == VoucherStatus.ACTIVE for v in vouchers)  # spent out
    assert any(MovementKind.SPEND_REFUND in kinds for kinds in movements.values())
    assert vouchers.filter(status=VoucherStatus.CANCELLED).count() == 1
    expired = vouchers.get(programme__slug=AUTUMN)
    assert movements[expired.pk][-1] == MovementKind.EXPIRY
    assert (expired.town_balance_cents, expired.paid_balance_cents) == (0, 1000)


def test_last_month_has_one_statement_paid_and_others_due(demo: DemoSummary) -> None:
    last_month = Statement.objects.filter(programme__town__slug="argentan", month="2026-11-01")

    paid = last_month.get(status=StatementStatus.PAID)
    assert paid.transfer_reference == TRANSFER_REFERENCE
    assert paid.paid_at is not None
    assert paid.paid_at <= DEMO_AT
    assert last_month.filter(status=StatementStatus.DUE).count() >= 1
    assert all(statement.amount_cents > 0 and statement.iban for statement in last_month)


def test_the_summary_gives_a_voucher_page_that_opens(demo: DemoSummary) -> None:
    shown = Voucher.objects.get(programme__slug=TOP_UP, beneficiary_key=SHOWN_BENEFICIARY)
    assert demo.voucher_wallet.endswith(f"/argentan/bons/carte/{shown.code}/")

    printed = StringIO()
    Command(stdout=printed).print_summary(demo)
    page = Client().get(demo.voucher_wallet.removeprefix("http://testserver"))

    assert demo.voucher_wallet in printed.getvalue()

    assert page.status_code == 200
    assert "offerts par la ville" in page.content.decode()
