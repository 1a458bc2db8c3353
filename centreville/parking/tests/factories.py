"""Test factories of car parks and feeds."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.parking.models import CarPark, Feed, FeedFormat, UserType
from centreville.towns.tests.factories import TownFactory


class CarParkFactory(DjangoModelFactory[CarPark]):
    class Meta:
        model = CarPark

    town = factory.SubFactory(TownFactory)
    ref = factory.LazyAttributeSequence(lambda o, n: f"{o.town.insee_code}-P-{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Parking {n}")
    address = "Place du Marché, 61200 Argentan"
    capacity = 100
    latitude = Decimal("48.744500")
    longitude = Decimal("-0.020300")
    user_type = UserType.ALL
    operator_siret = "21610006400017"


class FeedFactory(DjangoModelFactory[Feed]):
    class Meta:
        model = Feed

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Flux {n}")
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/flux-{n}.json")
    format = FeedFormat.NGSI_V2
