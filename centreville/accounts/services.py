"""Writes about people."""

from __future__ import annotations

from django.db import transaction

from .models import User
from .signals import user_erase_requested, user_password_replaced


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase a person's account and what hangs on it (roles, shop memberships, e-mail addresses, baskets);
    the apps above forget the rest on `user_erase_requested` (their name and contact leave their orders),
    and may refuse, in French (while one of their orders is under way).

    Their shops stay: a shop belongs to the town centre, not to one person.
    """
    user_erase_requested.send(sender=User, user=user)
    user.delete()


def user_password_changed(*, user: User) -> None:
    """Tell the apps above that `user` has a new password (already saved)."""
    user_password_replaced.send(sender=User, user=user)


@transaction.atomic
def user_password_set(*, user: User, password: str) -> None:
    """Give `user` a new password (change, reset or first one): whatever the old one let in is shut out."""
    user.set_password(password)
    user.save(update_fields=["password"])
    user_password_changed(user=user)
