"""Messages sent and failed are counted in the platform's metrics, by channel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY

from centreville.notifications.models import Audience, Notification, NotificationStatus
from centreville.orders.models import Order
from centreville.shops.models import Shop

from .backends import FlakySmsBackend

pytestmark = pytest.mark.django_db


def count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_sends_and_failures_are_counted_by_channel_and_whether_a_retry_is_left(
    place: Callable[..., Order], shop: Shop, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "centreville.notifications.tests.backends.FlakySmsBackend"
    Shop.objects.filter(pk=shop.pk).update(phone="")  # the customer's is the only SMS
    FlakySmsBackend.failures_left = 2
    emails, sms = (
        count("centreville_messages_sent_total", channel="email"),
        count("centreville_messages_sent_total", channel="sms"),
    )
    retried = count("centreville_messages_failed_total", channel="sms", final="no")
    given_up = count("centreville_messages_failed_total", channel="sms", final="yes")

    with django_capture_on_commit_callbacks(execute=True):
        order = place(contact="07 81 23 45 67")

    assert Notification.objects.get(order=order, audience=Audience.CUSTOMER).status == NotificationStatus.SENT
    sent_emails = Notification.objects.filter(order=order, channel="email").count()
    assert count("centreville_messages_sent_total", channel="email") == emails + sent_emails
    assert count("centreville_messages_sent_total", channel="sms") == sms + 1
    assert count("centreville_messages_failed_total", channel="sms", final="no") == retried + 2
    assert count("centreville_messages_failed_total", channel="sms", final="yes") == given_up
