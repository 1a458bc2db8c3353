from __future__ import annotations

from datetime import UTC, datetime

import pytest

from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.vouchers import services
from centreville.vouchers.models import Programme, ProgrammeKind
from centreville.vouchers.tests.factories import ProgrammeFactory

# A Saturday in December, mid-morning in Paris.
AT = datetime(2026, 12, 12, 9, 30, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"


@pytest.fixture
def programme(db: None) -> Programme:
    return ProgrammeFactory.create()


@pytest.fixture
def top_up(db: None) -> Programme:
    return ProgrammeFactory.create(
        kind=ProgrammeKind.TOP_UP,
        name="Payez 20 €, dépensez 30 €",
        face_values_cents=[],
        top_up_paid_cents=2000,
        top_up_value_cents=3000,
        budget_cents=10_000,
        town_share_valid_until=datetime(2026, 12, 31).date(),
    )


def joined_shop(programme: Programme, **fields: object) -> Shop:
    shop = ShopFactory.create(town=programme.town, **fields)
    services.participation_join(programme=programme, shop=shop, iban=IBAN, at=AT)
    return shop


@pytest.fixture
def shop(programme: Programme) -> Shop:
    return joined_shop(programme)
