"""Test factories of shops, their trades, members and closures."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.models import Shop, ShopClosure, ShopMembership, ShopStatus, TradeCategory
from centreville.towns.tests.factories import TownFactory


class TradeCategoryFactory(DjangoModelFactory[TradeCategory]):
    class Meta:
        model = TradeCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Métier {n}")
    slug = factory.Sequence(lambda n: f"metier-{n}")
    naf_codes = factory.LazyFunction(lambda: ["47.29Z"])


class ShopFactory(DjangoModelFactory[Shop]):
    class Meta:
        model = Shop

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Boutique {n}")
    slug = factory.Sequence(lambda n: f"boutique-{n}")
    category = factory.SubFactory(TradeCategoryFactory)
    street_address = factory.Sequence(lambda n: f"{n % 90 + 1} rue de la République")
    postcode = "61200"
    city = factory.LazyAttribute(lambda shop: shop.town.name)
    opening_hours = "Tu-Sa 09:00-12:30,14:00-19:00"
    status = ShopStatus.PUBLISHED


class ShopMembershipFactory(DjangoModelFactory[ShopMembership]):
    class Meta:
        model = ShopMembership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)


class ShopClosureFactory(DjangoModelFactory[ShopClosure]):
    class Meta:
        model = ShopClosure

    shop = factory.SubFactory(ShopFactory)
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda closure: closure.start_date + timedelta(days=6))
    label = "Congés"
