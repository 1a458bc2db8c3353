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
    """The provider a payment was made with (a payment stays with its provider whatever the settings)."""
    if name == FakeProvider.name:
        return FakeProvider()
    if name == StripeConnectProvider.name:
        return StripeConnectProvider.from_settings()
    raise ImproperlyConfigured(f"Unknown payment provider {name!r}")


def current_provider() -> PaymentProvider:
    return provider_named(settings.PAYMENT_PROVIDER)
