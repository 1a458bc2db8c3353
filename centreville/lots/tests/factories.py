from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.lots.models import Lot, LotPrice, Unit, VatRate
from centreville.lots.services import refresh_lot_copies


class LotFactory(DjangoModelFactory[Lot]):
    """Vegetables by the kilogram, 5.5 % VAT, at the producer's position."""

    class Meta:
        model = Lot
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = factory.SubFactory(ProductCategoryFactory, name="Fruits et légumes", slug="fruits-legumes")
    title = factory.Sequence(lambda n: f"Carottes de sable ({n})")
    unit = Unit.KILOGRAM
    quantity_available = Decimal("50")
    minimum_quantity = Decimal("5")
    quantity_step = Decimal("1")
    unit_price = Decimal("1.2000")
    vat_rate = VatRate.REDUCED
    latitude = factory.LazyAttribute(lambda lot: lot.enterprise.latitude)
    longitude = factory.LazyAttribute(lambda lot: lot.enterprise.longitude)

    @factory.post_generation
    def copies(self: Lot, create: bool, extracted: object, **kwargs: object) -> None:
        """The copies of its producer a search reads, as the services write them."""
        if create:
            refresh_lot_copies(self)


class LotPriceFactory(DjangoModelFactory[LotPrice]):
    class Meta:
        model = LotPrice

    lot = factory.SubFactory(LotFactory)
    buyer_category = "canteen"
    unit_price = Decimal("1.1000")
