from __future__ import annotations

from datetime import UTC, datetime

import pytest

from centreville.shops.tests.factories import ShopFactory
from centreville.vouchers import services
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import Invitation, Programme, ProgrammeKind, Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, IBAN

pytestmark = pytest.mark.django_db

HOUSEHOLD = Beneficiary(kind="household", key="F-0042", name="Foyer Lefèvre", postcode="61200")


def _refusal(call: object) -> str:
    with pytest.raises(VoucherRefused) as refused:
        call()  # type: ignore[operator]
    return refused.value.messages[0]


def test_a_gift_card_is_paid_whole_and_its_shares_expire_by_the_rules(programme: Programme) -> None:
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=HOUSEHOLD, face_value_cents=2000, at=AT
    )[0]
    assert (voucher.paid_issued_cents, voucher.town_issued_cents) == (2000, 0)
    # Twelve months from the day of purchase, to the end of that day in Paris.
    assert voucher.paid_expires_at == datetime(2027, 12, 12, 23, tzinfo=UTC)
    assert voucher.town_expires_at == datetime(2027, 1, 31, 23, tzinfo=UTC)
    assert "10,00\u00a0€, 20,00\u00a0€, 50,00\u00a0€" in _refusal(
        lambda: services.vouchers_issue(
            programme=programme, beneficiary=HOUSEHOLD, face_value_cents=3000, at=AT
        )
    )


def test_the_town_budget_is_never_passed_and_expired_shares_return_to_it(top_up: Programme) -> None:
    # 10 € of town's share each, a budget of 100 €: ten vouchers, not eleven.
    for number in range(10):
        services.vouchers_issue(
            programme=top_up,
            beneficiary=Beneficiary("person", f"p{number}@example.org"),
            face_value_cents=0,
            at=AT,
        )
    message = _refusal(
        lambda: services.vouchers_issue(
            programme=top_up, beneficiary=Beneficiary("person", "late@example.org"), face_value_cents=0, at=AT
        )
    )
    assert "budget de la ville" in message
    assert services.town_share_committed(top_up) == 10_000


def test_caps_per_household_count_every_voucher_issued_to_it(programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(cap_per_household_cents=6000)
    programme.refresh_from_db()
    services.vouchers_issue(programme=programme, beneficiary=HOUSEHOLD, face_value_cents=5000, at=AT)
    message = _refusal(
        lambda: services.vouchers_issue(
            programme=programme, beneficiary=HOUSEHOLD, face_value_cents=1000, count=2, at=AT
        )
    )
    assert message == "Le plafond de 60,00\u00a0€ par bénéficiaire serait dépassé (déjà émis : 50,00\u00a0€)."
    assert Voucher.objects.filter(programme=programme).count() == 1


def test_eligibility_by_postcode_and_invitation() -> None:
    free = ProgrammeFactory.create(
        kind=ProgrammeKind.FREE,
        face_values_cents=[10_000],
        eligible_postcodes=["61200"],
        invitation_only=True,
    )
    elsewhere = Beneficiary(kind="household", key="F-1", postcode="75011")
    invitation = Invitation.objects.create(
        programme=free, reference="F-1", name="Foyer Durand", postcode="61200"
    )
    assert "sur invitation" in _refusal(
        lambda: services.vouchers_issue(programme=free, beneficiary=HOUSEHOLD, face_value_cents=10_000, at=AT)
    )
    assert "61200" in _refusal(
        lambda: services.vouchers_issue(
            programme=free, beneficiary=elsewhere, face_value_cents=10_000, at=AT, invitation=invitation
        )
    )
    invitation.refresh_from_db()
    assert invitation.used_at is None  # a refusal writes nothing
    voucher = services.vouchers_issue(
        programme=free, beneficiary=HOUSEHOLD, face_value_cents=10_000, at=AT, invitation=invitation
    )[0]
    assert (voucher.paid_issued_cents, voucher.town_issued_cents) == (0, 10_000)
    assert "déjà été utilisée" in _refusal(
        lambda: services.vouchers_issue(
            programme=free, beneficiary=HOUSEHOLD, face_value_cents=10_000, at=AT, invitation=invitation
        )
    )


def test_no_issue_outside_the_programme_dates(programme: Programme) -> None:
    after = datetime(2027, 2, 1, 10, tzinfo=UTC)
    assert "n'émet pas" in _refusal(
        lambda: services.vouchers_issue(
            programme=programme, beneficiary=HOUSEHOLD, face_value_cents=1000, at=after
        )
    )


def test_joining_needs_a_valid_iban_an_independent_shop_of_the_town(programme: Programme) -> None:
    shop = ShopFactory.create(town=programme.town)
    assert "IBAN" in _refusal(
        lambda: services.participation_join(programme=programme, shop=shop, iban="FR76 1234", at=AT)
    )
    chain = ShopFactory.create(town=programme.town, is_independent=False, network_name="Grande Enseigne")
    assert "indépendants" in _refusal(
        lambda: services.participation_join(programme=programme, shop=chain, iban=IBAN, at=AT)
    )
    elsewhere = ShopFactory.create()
    assert "territoire" in _refusal(
        lambda: services.participation_join(programme=programme, shop=elsewhere, iban=IBAN, at=AT)
    )
    joined = services.participation_join(
        programme=programme, shop=shop, iban="fr76 3000 6000 0112 3456 7890 189", at=AT
    )
    assert joined.iban == IBAN
