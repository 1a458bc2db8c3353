"""Test factories of products, their variants and categories."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from centreville.catalogue.models import Product, ProductCategory, ProductVariant
from centreville.shops.tests.factories import ShopFactory


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    town = factory.LazyAttribute(lambda product: product.shop.town)
    title = factory.Sequence(lambda n: f"Produit {n}")
    slug = factory.Sequence(lambda n: f"produit-{n}")
    price = Decimal("12.50")
    stock = 5


class ProductCategoryFactory(DjangoModelFactory[ProductCategory]):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rayon {n}")
    slug = factory.Sequence(lambda n: f"rayon-{n}")


class ProductVariantFactory(DjangoModelFactory[ProductVariant]):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"Taille {n}")
    stock = 3
