"""Writes of the API itself: personal tokens, created with their clear key shown once, and revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.accounts.models import User

from .models import ApiToken

KEY_PREFIX = "cv_"
MAX_ACTIVE_TOKENS = 20
# A token's last use is written at most this often: not one write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` and its clear key, which is not kept anywhere and cannot be shown again."""
    if ApiToken.objects.filter(user=user, revoked=False).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Vous avez déjà %(count)s jetons actifs : révoquez-en un avant d'en créer un autre.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), key_hash=hash_key(key), prefix=key[:10])
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


def api_token_user(key: str) -> User | None:
    """The active user a clear key stands for, or None; notes when the token was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
