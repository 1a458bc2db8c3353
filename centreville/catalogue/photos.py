"""A product's photos: add (checked and re-encoded), describe, reorder, remove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from centreville.core.albums import Album
from centreville.core.images import ProcessedImage
from centreville.shops.models import Shop

from .models import Product, ProductPhoto
from .services import VariantInput, product_save

MAX_PRODUCT_PHOTOS = 8
PRODUCT_ALBUM = Album(
    owner_model=Product,
    photo_model=ProductPhoto,
    owner_field="product",
    limit=MAX_PRODUCT_PHOTOS,
    limit_message=_("Un produit montre %(max)s photos au plus : retirez-en une pour en ajouter une autre."),
)


def product_photo_list(product: Product) -> list[ProductPhoto]:
    return PRODUCT_ALBUM.photos(product)


def product_photo_add(*, product: Product, upload: File[bytes], alt_text: str) -> ProductPhoto:
    return PRODUCT_ALBUM.add(owner=product, upload=upload, alt_text=alt_text)


def product_photo_update(*, photo: ProductPhoto, alt_text: str) -> ProductPhoto:
    return PRODUCT_ALBUM.update(photo=photo, alt_text=alt_text)


def product_photo_move(*, photo: ProductPhoto, offset: int) -> list[ProductPhoto]:
    return PRODUCT_ALBUM.move(photo=photo, offset=offset)


def product_photo_remove(*, photo: ProductPhoto) -> None:
    PRODUCT_ALBUM.remove(photo=photo)


@dataclass(frozen=True)
class NewPhoto:
    """A photo checked and re-encoded before anything is saved (`images.process_upload`), and its text."""

    processed: ProcessedImage
    alt_text: str


@transaction.atomic
def product_create_with_photos(
    *,
    shop: Shop,
    fields: dict[str, Any],
    variants: Sequence[VariantInput] = (),
    photos: Sequence[NewPhoto] = (),
) -> Product:
    """A new product of `shop` with its variants and its first photos, in that order: all or nothing."""
    product = product_save(shop=shop, product=None, fields=fields, variants=variants)
    for photo in photos:
        PRODUCT_ALBUM.add_processed(owner=product, processed=photo.processed, alt_text=photo.alt_text)
    return product
