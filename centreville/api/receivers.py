"""How the API answers the signals of the apps below it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.models import User
from centreville.accounts.signals import user_password_replaced

from .services import api_tokens_revoke_all


@receiver(user_password_replaced, dispatch_uid="api.revoke_tokens_on_new_password")
def revoke_tokens_on_new_password(sender: Any, *, user: User, **kwargs: Any) -> None:
    # Whoever knew the old password may have made tokens: a new password shuts them out too.
    api_tokens_revoke_all(user=user)
