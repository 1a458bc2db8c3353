"""Writes about people."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailConfirmation
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User
from .retention import delete_in_batches, in_days
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


def sign_in_data_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the sessions expired at `at` (they hold who was signed in and a visitor's basket) and the
    e-mail confirmation keys past their validity, in batches; how many were (with `dry_run`: would be)."""
    sessions = Session.objects.filter(expire_date__lt=at)
    confirmations = EmailConfirmation.objects.filter(
        sent__lt=at - timedelta(days=allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    )
    return sum(delete_in_batches(due, "pk", dry_run=dry_run) for due in (sessions, confirmations))


def sign_in_data_period() -> str:
    """How long a session is kept, in words, for the privacy page."""
    return _("Jusqu'à leur expiration, %(period)s après la dernière visite") % {
        "period": in_days(max(1, settings.SESSION_COOKIE_AGE // 86400))
    }
