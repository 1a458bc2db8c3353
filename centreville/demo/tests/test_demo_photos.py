"""Demo placeholder photos: real pictures through the real services, described, and added only once."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from centreville.catalogue.models import ProductPhoto
from centreville.catalogue.tests.factories import ProductFactory
from centreville.demo.photos import PRODUCTS_PER_SHOP, demo_photos_load
from centreville.shops.models import ShopPhoto, ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_published_shops_and_their_first_products_get_described_photos_once() -> None:
    # Given a town with a published shop of three products, a draft shop, and a shop elsewhere
    town = TownFactory.create()
    shop = ShopFactory.create(town=town, name="Épicerie Lebrun")
    products = [ProductFactory.create(shop=shop, title=title) for title in ("Abricots", "Beurre", "Cidre")]
    draft = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    elsewhere = ShopFactory.create()

    # When the demo photos are loaded twice
    added = demo_photos_load([town])
    added_again = demo_photos_load([town])

    # Then the published shop and its first products have one photo each, the others none
    assert (added, added_again) == (1 + PRODUCTS_PER_SHOP, 0)
    photo = ShopPhoto.objects.get(shop=shop)
    assert photo.alt_text.startswith("Illustration de la devanture de « Épicerie Lebrun » : un store rayé")
    assert not ShopPhoto.objects.filter(shop__in=[draft, elsewhere]).exists()
    product_photos = ProductPhoto.objects.filter(product__shop=shop).order_by("product__title")
    assert [p.product_id for p in product_photos] == [products[0].pk, products[1].pk]
    assert "la lettre « A »" in product_photos[0].alt_text
    picture = Image.open(io.BytesIO(photo.large.read()))
    assert picture.format == "WEBP"
    assert picture.size == (640, 480)
