"""The retention periods must leave time for what still needs the data (see `retention.py`); checked with
every management command and when the web server starts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# The shortest period each setting may hold, and why.
RETENTION_MINIMUMS = {
    # Messages about an order just ended may still be written (the catch-up looks an hour back).
    "PERSONAL_DATA_RETENTION_MONTHS": 1,
    "ABANDONED_BASKET_RETENTION_DAYS": 1,
    "NOTIFICATION_RETENTION_DAYS": 1,
    # A payment provider sends an event again for up to three days when we did not answer.
    "PAYMENT_EVENT_RETENTION_DAYS": 7,
}


@register()
def retention_periods(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    for name, minimum in RETENTION_MINIMUMS.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or value < minimum:
            found.append(
                Error(
                    f"{name} must be a whole number of at least {minimum}, not {value!r}.", id="accounts.E001"
                )
            )
    return found
