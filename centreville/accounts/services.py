"""Writes about people and their roles."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.towns.models import Town

from .models import Role, TownRole, User


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


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase a person's account and what hangs on it (roles, shop memberships, e-mail addresses, baskets),
    and their name and contact from their orders; refused, in French, while one of them is under way.

    Their shops stay: a shop belongs to the town centre, not to one person.
    """
    from centreville.orders.services import orders_forget_customer

    orders_forget_customer(user=user)
    user.delete()


# What other apps do when someone's password changes (the API revokes their tokens). They register here,
# in their AppConfig.ready(), so that accounts never imports them.
PasswordChangeListener = Callable[[User], object]
_password_change_listeners: list[PasswordChangeListener] = []


def on_password_change(listener: PasswordChangeListener) -> PasswordChangeListener:
    """Call `listener(user)` in the transaction of every password change or reset."""
    if listener not in _password_change_listeners:
        _password_change_listeners.append(listener)
    return listener


def user_password_changed(*, user: User) -> None:
    """Tell the registered apps that `user` has a new password (already saved)."""
    for listener in _password_change_listeners:
        listener(user)


@transaction.atomic
def user_password_set(*, user: User, password: str) -> None:
    """Give `user` a new password (change, reset or first one): whatever the old one let in is shut out."""
    user.set_password(password)
    user.save(update_fields=["password"])
    user_password_changed(user=user)
