"""The registry of periodic tasks: apps register theirs, the scheduler enqueues them all, with its time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from centreville.core import periodic
from centreville.core.management.commands import run_scheduler
from centreville.core.models import SchedulerRound

AT = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris"))  # the doubled hour of October
AT_UTC = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the same instant (the first 02:30, summer time)
ran: list[str | None] = []


@task()
def tidy() -> None:
    ran.append(None)


@task()
def report(at: str) -> None:
    ran.append(at)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periodic, "_registry", {})
    ran.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_each_round_enqueues_what_was_registered_and_gives_the_time_to_who_asked() -> None:
    periodic.register_periodic(tidy)
    periodic.register_periodic(report, pass_time=True)
    periodic.register_periodic(tidy)  # ready() ran twice: still one

    done = periodic.enqueue_round(at=AT)

    assert done == ([tidy.name, report.name], [])
    assert ran == [None, "2026-10-25T02:30:00+02:00"]


class Unreachable:
    """A task whose queue cannot be reached."""

    name = "unreachable"
    module_path = "tests.unreachable"

    def enqueue(self, **kwargs: Any) -> None:
        raise ConnectionError("queue unreachable")


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_a_task_the_queue_refuses_does_not_stop_the_others() -> None:
    periodic.register_periodic(cast(Any, Unreachable()))
    periodic.register_periodic(report, pass_time=True)

    done = periodic.enqueue_round(at=AT)

    assert done == ([report.name], ["unreachable"])
    assert ran == ["2026-10-25T02:30:00+02:00"]


def test_the_apps_register_their_tasks_and_core_knows_none() -> None:
    paths = [item.task.module_path for item in periodic.periodic_tasks()]

    assert {
        "centreville.orders.tasks.expire_orders",
        "centreville.notifications.tasks.send_reminders",
        "centreville.notifications.tasks.catch_up_notifications",
        "centreville.notifications.tasks.prune_finished_tasks",
        "centreville.payments.tasks.send_unsent_payments",
        "centreville.accounts.tasks.purge_personal_data",
        "centreville.observatory.tasks.make_monthly_reports",
    } <= set(paths)
    assert next(item for item in periodic.periodic_tasks() if "make_monthly_reports" in item.name).pass_time
    assert next(item for item in periodic.periodic_tasks() if "purge_personal_data" in item.name).pass_time
    assert not any(path.startswith("centreville.core.") for path in paths)


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_run_scheduler_once_enqueues_one_round_and_says_what() -> None:
    periodic.register_periodic(tidy)
    out = StringIO()

    call_command("run_scheduler", once=True, stdout=out)

    assert ran == [None]
    assert out.getvalue().endswith(f": enqueued {tidy.name}\n")


@pytest.fixture(params=["database", "redis"])
def cache_kind(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """Each test below runs with the lock in the database (the cache of one machine) and in Redis (the
    suite's run with REDIS_URL)."""
    if request.param == "redis" and not django_settings.REDIS_URL:
        pytest.skip("the lock in Redis is tested in the run with REDIS_URL")
    if request.param == "database":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_two_schedulers_in_the_same_period_enqueue_its_round_once(cache_kind: str) -> None:
    periodic.register_periodic(tidy)
    period = timedelta(minutes=5)

    first = periodic.enqueue_round(at=AT, period=period)
    second = periodic.enqueue_round(at=AT + timedelta(minutes=2), period=period)  # the other scheduler

    assert first == ([tidy.name], [])
    assert second is None
    assert ran == [None]
    assert SchedulerRound.objects.count() == (1 if cache_kind == "database" else 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_the_next_period_is_enqueued_again(cache_kind: str) -> None:
    periodic.register_periodic(tidy)
    period = timedelta(minutes=5)
    periodic.enqueue_round(at=AT, period=period)

    assert periodic.enqueue_round(at=AT + timedelta(minutes=4, seconds=59), period=period) is None
    assert periodic.enqueue_round(at=AT + timedelta(minutes=5), period=period) == ([tidy.name], [])
    assert periodic.enqueue_round(at=AT + timedelta(minutes=5, seconds=1), period=period) is None
    assert ran == [None, None]


def test_periods_start_on_the_clock_whatever_the_time_zone() -> None:
    period = timedelta(minutes=5)

    start = periodic.period_start(AT + timedelta(minutes=3, seconds=7), period)

    assert start == AT_UTC
    assert periodic.period_start(AT, period) == AT_UTC


@pytest.mark.django_db
def test_rounds_older_than_two_days_are_forgotten_when_a_new_one_is_claimed(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SchedulerRound.objects.create(period_start=AT_UTC - timedelta(days=3))
    SchedulerRound.objects.create(period_start=AT_UTC - timedelta(days=1))

    assert periodic.claim_round(AT_UTC, timedelta(minutes=5))

    assert sorted(SchedulerRound.objects.values_list("period_start", flat=True)) == [
        AT_UTC - timedelta(days=1),
        AT_UTC,
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_a_second_scheduler_says_the_round_was_enqueued_already(
    monkeypatch: pytest.MonkeyPatch, cache_kind: str
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)
    # It would close the test's connection, whose transaction holds the test's data.
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)
    periodic.register_periodic(tidy)
    call_command("run_scheduler", once=True, stdout=StringIO())
    out = StringIO()

    call_command("run_scheduler", once=True, stdout=out)

    assert ran == [None]
    assert "already enqueued by another scheduler" in out.getvalue()
