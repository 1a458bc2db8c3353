"""Writes of the API itself: personal tokens, created with their clear key shown once, revoked, expired."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.accounts.retention import delete_in_batches, in_days

from .models import ApiToken

KEY_PREFIX = "cv_"
MAX_ACTIVE_TOKENS = 20
# A token's last use is written at most this often: not one write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


@transaction.atomic
def api_token_create(*, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`, valid API_TOKEN_LIFETIME_DAYS from `now`, and its clear key, which is not
    kept anywhere and cannot be shown again."""
    # The user's row is locked so that two creations at once cannot both pass the count.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked=False, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Vous avez déjà %(count)s jetons actifs : révoquez-en un avant d'en créer un autre.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=" ".join(name.split()),
        key_hash=hash_key(key),
        prefix=key[:10],
        expires_at=now + token_lifetime(),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """The token stops working at once; it stays listed so that its owner sees when it was last used."""
    token.revoked = True
    token.full_clean()
    token.save(update_fields=["revoked"])
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of `user` (their password changed: whoever knew it may have made some)."""
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


def api_token_user(key: str, *, now: datetime) -> User | None:
    """The active user a clear key stands for, or None (unknown, revoked or expired); notes its use."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked=False, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the tokens expired at `at` (revoked ones too, once past their date: until then their owner
    sees them revoked), in batches; how many were (with `dry_run`: would be) deleted."""
    return delete_in_batches(ApiToken.objects.filter(expires_at__lte=at), "expires_at", "pk", dry_run=dry_run)


def api_token_period() -> str:
    """How long a token is kept, in words, for the privacy page."""
    return _("Jusqu'à leur expiration, %(period)s après leur création") % {
        "period": in_days(settings.API_TOKEN_LIFETIME_DAYS)
    }
