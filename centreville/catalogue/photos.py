"""A product's photos: add (checked and re-encoded), describe, reorder, remove; each write bumps the town."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.core import images
from centreville.core.pagecache import bump_town_version

from .models import Product, ProductPhoto

MAX_PRODUCT_PHOTOS = 8


def product_photo_list(product: Product) -> list[ProductPhoto]:
    """The product's photos in the order the merchant chose."""
    return list(ProductPhoto.objects.filter(product=product).order_by("position", "pk"))


def _check_room(product: Product) -> int:
    """How many photos the product has; refused when it already has as many as allowed."""
    count = ProductPhoto.objects.filter(product=product).count()
    if count >= MAX_PRODUCT_PHOTOS:
        message = _("Un produit montre %(max)s photos au plus : retirez-en une pour en ajouter une autre.")
        raise ValidationError(
            {NON_FIELD_ERRORS: ValidationError(message % {"max": MAX_PRODUCT_PHOTOS}, code="photo_limit")}
        )
    return count


def product_photo_add(*, product: Product, upload: File[bytes], alt_text: str) -> ProductPhoto:
    """A new last photo of the product, from an uploaded file; on any refusal nothing is stored.

    Errors are keyed `upload` (the file), `alt_text`, or non-field (the limit).
    """
    alt_text = images.clean_alt_text(alt_text)
    _check_room(product)
    try:
        # The slow part runs before the transaction, so no lock waits for it.
        processed = images.process_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.error_list}) from error
    with transaction.atomic():
        # The product's row serialises concurrent uploads, so the limit holds.
        Product.objects.select_for_update().only("pk").get(pk=product.pk)
        position = _check_room(product)
        photo = ProductPhoto(product=product, alt_text=alt_text, position=position)
        photo.full_clean(exclude=list(images.RENDITION_NAMES))
        images.photo_store(photo, processed)
        bump_town_version(product.town_id)
    return photo


@transaction.atomic
def product_photo_update(*, photo: ProductPhoto, alt_text: str) -> ProductPhoto:
    """Change what the photo is said to show."""
    photo.alt_text = images.clean_alt_text(alt_text)
    photo.full_clean()
    photo.save(update_fields=["alt_text", "updated_at"])
    bump_town_version(photo.product.town_id)
    return photo


@transaction.atomic
def product_photo_move(*, photo: ProductPhoto, offset: int) -> list[ProductPhoto]:
    """Move a photo `offset` places (-1: one place earlier, +1: one later); returns the new order."""
    Product.objects.select_for_update().only("pk").get(pk=photo.product_id)
    photos = images.moved(product_photo_list(photo.product), photo, offset)
    images.renumber(photos, lambda changed: ProductPhoto.objects.bulk_update(changed, ["position"]))
    bump_town_version(photo.product.town_id)
    return photos


@transaction.atomic
def product_photo_remove(*, photo: ProductPhoto) -> None:
    """Delete the photo; its files go once the deletion is committed."""
    product = photo.product
    Product.objects.select_for_update().only("pk").get(pk=product.pk)
    storage, names = photo.large.storage, images.photo_file_names(photo)
    photo.delete()
    images.renumber(
        product_photo_list(product), lambda changed: ProductPhoto.objects.bulk_update(changed, ["position"])
    )
    images.delete_files_on_commit(storage, names)
    bump_town_version(product.town_id)
