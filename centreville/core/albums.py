"""A photo album of a town-owned object (a shop, a product): add, describe, reorder, remove.

Each write bumps the owner's town, so its cached public pages show the change at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils.functional import Promise

from . import images
from .models import Photo
from .pagecache import town_public_data_changed

_P = TypeVar("_P", bound=Photo)


@dataclass(frozen=True)
class Album(Generic[_P]):
    owner_model: type[models.Model]  # the photos' owner: it has a `town_id`
    photo_model: type[_P]
    owner_field: str  # the photo's foreign key to its owner, e.g. "shop"
    limit: int
    limit_message: Promise  # French, with %(max)s

    def photos(self, owner: Any) -> list[_P]:
        """The owner's photos in the order the merchant chose."""
        return list(
            self.photo_model._default_manager.filter(**{self.owner_field: owner}).order_by("position", "pk")
        )

    def _check_room(self, owner: Any) -> int:
        count = self.photo_model._default_manager.filter(**{self.owner_field: owner}).count()
        if count >= self.limit:
            message = str(self.limit_message) % {"max": self.limit}
            raise ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="photo_limit")})
        return count

    def _lock(self, owner_id: int) -> None:
        # The owner's row serialises concurrent changes, so the limit and the positions hold.
        self.owner_model._default_manager.select_for_update().only("pk").get(pk=owner_id)

    def add(self, *, owner: Any, upload: File[bytes], alt_text: str) -> _P:
        """A new last photo, from an uploaded file; on any refusal nothing is stored.

        Errors are keyed `upload` (the file), `alt_text`, or non-field (the limit).
        """
        alt_text = images.clean_alt_text(alt_text)
        self._check_room(owner)
        try:
            # The slow part runs before the transaction, so no lock waits for it.
            processed = images.process_upload(upload)
        except ValidationError as error:
            raise ValidationError({"upload": error.error_list}) from error
        return self.add_processed(owner=owner, processed=processed, alt_text=alt_text)

    def add_processed(self, *, owner: Any, processed: images.ProcessedImage, alt_text: str) -> _P:
        """A new last photo from a picture `images.process_upload` has already checked and re-encoded
        (a form that checks several files before saving anything does that first)."""
        alt_text = images.clean_alt_text(alt_text)
        with transaction.atomic():
            self._lock(owner.pk)
            position = self._check_room(owner)
            photo = self.photo_model(**{self.owner_field: owner}, alt_text=alt_text, position=position)
            photo.full_clean(exclude=list(images.RENDITION_NAMES))
            images.photo_store(photo, processed)
            town_public_data_changed(owner.town_id)
        return photo

    @transaction.atomic
    def update(self, *, photo: _P, alt_text: str) -> _P:
        """Change what the photo is said to show."""
        photo.alt_text = images.clean_alt_text(alt_text)
        photo.full_clean()
        photo.save(update_fields=["alt_text", "updated_at"])
        town_public_data_changed(getattr(photo, self.owner_field).town_id)
        return photo

    @transaction.atomic
    def move(self, *, photo: _P, offset: int) -> list[_P]:
        """Move a photo `offset` places (-1: one place earlier, +1: one later); returns the new order."""
        owner = getattr(photo, self.owner_field)
        self._lock(owner.pk)
        photos = images.moved(self.photos(owner), photo, offset)
        images.renumber(photos, self._save_positions)
        town_public_data_changed(owner.town_id)
        return photos

    @transaction.atomic
    def remove(self, *, photo: _P) -> None:
        """Delete the photo; its files go once the deletion is committed."""
        owner = getattr(photo, self.owner_field)
        self._lock(owner.pk)
        storage, names = photo.large.storage, images.photo_file_names(photo)
        photo.delete()
        images.renumber(self.photos(owner), self._save_positions)
        images.delete_files_on_commit(storage, names)
        town_public_data_changed(owner.town_id)

    def _save_positions(self, changed: list[_P]) -> None:
        self.photo_model._default_manager.bulk_update(changed, ["position"])
