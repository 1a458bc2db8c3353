"""The registry of periodic tasks: apps register theirs, the scheduler enqueues them all, with its time."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import task

from centreville.core import periodic

AT = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris"))  # the doubled hour of October
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


@pytest.mark.usefixtures("registry")
def test_each_round_enqueues_what_was_registered_and_gives_the_time_to_who_asked() -> None:
    periodic.register_periodic(tidy)
    periodic.register_periodic(report, pass_time=True)
    periodic.register_periodic(tidy)  # ready() ran twice: still one

    enqueued, failed = periodic.enqueue_round(at=AT)

    assert enqueued == [tidy.name, report.name]
    assert failed == []
    assert ran == [None, "2026-10-25T02:30:00+02:00"]


class Unreachable:
    """A task whose queue cannot be reached."""

    name = "unreachable"
    module_path = "tests.unreachable"

    def enqueue(self, **kwargs: Any) -> None:
        raise ConnectionError("queue unreachable")


@pytest.mark.usefixtures("registry")
def test_a_task_the_queue_refuses_does_not_stop_the_others() -> None:
    periodic.register_periodic(cast(Any, Unreachable()))
    periodic.register_periodic(report, pass_time=True)

    enqueued, failed = periodic.enqueue_round(at=AT)

    assert (enqueued, failed) == ([report.name], ["unreachable"])
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
    assert out.getvalue() == f"Enqueued: {tidy.name}\n"
