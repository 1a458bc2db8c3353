"""Test factories of towns and territories."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.towns.models import Territory, Town


class TerritoryFactory(DjangoModelFactory[Territory]):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Pays de Test {n}")
    slug = factory.Sequence(lambda n: f"pays-test-{n}")


class TownFactory(DjangoModelFactory[Town]):
    class Meta:
        model = Town

    name = factory.Sequence(lambda n: f"Villeneuve-{n}")
    slug = factory.Sequence(lambda n: f"villeneuve-{n}")
    insee_code = factory.Sequence(lambda n: f"{10000 + n:05d}")
    postcodes = factory.LazyFunction(lambda: ["61200"])
    latitude = Decimal("48.744500")
    longitude = Decimal("-0.020300")
