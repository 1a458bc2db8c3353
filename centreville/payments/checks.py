"""A deployment that takes real payments must have the provider's keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def payment_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.PAYMENT_PROVIDER == "fake":
        return []
    if settings.PAYMENT_PROVIDER != "stripe":
        return [
            Error(
                f"PAYMENT_PROVIDER must be 'fake' or 'stripe', not {settings.PAYMENT_PROVIDER!r}.",
                id="payments.E001",
            )
        ]
    missing = [name for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET") if not getattr(settings, name)]
    return [
        Error(f"{name} is needed when PAYMENT_PROVIDER is 'stripe'.", id="payments.E002") for name in missing
    ]
