"""A shop's photos: add (checked and re-encoded), describe, reorder, remove; each write bumps the town."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.core import images
from centreville.core.pagecache import bump_town_version

from .models import Shop, ShopPhoto

MAX_SHOP_PHOTOS = 8


def shop_photo_list(shop: Shop) -> list[ShopPhoto]:
    """The shop's photos in the order the merchant chose."""
    return list(ShopPhoto.objects.filter(shop=shop).order_by("position", "pk"))


def _check_room(shop: Shop) -> int:
    """How many photos the shop has; refused when it already has as many as allowed."""
    count = ShopPhoto.objects.filter(shop=shop).count()
    if count >= MAX_SHOP_PHOTOS:
        message = _("Un commerce montre %(max)s photos au plus : retirez-en une pour en ajouter une autre.")
        raise ValidationError(
            {NON_FIELD_ERRORS: ValidationError(message % {"max": MAX_SHOP_PHOTOS}, code="photo_limit")}
        )
    return count


def shop_photo_add(*, shop: Shop, upload: File[bytes], alt_text: str) -> ShopPhoto:
    """A new last photo of the shop, from an uploaded file; on any refusal nothing is stored.

    Errors are keyed `upload` (the file), `alt_text`, or non-field (the limit).
    """
    alt_text = images.clean_alt_text(alt_text)
    _check_room(shop)
    try:
        # The slow part runs before the transaction, so no lock waits for it.
        processed = images.process_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.error_list}) from error
    with transaction.atomic():
        # The shop's row serialises concurrent uploads, so the limit holds.
        Shop.objects.select_for_update().only("pk").get(pk=shop.pk)
        position = _check_room(shop)
        photo = ShopPhoto(shop=shop, alt_text=alt_text, position=position)
        photo.full_clean(exclude=list(images.RENDITION_NAMES))
        images.photo_store(photo, processed)
        bump_town_version(shop.town_id)
    return photo


@transaction.atomic
def shop_photo_update(*, photo: ShopPhoto, alt_text: str) -> ShopPhoto:
    """Change what the photo is said to show."""
    photo.alt_text = images.clean_alt_text(alt_text)
    photo.full_clean()
    photo.save(update_fields=["alt_text", "updated_at"])
    bump_town_version(photo.shop.town_id)
    return photo


@transaction.atomic
def shop_photo_move(*, photo: ShopPhoto, offset: int) -> list[ShopPhoto]:
    """Move a photo `offset` places (-1: one place earlier, +1: one later); returns the new order."""
    Shop.objects.select_for_update().only("pk").get(pk=photo.shop_id)
    photos = images.moved(shop_photo_list(photo.shop), photo, offset)
    images.renumber(photos, lambda changed: ShopPhoto.objects.bulk_update(changed, ["position"]))
    bump_town_version(photo.shop.town_id)
    return photos


@transaction.atomic
def shop_photo_remove(*, photo: ShopPhoto) -> None:
    """Delete the photo; its files go once the deletion is committed."""
    shop = photo.shop
    Shop.objects.select_for_update().only("pk").get(pk=shop.pk)
    storage, names = photo.large.storage, images.photo_file_names(photo)
    photo.delete()
    images.renumber(
        shop_photo_list(shop), lambda changed: ShopPhoto.objects.bulk_update(changed, ["position"])
    )
    images.delete_files_on_commit(storage, names)
    bump_town_version(shop.town_id)
