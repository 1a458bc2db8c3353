"""Writes about towns and territories."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from centreville.core.pagecache import bump_town_version

from .models import Town


@transaction.atomic
def town_update(*, town: Town, **fields: Any) -> Town:
    """Change a town's settings; nothing is saved unless every field is valid."""
    for name, value in fields.items():
        setattr(town, name, value)
    town.full_clean()
    town.save()
    bump_town_version(town.pk)
    return town
