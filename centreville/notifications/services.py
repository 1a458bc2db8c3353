"""E-mail and SMS notifications, sent through the task queue, retried on failure, never twice.

Each message is a `Notification` row whose unique key names what it announces to whom ("order-event:42:
customer:sms"): writing the same message twice finds the key taken. Sending takes the row under a lock, so
that two workers running the same task send it once. On PostgreSQL the lock is held while the message
leaves and the row is marked sent in the same transaction: a worker killed mid-send leaves the message
queued (its transaction rolls back) and the catch-up sends it again, so a message is neither lost nor, but
in the instant between the provider's answer and the commit, sent twice. Without row locks (SQLite, one
worker) the row is marked "sending" first, so that a long send does not hold the database's only write lock.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from centreville.accounts.retention import delete_in_batches, in_days, retention_cutoff
from centreville.core import metrics
from centreville.orders.models import OrderEvent
from centreville.orders.transitions import ENDED_STATUSES

from .messages import Message, order_event_messages
from .models import Channel, Notification, NotificationStatus
from .sms import sms_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait before the 2nd, 3rd, 4th and 5th attempts.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# A message "sending" (without row locks) for longer than this was interrupted.
STALE_AFTER = timedelta(hours=3)
# A message still queued this long after it was due has lost its task (a worker killed, a queue emptied):
# the catch-up queues it again. Longer than a busy queue's wait; a second task for a message sends nothing.
LOST_AFTER = timedelta(minutes=10)
# Order events younger than the grace period may still have their task waiting in the queue.
CATCH_UP_GRACE = timedelta(minutes=2)
CATCH_UP_WINDOW = timedelta(hours=1)


def notify_order_event(event: OrderEvent) -> None:
    """Queue, once the transaction commits, the messages this order event calls for."""
    notify_order_events([event])


def notify_order_events(events: Sequence[OrderEvent]) -> None:
    """Queue, once the transaction commits, the messages these order events call for, in one task.

    Nothing is written out in the caller's transaction (a checkout places several orders in one): a task
    writes the messages afterwards, and the periodic catch-up writes those of any event whose task was lost.
    """
    event_ids = [event.pk for event in events]
    transaction.on_commit(lambda: _enqueue(_tasks().announce_order_events, event_ids))


def notifications_forget_orders(*, order_ids: Sequence[int]) -> None:
    """Delete the messages about these orders: they hold the customer's address and what they were told."""
    Notification.objects.filter(order_id__in=list(order_ids)).delete()


def notifications_kept_too_long(*, at: datetime) -> QuerySet[Notification]:
    """The messages sent (or given up) `NOTIFICATION_RETENTION_DAYS` before `at` or earlier, about an order
    that has ended: one still under way keeps its messages, whose keys stop its reminders being sent again."""
    cutoff = retention_cutoff(at, days=settings.NOTIFICATION_RETENTION_DAYS)
    return Notification.objects.filter(
        status__in=[NotificationStatus.SENT, NotificationStatus.FAILED], updated_at__lt=cutoff
    ).filter(Q(order__isnull=True) | Q(order__status__in=ENDED_STATUSES))


