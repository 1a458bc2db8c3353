"""A product's photos: add (checked and re-encoded), describe, reorder, remove."""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from centreville.core.albums import Album

from .models import Product, ProductPhoto

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
