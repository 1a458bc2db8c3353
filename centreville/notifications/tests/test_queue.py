"""The real queues: tasks kept in the database (or in Redis) until a worker runs them, retries that wait,
and concurrent runs of the same send that still send once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from centreville.notifications import services
from centreville.notifications.models import Audience, Notification, NotificationStatus
from centreville.notifications.services import notifications_catch_up
from centreville.notifications.sms import Sms
from centreville.notifications.tasks import prune_finished_tasks, send_notification
from centreville.orders.models import Order
from centreville.shops.models import Shop

from .backends import FlakySmsBackend

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SEND_PATH = "centreville.notifications.tasks.send_notification"


def run_database_worker() -> None:
    call_command("run_worker", batch=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_nothing_is_sent_until_a_worker_runs(
    place: Callable[..., Order], settings: Any, sms_outbox: list[Sms]
) -> None:
    settings.TASKS = DATABASE_QUEUE

    order = place()

    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "centreville.notifications.tasks.announce_order_events"
    assert (waiting.status, mail.outbox, sms_outbox) == (TaskResultStatus.READY, [], [])

    run_database_worker()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "boulangerie@example.fr",
        "jeanne@example.fr",
        "marie@example.fr",
    ]
    assert len(sms_outbox) == 1
    assert Notification.objects.filter(order=order, status=NotificationStatus.SENT).count() == 4
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_failed_send_waits_before_its_next_attempt(
    place: Callable[..., Order], shop: Shop, settings: Any, sms_outbox: list[Sms]
) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.SMS_BACKEND = "centreville.notifications.tests.backends.FlakySmsBackend"
    Shop.objects.filter(pk=shop.pk).update(phone="", email="")
    FlakySmsBackend.failures_left = 1
    order = place(contact="06 12 34 56 78")

    run_database_worker()

    sms = Notification.objects.get(order=order, audience=Audience.CUSTOMER)
    assert (sms.status, sms.attempts, sms_outbox) == (NotificationStatus.QUEUED, 1, [])
    retry = DBTaskResult.objects.get(task_path=SEND_PATH, status=TaskResultStatus.READY)
    assert retry.run_after is not None
    assert timedelta(seconds=50) < retry.run_after - timezone.now() <= timedelta(minutes=1)

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute later
    run_database_worker()

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (NotificationStatus.SENT, 2)
    assert [m.to for m in sms_outbox] == ["+33612345678"]


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_with_redis_an_rq_worker_runs_the_tasks(place: Callable[..., Order], settings: Any) -> None:
    import django_rq
    from django_tasks_rq import Job

    # This test worker's own Redis database: the one its cache uses.
    settings.RQ_QUEUES = {"default": {"URL": settings.CACHES["default"]["LOCATION"]}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()

    place()

    assert (queue.count, mail.outbox) == (1, [])
    # A worker that runs jobs in this process, where the test database is.
    worker = django_rq.get_worker("default", job_class=Job, worker_class="rq.SimpleWorker")
    worker.work(burst=True)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "boulangerie@example.fr",
        "jeanne@example.fr",
        "marie@example.fr",
    ]
    queue.empty()


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_of_the_same_send_send_once(settings: Any) -> None:
    settings.EMAIL_BACKEND = "centreville.notifications.tests.backends.SlowEmailBackend"
    notification = Notification.objects.create(
        key="order-event:1:customer:email",
        kind="placed",
        audience=Audience.CUSTOMER,
        channel="email",
        recipient="jeanne@example.fr",
        subject="Commande enregistrée",
        body="Bonjour",
    )
    start = threading.Barrier(8)

    def run(_: int) -> str:
        try:
            start.wait()
            return send_notification.call(notification.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(run, range(8)))

    assert len(mail.outbox) == 1
    assert "sent" in outcomes
    assert set(outcomes) <= {"sent", "sending"}  # the others found it taken
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)


@pytest.mark.django_db
def test_the_admin_lists_notifications_to_read_only(
    admin_client: Any, place: Callable[..., Order], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = place()
    notification = Notification.objects.get(order=order, audience=Audience.CUSTOMER)

    listing = admin_client.get(
        reverse("admin:notifications_notification_changelist"),
        {"status__exact": "sent", "channel__exact": "email"},
    )
    detail = admin_client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    adding = admin_client.get(reverse("admin:notifications_notification_add"))

    assert listing.status_code == 200
    assert "jeanne@example.fr" in listing.content.decode()
    assert detail.status_code == 200
    assert order.reference in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert adding.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_finished_tasks_kept_in_the_database_are_pruned_after_two_weeks(
    place: Callable[..., Order], settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    place()
    run_database_worker()
    old, recent = DBTaskResult.objects.order_by("pk")[:2]
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))

    prune_finished_tasks.call()

    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()


def bench_notification(key: str = "order-event:1:customer:email") -> Notification:
    return Notification.objects.create(
        key=key,
        kind="placed",
        audience=Audience.CUSTOMER,
        channel="email",
        recipient="jeanne@example.fr",
        subject="Commande enregistrée",
        body="Bonjour",
    )


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_leaves_the_message_queued_and_the_catch_up_sends_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notification = bench_notification()

    def killed(_: Notification) -> None:
        raise SystemExit("killed")  # the worker dies half-way: its transaction is rolled back

    with monkeypatch.context() as patched:
        patched.setattr(services, "_deliver", killed)
        with pytest.raises(SystemExit):
            send_notification.call(notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, mail.outbox) == (NotificationStatus.QUEUED, 0, [])

    notifications_catch_up(now=timezone.now() + services.LOST_AFTER - timedelta(seconds=30))
    assert mail.outbox == []  # its task may still be waiting in the queue
    notifications_catch_up(now=timezone.now() + services.LOST_AFTER + timedelta(seconds=30))
    notifications_catch_up(now=timezone.now() + services.LOST_AFTER + timedelta(seconds=60))

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [["jeanne@example.fr"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id(notification)


@pytest.mark.django_db
def test_the_catch_up_resends_a_message_past_its_retry_but_not_one_whose_retry_is_ahead() -> None:
    now = timezone.now()
    due = bench_notification("order-event:1:customer:email")
    waiting = bench_notification("order-event:2:customer:email")
    Notification.objects.filter(pk=due.pk).update(retry_at=now - services.LOST_AFTER - timedelta(minutes=1))
    Notification.objects.filter(pk=waiting.pk).update(
        retry_at=now + timedelta(minutes=30), updated_at=now - timedelta(hours=1)
    )

    notifications_catch_up(now=now)

    assert dict(Notification.objects.values_list("key", "status")) == {
        due.key: NotificationStatus.SENT,
        waiting.key: NotificationStatus.QUEUED,
    }
