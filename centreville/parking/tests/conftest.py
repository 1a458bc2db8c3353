from __future__ import annotations

import pytest

from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory


@pytest.fixture
def argentan(db: None) -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    return town
