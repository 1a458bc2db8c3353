"""What the payment provider sent is kept PAYMENT_EVENT_RETENTION_DAYS: it may name the payer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from centreville.payments.models import ProviderName, WebhookEvent
from centreville.payments.services import payment_events_purge

pytestmark = pytest.mark.django_db

AT = datetime(2026, 10, 25, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # the morning the clocks went back


def event(event_id: str, received_at: datetime) -> WebhookEvent:
    recorded = WebhookEvent.objects.create(
        provider=ProviderName.STRIPE,
        event_id=event_id,
        type="checkout.session.completed",
        payload={
            "data": {"object": {"customer_details": {"name": "Jeanne Dupont", "email": "j@example.fr"}}}
        },
    )
    WebhookEvent.objects.filter(pk=recorded.pk).update(received_at=received_at)
    return recorded


def test_events_received_before_the_period_are_deleted_the_later_ones_kept(settings: Any) -> None:
    settings.PAYMENT_EVENT_RETENTION_DAYS = 90
    # 90 days of wall-clock time before 25 October 09:00 (winter time) is 27 July 09:00 (summer time).
    event("evt_old", datetime(2026, 7, 27, 8, 59, tzinfo=ZoneInfo("Europe/Paris")))
    event("evt_kept", datetime(2026, 7, 27, 9, 1, tzinfo=ZoneInfo("Europe/Paris")))

    assert payment_events_purge(at=AT, dry_run=True) == 1
    assert WebhookEvent.objects.count() == 2
    assert payment_events_purge(at=AT) == 1

    assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["evt_kept"]
    assert payment_events_purge(at=AT) == 0
    assert payment_events_purge(at=AT + timedelta(minutes=2)) == 1
