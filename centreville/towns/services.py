"""Writes about towns, territories and the roles given in a town."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.accounts.models import Role, TownRole, User
from centreville.core.changes import FieldChanges, refuse_unknown_fields
from centreville.core.images import delete_files_on_commit
from centreville.core.pagecache import town_public_data_changed

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
    with changes.undone_if_refused():
        town.full_clean()
    if not changes.save():
        return town
    if old_logo and town.logo.name != old_logo:
        delete_files_on_commit(town.logo.storage, [old_logo])
    town_public_data_changed(town.pk)
    return town


@transaction.atomic
def town_role_grant(*, town: Town, email: str, role: str, granted_by: User | None) -> TownRole:
    """Give an existing account a role in a town; granting a role held already changes nothing."""
    if role not in Role.values:
        raise ValidationError({"role": _("Ce rôle n'existe pas.")})
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("Aucun compte n'utilise cette adresse : la personne doit d'abord créer son compte.")}
        )
    town_role, _created = TownRole.objects.get_or_create(
        user=user, town=town, role=role, defaults={"granted_by": granted_by}
    )
    return town_role


@transaction.atomic
def town_role_revoke(*, town_role: TownRole) -> None:
    """Withdraw a role; a town always keeps at least one manager."""
    if town_role.role == Role.MANAGER:
        managers = TownRole.objects.select_for_update().filter(town_id=town_role.town_id, role=Role.MANAGER)
        if len(managers.values_list("pk", flat=True)) <= 1:
            raise ValidationError(_("La ville doit garder au moins un manager de centre-ville."))
    town_role.delete()


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
    town_role_revoke(town_role=town_role)
