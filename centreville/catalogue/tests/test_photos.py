"""Product photo services: the same rules as shop photos, per product."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage

from centreville.catalogue.models import Product, ProductPhoto
from centreville.catalogue.photos import (
    MAX_PRODUCT_PHOTOS,
    product_photo_add,
    product_photo_list,
    product_photo_move,
    product_photo_remove,
    product_photo_update,
)
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.pagecache import town_versions
from centreville.core.tests.samples import jpeg_bytes, stored_files, two_halves, upload, valid_upload

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def add(product: Product, alt_text: str = "Le produit") -> ProductPhoto:
    return product_photo_add(product=product, upload=valid_upload(), alt_text=alt_text)


def test_adding_a_product_photo_stores_it_and_refreshes_the_town(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = ProductFactory.create()
    before = town_versions((product.town_id,))

    with django_capture_on_commit_callbacks(execute=True):
        photo = add(product, "Un pot de miel de châtaignier")

    assert photo.product_id == product.pk
    assert photo.position == 0
    assert all(default_storage.exists(f.name) for f in (photo.small, photo.medium, photo.large))
    assert town_versions((product.town_id,)) != before


def test_a_truncated_upload_changes_nothing() -> None:
    product = ProductFactory.create()
    files = stored_files()
    data = jpeg_bytes(two_halves((800, 600)))

    with pytest.raises(ValidationError) as error:
        product_photo_add(product=product, upload=upload(data[:300]), alt_text="Le miel")

    assert "upload" in error.value.message_dict
    assert not ProductPhoto.objects.exists()
    assert stored_files() == files


def test_a_product_holds_eight_photos_at_most() -> None:
    product = ProductFactory.create()
    for number in range(MAX_PRODUCT_PHOTOS):
        add(product, f"Vue {number}")

    with pytest.raises(ValidationError) as error:
        add(product, "Une de trop")

    assert "8 photos au plus" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert ProductPhoto.objects.filter(product=product).count() == MAX_PRODUCT_PHOTOS


def test_product_photos_can_be_reordered_described_and_removed(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = ProductFactory.create()
    a, b = add(product, "a"), add(product, "b")

    product_photo_move(photo=b, offset=-1)
    product_photo_update(photo=ProductPhoto.objects.get(pk=a.pk), alt_text="Le pot ouvert")
    assert [(p.alt_text, p.position) for p in product_photo_list(product)] == [("b", 0), ("Le pot ouvert", 1)]

    with django_capture_on_commit_callbacks(execute=True):
        product_photo_remove(photo=ProductPhoto.objects.get(pk=b.pk))

    assert [(p.pk, p.position) for p in product_photo_list(product)] == [(a.pk, 0)]
    assert not default_storage.exists(b.large.name)


def test_photos_of_a_product_are_its_own_only() -> None:
    product = ProductFactory.create()
    sibling = ProductFactory.create(shop=product.shop)
    elsewhere = ProductFactory.create()
    mine = add(product)
    add(sibling)
    add(elsewhere)

    assert [p.pk for p in product_photo_list(product)] == [mine.pk]
