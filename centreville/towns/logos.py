"""A town's (or territory's) logo goes through the photo pipeline: checked by its content, capped in
pixels, re-encoded without metadata (no GPS position), square and no larger than the header needs."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from centreville.core import images


def logo_file(upload: File[bytes]) -> ContentFile[bytes]:
    """The stored logo for an uploaded picture, under a fresh random name; ValidationError in French."""
    rendition = images.process_logo(upload)
    return ContentFile(rendition.content.read(), name=f"{secrets.token_hex(12)}.webp")


def processed_logo(value: Any) -> Any:
    """`value` as a logo field takes it: an upload through the pipeline; "", False or a stored file as is."""
    return logo_file(value) if isinstance(value, UploadedFile) else value
