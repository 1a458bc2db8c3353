"""A session never has more confirmed registrations than seats, however many people register or cancel at
the same moment (PostgreSQL: real concurrent transactions, each in its own thread and connection)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.support import training
from centreville.support.models import Registration, RegistrationStatus, TrainingSession

from .factories_training import TrainingSessionFactory, merchant_of

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)
pytestmark = [pytest.mark.postgresql, needs_postgresql, pytest.mark.django_db(transaction=True)]


def _run_together(calls: list) -> list[str]:
    start = threading.Barrier(len(calls))

    def attempt(call) -> str:
        try:
            start.wait()
            call()
            return "ok"
        except ValidationError as error:
            return error.messages[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(attempt, calls))


def test_twenty_merchants_at_once_on_five_seats_make_five_confirmed_and_fifteen_waiting_in_order() -> None:
    session = TrainingSessionFactory.create(capacity=5)
    people = [merchant_of(session.town) for _ in range(20)]

    def registering(user, shop):
        return lambda: training.registration_create(
            session=TrainingSession.objects.get(pk=session.pk), user=user, shop=shop, at=NOW
        )

    answers = _run_together([registering(user, shop) for user, shop in people])

    assert answers == ["ok"] * 20
    rows = list(Registration.objects.filter(session=session).order_by("rank"))
    assert [r.rank for r in rows] == list(range(1, 21))
    assert [r.status for r in rows] == [RegistrationStatus.CONFIRMED] * 5 + [RegistrationStatus.WAITING] * 15
    # The order of arrival is the order of the ranks, and the waiting list follows it.
    assert [training.waiting_position(r) for r in rows[5:]] == list(range(1, 16))


def test_cancellations_and_registrations_at_once_never_go_over_capacity() -> None:
    session = TrainingSessionFactory.create(capacity=5)
    registered = [
        training.registration_create(session=session, user=user, shop=shop, at=NOW)
        for user, shop in (merchant_of(session.town) for _ in range(8))
    ]  # 5 confirmed, 3 waiting
    newcomers = [merchant_of(session.town) for _ in range(6)]

    def cancelling(registration):
        return lambda: training.registration_cancel(registration=registration, at=NOW)

    def registering(user, shop):
        return lambda: training.registration_create(
            session=TrainingSession.objects.get(pk=session.pk), user=user, shop=shop, at=NOW
        )

    calls = [cancelling(r) for r in registered[:4]] + [registering(u, s) for u, s in newcomers]
    answers = _run_together(calls)

    assert answers == ["ok"] * 10
    confirmed = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
    waiting = Registration.objects.filter(session=session, status=RegistrationStatus.WAITING)
    assert confirmed.count() == 5
    assert waiting.count() == 3 + 6 - 4
    # The 3 who were waiting before came first: all of them got a seat.
    assert set(registered[5:]) <= set(confirmed)
    # Nobody waits while a seat is free, and the waiting list is the latest arrivals.
    last_confirmed = max(confirmed.values_list("rank", flat=True))
    ranks_waiting = list(waiting.values_list("rank", flat=True))
    assert all(rank > 8 for rank in ranks_waiting)
    assert last_confirmed > 0


def test_more_seats_given_while_people_register_are_all_taken_in_order() -> None:
    session = TrainingSessionFactory.create(capacity=2)
    people = [merchant_of(session.town) for _ in range(6)]

    def registering(user, shop):
        return lambda: training.registration_create(
            session=TrainingSession.objects.get(pk=session.pk), user=user, shop=shop, at=NOW
        )

    def more_seats():
        return training.session_change_capacity(session=session, capacity=4, at=NOW)

    answers = _run_together([registering(u, s) for u, s in people] + [more_seats])

    assert answers == ["ok"] * 7
    statuses = list(
        Registration.objects.filter(session=session).order_by("rank").values_list("status", flat=True)
    )
    assert statuses == [RegistrationStatus.CONFIRMED] * 4 + [RegistrationStatus.WAITING] * 2
