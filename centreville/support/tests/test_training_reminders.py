"""The reminder the day before a session: to each confirmed registrant, once, only in the 24 hours before
it starts (24 real hours, across the clock changes), whatever the number of runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.support import training
from centreville.support.models import Registration
from centreville.support.tasks import send_training_reminders
from centreville.support.training import training_send_reminders

from .factories_training import TrainingSessionFactory, merchant_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def session_with(starts_at: datetime, *, registrants: int = 2, capacity: int = 1):
    session = TrainingSessionFactory.create(starts_at=starts_at, capacity=capacity)
    for _ in range(registrants):
        user, shop = merchant_of(session.town)
        training.registration_create(session=session, user=user, shop=shop, at=starts_at - timedelta(days=10))
    return session


def test_nothing_is_sent_before_the_window_then_once_to_confirmed_people(
    django_capture_on_commit_callbacks,
) -> None:
    starts = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    session = session_with(starts)  # one confirmed, one waiting
    with django_capture_on_commit_callbacks(execute=True):
        assert training_send_reminders(at=starts - timedelta(hours=24, seconds=1)) == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert training_send_reminders(at=starts - timedelta(hours=24)) == 1
        assert training_send_reminders(at=starts - timedelta(hours=20)) == 0  # run again: nothing more
    confirmed = session.registrations.get(status="confirmed")
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].subject == f"Rappel : « {session.title} », jeudi 10 décembre, 14:00"
    assert "/accompagnement/formations/" in mail.outbox[0].body
    assert Registration.objects.get(pk=confirmed.pk).reminded_at == starts - timedelta(hours=24)


def test_a_session_already_started_or_cancelled_is_not_reminded() -> None:
    starts = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    session = session_with(starts, registrants=1)
    assert training_send_reminders(at=starts) == 0
    training.session_cancel(session=session, at=starts - timedelta(days=2))
    assert training_send_reminders(at=starts - timedelta(hours=2)) == 0


@pytest.mark.parametrize(
    ("starts", "window_opens"),
    [
        # Sunday 29 March 2026, clocks go forward at 2:00: 24 hours before 10:00 is 9:00 the day before.
        (datetime(2026, 3, 29, 10, 0, tzinfo=PARIS), datetime(2026, 3, 28, 9, 0, tzinfo=PARIS)),
        # Sunday 25 October 2026, clocks go back at 3:00: 24 hours before 10:00 is 11:00 the day before.
        (datetime(2026, 10, 25, 10, 0, tzinfo=PARIS), datetime(2026, 10, 24, 11, 0, tzinfo=PARIS)),
    ],
)
def test_the_window_is_24_real_hours_across_clock_changes(starts: datetime, window_opens: datetime) -> None:
    session_with(starts, registrants=1)
    assert training_send_reminders(at=window_opens - timedelta(minutes=1)) == 0
    assert training_send_reminders(at=window_opens) == 1


def test_a_session_moved_later_is_reminded_again_before_its_new_time(
    django_capture_on_commit_callbacks,
) -> None:
    starts = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    session = session_with(starts, registrants=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert training_send_reminders(at=starts - timedelta(hours=3)) == 1
    later = starts + timedelta(days=7)
    data = training.SessionData(
        title=session.title,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        capacity=1,
        place=session.place,
    )
    training.session_update(session=session, data=data, at=starts - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert training_send_reminders(at=starts) == 0
        assert training_send_reminders(at=later - timedelta(hours=1)) == 1
    assert len(mail.outbox) == 2


def test_the_periodic_task_takes_the_round_time_and_costs_one_query_when_nothing_is_due() -> None:
    starts = datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    session_with(starts, registrants=1)
    with CaptureQueriesContext(connection) as queries:
        result = send_training_reminders.call((starts - timedelta(days=3)).isoformat())
    assert result == 0
    assert len(queries) == 1
    assert send_training_reminders.call((starts - timedelta(hours=1)).isoformat()) == 1


def test_the_task_is_registered_with_the_round_time() -> None:
    from centreville.core.periodic import periodic_tasks

    registered = {p.task.module_path: p.pass_time for p in periodic_tasks()}
    assert registered["centreville.support.tasks.send_training_reminders"] is True
