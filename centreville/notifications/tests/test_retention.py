"""Messages about orders are kept for NOTIFICATION_RETENTION_DAYS once sent and their order has ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from centreville.notifications.models import Audience, Channel, Notification, NotificationStatus
from centreville.notifications.services import notifications_purge
from centreville.orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

AT = datetime(2027, 3, 28, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def message(key: str, *, order: Order | None, status: str, sent: datetime) -> Notification:
    notification = Notification.objects.create(
        key=key,
        kind="placed",
        audience=Audience.CUSTOMER,
        channel=Channel.SMS,
        recipient="+33611223344",
        body="Bonjour Jeanne",
        status=status,
        order=order,
    )
    Notification.objects.filter(pk=notification.pk).update(updated_at=sent)
    return notification


def test_messages_sent_long_ago_about_ended_orders_go_those_of_orders_under_way_stay(
    place: Callable[..., Order], settings: Any
) -> None:
    settings.NOTIFICATION_RETENTION_DAYS = 90
    ended = place(status=OrderStatus.COLLECTED)
    waiting = place()
    long_ago, lately = AT - timedelta(days=90, minutes=1), AT - timedelta(days=89)
    message("ended-sent", order=ended, status=NotificationStatus.SENT, sent=long_ago)
    message("ended-failed", order=ended, status=NotificationStatus.FAILED, sent=long_ago)
    message("ended-lately", order=ended, status=NotificationStatus.SENT, sent=lately)
    message("waiting-sent", order=waiting, status=NotificationStatus.SENT, sent=long_ago)
    message("ended-queued", order=ended, status=NotificationStatus.QUEUED, sent=long_ago)
    message("no-order", order=None, status=NotificationStatus.SENT, sent=long_ago)

    assert notifications_purge(at=AT, dry_run=True) == 3
    assert Notification.objects.count() == 6
    assert notifications_purge(at=AT) == 3

    assert set(Notification.objects.values_list("key", flat=True)) == {
        "ended-lately",
        "waiting-sent",
        "ended-queued",
    }
    assert notifications_purge(at=AT) == 0
