"""A deployment that takes payments must take real ones: the provider's keys, and never the fake provider.

These run with every management command and when the web server starts (config.wsgi): a server that
would let anyone "pay" on a local page without money moving refuses to start.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

PROVIDERS = ("none", "fake", "stripe")


@register()
def payment_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    provider = settings.PAYMENT_PROVIDER
    if provider not in PROVIDERS:
        return [
            Error(
                f"PAYMENT_PROVIDER must be one of {', '.join(PROVIDERS)}, not {provider!r}.",
                id="payments.E001",
            )
        ]
    if provider == "fake" and not settings.PAYMENT_FAKE_ALLOWED:
        return [
            Error(
                "PAYMENT_PROVIDER is 'fake': customers would 'pay' on a local page and no money would move.",
                hint="Set PAYMENT_PROVIDER=stripe (with its keys), or 'none' to offer payment at pickup "
                "only. The fake provider is for the demo and the tests (PAYMENT_FAKE_ALLOWED).",
                id="payments.E003",
            )
        ]
    if provider != "stripe":
        return []
    missing = [name for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET") if not getattr(settings, name)]
    return [
        Error(f"{name} is needed when PAYMENT_PROVIDER is 'stripe'.", id="payments.E002") for name in missing
    ]