def notifications_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the messages kept too long (their recipient's address and what they said), in batches; how
    many were (with `dry_run`: would be) deleted."""
    return delete_in_batches(notifications_kept_too_long(at=at), "updated_at", "pk", dry_run=dry_run)


def notification_period() -> str:
    """How long a message is kept, in words, for the privacy page."""
    return _("%(period)s après leur envoi, une fois la commande terminée") % {
        "period": in_days(settings.NOTIFICATION_RETENTION_DAYS)
    }


def notifications_for_events(*, event_ids: Sequence[int]) -> int:
    """Write out the messages of these order events at once (a basket's confirmation, shared by its
    orders' events, is written once) and have them sent; returns how many messages were added."""
    events = OrderEvent.objects.select_related(
        "order__shop", "order__town", "order__customer", "order__relay_point", "order__locker"
    ).filter(pk__in=list(event_ids))
    messages: dict[str, Message] = {}
    for event in events.order_by("pk"):
        for message in order_event_messages(event):
            messages.setdefault(message.key, message)
    return notifications_queue(messages=list(messages.values()))


def notifications_for_event(*, event_id: int) -> int:
    """Write out the messages of one order event and have them sent; a second call adds none. Returns how
    many messages were added."""
    event = (
        OrderEvent.objects.select_related(
            "order__shop", "order__town", "order__customer", "order__relay_point", "order__locker"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:  # its order was deleted meanwhile
        return 0
    return notifications_queue(messages=order_event_messages(event))


@transaction.atomic
def notifications_queue(*, messages: Sequence[Message]) -> int:
    """Record each message whose key is new and have it sent once the transaction commits.

    Returns how many were new; messages already recorded under their key are left alone.
    """
    taken = set(Notification.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True))
    rows = [
        Notification(
            key=message.key,
            kind=message.kind,
            audience=message.audience,
            channel=message.channel,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            order_id=message.order_id,
            event_id=message.event_id,
        )
        for message in messages
        if message.key not in taken
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    # A concurrent writer of the same key wins quietly; both then queue the send, which sends once.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    new_keys = [row.key for row in rows]
    if new_keys:
        transaction.on_commit(lambda: _send_later(new_keys))
    return len(rows)


def _send_later(keys: list[str]) -> None:
    for notification_id in Notification.objects.filter(
        key__in=keys, status=NotificationStatus.QUEUED
    ).values_list("pk", flat=True):
        _enqueue(_tasks().send_notification, notification_id)


def notification_send(*, notification_id: int) -> str:
    """Send one message unless it has been sent (or is being sent) already; on failure record why and try
    again later, up to MAX_ATTEMPTS. Returns the message's status afterwards."""
    if connection.features.has_select_for_update_skip_locked:
        return _send_under_lock(notification_id)
    return _send_marked(notification_id)


def _send_under_lock(notification_id: int) -> str:
    """Send while holding the row's lock, and mark it sent in the same transaction: dying half-way leaves it
    queued for the catch-up, never "sending" for ever."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True).filter(pk=notification_id).first()
        )
        if notification is None:  # being sent by another worker right now, or deleted
            exists = Notification.objects.filter(pk=notification_id).exists()
            return NotificationStatus.SENDING if exists else ""
        if notification.status != NotificationStatus.QUEUED:
            return notification.status
        notification.attempts += 1
        try:
            _deliver(notification)
        except Exception as error:  # any provider failure: the message is tried again later
            return _record_failure(notification, error)
        notification.status, notification.sent_at = NotificationStatus.SENT, timezone.now()
        notification.save(update_fields=["status", "attempts", "sent_at", "updated_at"])
    metrics.count_message_sent(channel=notification.channel)
    return NotificationStatus.SENT


def _send_marked(notification_id: int) -> str:
    """Mark the message "sending" in one transaction, send it, then mark it sent."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return ""
        if notification.status != NotificationStatus.QUEUED:
            return notification.status
        notification.status = NotificationStatus.SENDING
        notification.attempts += 1
        notification.save(update_fields=["status", "attempts", "updated_at"])
    # Committed: any other run of this task now finds "sending" and leaves the message alone. Were this
    # process to die before the message is marked sent below, it would stay "sending" and never be sent
    # again (the catch-up marks it failed after a while, for someone to check): a lost message is better
    # than a customer told twice, and the provider may well have sent it already.
    try:
        _deliver(notification)
    except Exception as error:  # any provider failure: the message is tried again later
        return _record_failure(notification, error)
    metrics.count_message_sent(channel=notification.channel)
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), updated_at=timezone.now()
    )
    return NotificationStatus.SENT


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.EMAIL:
        EmailMessage(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient],
            headers={"Message-ID": message_id(notification)},
        ).send()
    else:
        sms_backend().send(notification.recipient, notification.body)


def message_id(notification: Notification) -> str:
    """The same Message-ID at every attempt of one message: were it sent twice (a worker killed between the
    provider's answer and the commit), mail software shows it once."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:24]
    return f"<{notification.pk}.{digest}@{urlsplit(settings.PUBLIC_BASE_URL).hostname or 'localhost'}>"


def _record_failure(notification: Notification, error: Exception) -> str:
    gives_up = notification.attempts >= MAX_ATTEMPTS
    metrics.count_message_failed(channel=notification.channel, final=gives_up)
    logger.warning(
        "Notification %s, attempt %s failed%s: %r",
        notification.pk,
        notification.attempts,
        " for good" if gives_up else "",
        error,
    )
    with transaction.atomic():
        notification.status = NotificationStatus.FAILED if gives_up else NotificationStatus.QUEUED
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        run_after = None if gives_up else timezone.now() + RETRY_DELAYS[notification.attempts - 1]
        notification.retry_at = run_after
        notification.save(update_fields=["status", "attempts", "last_error", "retry_at", "updated_at"])
        if run_after is not None:
            notification_id = notification.pk
            transaction.on_commit(
                lambda: _enqueue(_tasks().send_notification, notification_id, run_after=run_after)
            )
    return notification.status


def notifications_catch_up(*, now: datetime | None = None) -> int:
    """Repair what a lost task left behind; returns how many order events were written out late.

    Order events of the last hour with no message recorded are written out (their keys make this safe
    if their own task runs after all); messages still queued LOST_AFTER past their time have their send
    queued again; messages left "sending" by an interrupted worker (without row locks) are marked failed,
    not sent again.
    """
    now = now or timezone.now()
    forgotten = (
        OrderEvent.objects.filter(created_at__gte=now - CATCH_UP_WINDOW, created_at__lte=now - CATCH_UP_GRACE)
        .exclude(Exists(Notification.objects.filter(event=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    caught_up = 0
    for event_id in forgotten:
        if notifications_for_event(event_id=event_id):
            caught_up += 1
    lost_before = now - lost_after()
    lost = Notification.objects.filter(status=NotificationStatus.QUEUED).filter(
        Q(retry_at__isnull=True, updated_at__lt=lost_before) | Q(retry_at__lt=lost_before)
    )
    for notification_id in lost.values_list("pk", flat=True):
        _enqueue(_tasks().send_notification, notification_id)
    stale = Notification.objects.filter(updated_at__lt=now - STALE_AFTER)
    stale.filter(status=NotificationStatus.SENDING).update(
        status=NotificationStatus.FAILED,
        last_error=_("Envoi interrompu : le message est peut-être parti, il n'est pas renvoyé."),
        updated_at=now,
    )
    return caught_up


def lost_after() -> timedelta:
    """LOST_AFTER, or NOTIFICATIONS_LOST_AFTER_SECONDS when set (a rehearsal cannot wait ten minutes)."""
    seconds = getattr(settings, "NOTIFICATIONS_LOST_AFTER_SECONDS", None)
    return LOST_AFTER if seconds is None else timedelta(seconds=seconds)


def _enqueue(task: Task[Any, Any], *args: Any, run_after: datetime | None = None) -> None:
    """Queue a task, later if the backend can wait; a queue that cannot be reached is logged, not raised:
    the order it follows is already committed, and the catch-up queues the work again."""
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s%r", task.name, args)


def _tasks() -> Any:
    # The tasks module imports this one; imported when first needed.
    from . import tasks

    return tasks
