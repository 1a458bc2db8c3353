"""Order events are announced to whom they concern, through the queue, retried, and never twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from centreville.accounts.tests.factories import UserFactory
from centreville.notifications.models import Audience, Channel, Notification, NotificationStatus
from centreville.notifications.services import (
    MAX_ATTEMPTS,
    notifications_catch_up,
    notifications_for_event,
    notify_order_event,
)
from centreville.notifications.sms import Sms
from centreville.notifications.tasks import send_notification
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.services import order_transition
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory

from .backends import FlakySmsBackend

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def sent_to(notifications: Any) -> set[tuple[str, str, str]]:
    return {(n.audience, n.channel, n.recipient) for n in notifications}


def test_a_new_order_tells_the_merchant_by_email_and_sms_and_the_customer_by_email(
    place: Callable[..., Order], django_capture_on_commit_callbacks: Capture, sms_outbox: list[Sms]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = place(contact="Jeanne@Example.fr")

    notifications = Notification.objects.filter(order=order)
    assert sent_to(notifications) == {
        (Audience.CUSTOMER, Channel.EMAIL, "jeanne@example.fr"),
        (Audience.MERCHANT, Channel.EMAIL, "boulangerie@example.fr"),
        (Audience.MERCHANT, Channel.EMAIL, "marie@example.fr"),
        (Audience.MERCHANT, Channel.SMS, "+33611223344"),
    }
    assert {n.status for n in notifications} == {NotificationStatus.SENT}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "boulangerie@example.fr",
        "jeanne@example.fr",
        "marie@example.fr",
    ]
    assert [sms.to for sms in sms_outbox] == ["+33611223344"]
    assert all(n.attempts == 1 and n.sent_at is not None for n in notifications)


def test_nothing_is_written_before_the_order_commits(place: Callable[..., Order]) -> None:
    order = place()  # the test's transaction never commits

    assert not Notification.objects.filter(order=order).exists()
    assert mail.outbox == []


def test_the_customer_hears_of_every_step_the_merchant_only_of_new_orders_and_cancellations(
    place: Callable[..., Order],
    shop: Shop,
    django_capture_on_commit_callbacks: Capture,
    sms_outbox: list[Sms],
) -> None:
    merchant = ShopMembershipFactory.create(shop=shop).user
    with django_capture_on_commit_callbacks(execute=True):
        order = place(contact="06 12 34 56 78")
    sms_outbox.clear()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for status in (OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.COLLECTED):
            order_transition(order=order, to_status=status, actor=merchant)

    assert [sms.to for sms in sms_outbox] == ["+33612345678"] * 3
    assert mail.outbox == []  # the merchant is not told of their own steps
    kinds = Notification.objects.filter(order=order, audience=Audience.CUSTOMER).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == ["accepted", "collected", "placed", "ready"]


def test_a_cancellation_by_the_customer_is_told_to_the_merchant_too(
    place: Callable[..., Order], django_capture_on_commit_callbacks: Capture
) -> None:
    guest_order = place()
    customer = UserFactory.create()
    signed_in_order = place(customer=customer)

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=guest_order, to_status=OrderStatus.CANCELLED, actor=None, as_customer=True)
        order_transition(order=signed_in_order, to_status=OrderStatus.CANCELLED, actor=customer)

    for order in (guest_order, signed_in_order):
        cancelled = Notification.objects.filter(order=order, kind=OrderStatus.CANCELLED)
        assert {n.audience for n in cancelled} == {Audience.CUSTOMER, Audience.MERCHANT}
        to_shop = cancelled.get(recipient="boulangerie@example.fr")
        assert to_shop.subject == f"Commande {order.reference} annulée par le client"
        to_customer = cancelled.get(audience=Audience.CUSTOMER)
        assert "Vous avez annulé votre commande chez Boulangerie Martin." in to_customer.body


def test_a_landline_or_unusable_contact_gets_no_message_and_a_landline_shop_no_sms(
    place: Callable[..., Order], shop: Shop, django_capture_on_commit_callbacks: Capture
) -> None:
    Shop.objects.filter(pk=shop.pk).update(phone="+33233000000")  # a landline in Orne
    shop.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        landline = place(contact="02 33 00 00 01")
        garbage = place(contact="demandez au voisin")

    for order in (landline, garbage):
        assert not Notification.objects.filter(order=order, audience=Audience.CUSTOMER).exists()
        assert not Notification.objects.filter(order=order, channel=Channel.SMS).exists()
        assert Notification.objects.filter(order=order, audience=Audience.MERCHANT).count() == 2


def test_the_same_event_notified_twice_is_written_and_sent_once(
    place: Callable[..., Order], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = place()
    event = OrderEvent.objects.get(order=order)
    count, emails = Notification.objects.count(), len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        notify_order_event(event)
        notify_order_event(event)
    added = notifications_for_event(event_id=event.pk)

    assert added == 0
    assert Notification.objects.count() == count
    assert len(mail.outbox) == emails
    assert [m.to for m in mail.outbox].count(["jeanne@example.fr"]) == 1


def test_the_send_task_run_twice_sends_once(place: Callable[..., Order]) -> None:
    order = place()
    notifications_for_event(event_id=OrderEvent.objects.get(order=order).pk)  # written, not sent yet
    customer = Notification.objects.get(order=order, audience=Audience.CUSTOMER)

    first = send_notification.enqueue(customer.pk)
    second = send_notification.enqueue(customer.pk)

    assert (first.return_value, second.return_value) == ("sent", "sent")
    assert [m.to for m in mail.outbox] == [["jeanne@example.fr"]]
    customer.refresh_from_db()
    assert (customer.status, customer.attempts) == (NotificationStatus.SENT, 1)


def test_a_message_being_sent_elsewhere_is_not_sent_again(place: Callable[..., Order]) -> None:
    order = place()
    notifications_for_event(event_id=OrderEvent.objects.get(order=order).pk)
    customer = Notification.objects.get(order=order, audience=Audience.CUSTOMER)
    Notification.objects.filter(pk=customer.pk).update(status=NotificationStatus.SENDING, attempts=1)

    assert send_notification.enqueue(customer.pk).return_value == "sending"
    assert mail.outbox == []


def test_a_failing_sms_provider_is_retried_until_it_works(
    place: Callable[..., Order],
    shop: Shop,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
    sms_outbox: list[Sms],
) -> None:
    settings.SMS_BACKEND = "centreville.notifications.tests.backends.FlakySmsBackend"
    Shop.objects.filter(pk=shop.pk).update(phone="")  # the customer's is the only SMS
    FlakySmsBackend.failures_left = 2

    with django_capture_on_commit_callbacks(execute=True):
        order = place(contact="07 81 23 45 67")

    sms = Notification.objects.get(order=order, audience=Audience.CUSTOMER)
    assert (sms.status, sms.attempts) == (NotificationStatus.SENT, 3)
    assert "SMS provider unreachable" in sms.last_error
    customer_messages = [m for m in sms_outbox if m.to == "+33781234567"]
    assert len(customer_messages) == 1


def test_a_message_is_given_up_after_five_failed_attempts(
    place: Callable[..., Order],
    shop: Shop,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
    sms_outbox: list[Sms],
) -> None:
    settings.SMS_BACKEND = "centreville.notifications.tests.backends.FlakySmsBackend"
    Shop.objects.filter(pk=shop.pk).update(phone="")  # the customer's is the only SMS
    FlakySmsBackend.failures_left = 1000

    with django_capture_on_commit_callbacks(execute=True):
        order = place(contact="07 81 23 45 67")

    sms = Notification.objects.get(order=order, audience=Audience.CUSTOMER)
    assert (sms.status, sms.attempts) == (NotificationStatus.FAILED, MAX_ATTEMPTS)
    assert sms.sent_at is None
    assert "ConnectionError" in sms.last_error
    assert sms_outbox == []
    assert send_notification.enqueue(sms.pk).return_value == "failed"  # and stays given up


def test_the_catch_up_writes_out_forgotten_events_and_resends_lost_tasks_but_not_interrupted_ones(
    place: Callable[..., Order], django_capture_on_commit_callbacks: Capture
) -> None:
    place()  # its task never ran: the on-commit callback was dropped
    now = timezone.now() + timedelta(minutes=10)
    lost = place(contact="lost@example.fr")
    interrupted = place(contact="interrupted@example.fr")
    for order in (lost, interrupted):
        notifications_for_event(event_id=OrderEvent.objects.get(order=order).pk)
    Notification.objects.filter(order=interrupted).update(status=NotificationStatus.SENDING)
    Notification.objects.filter(order__in=[lost, interrupted]).update(updated_at=now - timedelta(hours=4))

    with django_capture_on_commit_callbacks(execute=True):
        caught_up = notifications_catch_up(now=now)

    assert caught_up == 1
    recipients = [m.to[0] for m in mail.outbox]
    assert "jeanne@example.fr" in recipients  # the forgotten order's
    assert "lost@example.fr" in recipients
    assert "interrupted@example.fr" not in recipients
    assert set(Notification.objects.filter(order=interrupted).values_list("status", flat=True)) == {
        NotificationStatus.FAILED
    }
    assert set(Notification.objects.filter(order=lost).values_list("status", flat=True)) == {
        NotificationStatus.SENT
    }
