"""A shop's photos: add (checked and re-encoded), describe, reorder, remove."""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from centreville.core.albums import Album

from .models import Shop, ShopPhoto

MAX_SHOP_PHOTOS = 8
SHOP_ALBUM = Album(
    owner_model=Shop,
    photo_model=ShopPhoto,
    owner_field="shop",
    limit=MAX_SHOP_PHOTOS,
    limit_message=_("Un commerce montre %(max)s photos au plus : retirez-en une pour en ajouter une autre."),
)


def shop_photo_list(shop: Shop) -> list[ShopPhoto]:
    return SHOP_ALBUM.photos(shop)


def shop_photo_add(*, shop: Shop, upload: File[bytes], alt_text: str) -> ShopPhoto:
    return SHOP_ALBUM.add(owner=shop, upload=upload, alt_text=alt_text)


def shop_photo_update(*, photo: ShopPhoto, alt_text: str) -> ShopPhoto:
    return SHOP_ALBUM.update(photo=photo, alt_text=alt_text)


def shop_photo_move(*, photo: ShopPhoto, offset: int) -> list[ShopPhoto]:
    return SHOP_ALBUM.move(photo=photo, offset=offset)


def shop_photo_remove(*, photo: ShopPhoto) -> None:
    SHOP_ALBUM.remove(photo=photo)
