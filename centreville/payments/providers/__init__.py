"""Payment providers behind one interface; the settings choose which one new payments use."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    SIGNATURE_TOLERANCE_SECONDS,
    AccountStatus,
    EventType,
    InvalidWebhook,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
)
from .fake import FakeProvider
from .stripe_connect import StripeConnectProvider

__all__ = [
    "SIGNATURE_TOLERANCE_SECONDS",
    "AccountStatus",
    "EventType",
    "FakeProvider",
    "InvalidWebhook",
    "PaymentProvider",
    "ProviderError",
    "ProviderEvent",
    "StripeConnectProvider",
    "current_provider",
    "provider_named",
]


def provider_named(name: str) -> PaymentProvider:
    """The provider a payment was made with (a payment stays with its provider whatever the settings).

    Raises ImproperlyConfigured for an unknown name, and for the fake provider where it is not allowed.
    """
    if name == FakeProvider.name:
        return FakeProvider()
    if name == StripeConnectProvider.name:
        return StripeConnectProvider.from_settings()
    raise ImproperlyConfigured(f"Unknown payment provider {name!r}")


def current_provider() -> PaymentProvider:
    """The provider new payments use; ImproperlyConfigured when online payment is off ("none")."""
    if settings.PAYMENT_PROVIDER == "none":
        raise ImproperlyConfigured("Online payment is off (PAYMENT_PROVIDER=none)")
    return provider_named(settings.PAYMENT_PROVIDER)
