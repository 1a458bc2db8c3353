from __future__ import annotations

from datetime import UTC, datetime

import pytest

from centreville.shops.models import Shop
from centreville.vouchers import ledger, services
from centreville.vouchers.accounts import programme_accounts
from centreville.vouchers.models import Programme
from centreville.vouchers.retention import ERASED, vouchers_personal_data_purge
from centreville.vouchers.services import Beneficiary

from .conftest import AT

pytestmark = pytest.mark.django_db


def test_who_a_voucher_was_for_is_erased_a_year_after_it_is_over(programme: Programme, shop: Shop) -> None:
    spent, alive = services.vouchers_issue(
        programme=programme,
        beneficiary=Beneficiary("person", "claire@example.org", "Claire Martin"),
        face_value_cents=1000,
        count=2,
        at=AT,
    )
    ledger.voucher_spend(code=spent.code, shop=shop, amount_cents=1000, at=AT)

    assert vouchers_personal_data_purge(at=datetime(2027, 12, 1, tzinfo=UTC)) == 0  # not a year yet
    later = datetime(2027, 12, 12, 12, tzinfo=UTC)  # a year after the spend; the other voucher is alive
    assert vouchers_personal_data_purge(at=later, dry_run=True) == 1
    assert vouchers_personal_data_purge(at=later) == 1
    assert vouchers_personal_data_purge(at=later) == 0

    spent.refresh_from_db()
    alive.refresh_from_db()
    assert (spent.beneficiary_name, spent.beneficiary_key) == (ERASED, f"voucher-{spent.pk}")
    assert alive.beneficiary_name == "Claire Martin"
    assert programme_accounts(programme, at=later).balances  # the accounts stay whole
