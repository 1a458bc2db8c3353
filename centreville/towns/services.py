"""Writes about towns and territories."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.accounts import services as account_services
from centreville.accounts.models import Role, TownRole, User
from centreville.core.changes import FieldChanges, refuse_unknown_fields
from centreville.core.images import delete_files_on_commit
from centreville.core.pagecache import bump_town_version

from .logos import processed_logo
from .models import Town

# What the town team changes on its settings page, in the page's order.
TOWN_SETTINGS_FIELDS = (
    "name",
    "welcome_text",
    "contact_email",
    "brand_colour",
    "logo",
    "postcodes",
    "latitude",
    "longitude",
    "timezone",
    "allow_chains",
)


@transaction.atomic
def town_update(*, town: Town, **fields: Any) -> Town:
    """Change a town's settings (names in TOWN_SETTINGS_FIELDS); nothing is saved unless every field is
    valid, and only the columns that change are written.

    A new logo (an upload) goes through the image pipeline; the file of a replaced or removed logo is
    deleted once this commits.
    """
    refuse_unknown_fields("town_update", fields, TOWN_SETTINGS_FIELDS)
    old_logo = town.logo.name
    if "logo" in fields:
        fields["logo"] = processed_logo(fields["logo"])
    changes = FieldChanges(town, fields)
    try:
        town.full_clean()
    except ValidationError:
        changes.undo()
        raise
    if not changes.save():
        return town
    if old_logo and town.logo.name != old_logo:
        delete_files_on_commit(town.logo.storage, [old_logo])
    bump_town_version(town.pk)
    return town


def town_role_remove(*, town_role: TownRole, actor: User) -> None:
    """Withdraw a role given in a town, as `actor`; nobody withdraws their own manager role (they would
    lock themselves out of the page they are on), and the town keeps at least one manager."""
    if town_role.role == Role.MANAGER and town_role.user_id == actor.pk:
        raise ValidationError(
            _(
                "Vous ne pouvez pas retirer votre propre rôle de manager : demandez à un autre manager de "
                "la ville de le faire."
            ),
            code="own_role",
        )
    account_services.town_role_revoke(town_role=town_role)
