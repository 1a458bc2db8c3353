"""One JSON line per request (id, method, path, status, duration, town, queries), its id sent back and carried
into the tasks it queues, and slow SQL queries logged with their duration."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tasks import task
from pytest_django.fixtures import Settings
from pythonjsonlogger.json import JsonFormatter

from centreville.core.logcontext import RequestContextFilter, current_request_id
from centreville.core.requestlog import RequestLogMiddleware
from centreville.towns.tests.factories import TownFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
INCOMING_ID = "proxy-4f1c2a9e-77b0-4c55-9d1e-0a3b5c7d9e11"
task_logger = logging.getLogger("centreville.core.tests.task")
seen_by_tasks: list[str | None] = []


@task()
def logs_a_line() -> None:
    seen_by_tasks.append(current_request_id())
    task_logger.warning("the task ran")


def field(record: logging.LogRecord, name: str) -> Any:
    """A field the request context (or `extra=`) added to the record."""
    return record.__dict__.get(name)


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "centreville.requests"]


def as_json(record: logging.LogRecord) -> dict[str, Any]:
    """The record as the configured JSON formatter writes it."""
    options = {k: v for k, v in django_settings.LOGGING["formatters"]["json"].items() if k != "()"}
    return json.loads(JsonFormatter(**options).format(record))


@pytest.fixture
def context_in_records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Records caught as the console handler sees them: with the request's id and town."""
    caplog.handler.addFilter(RequestContextFilter())
    caplog.set_level(logging.INFO)
    return caplog


@pytest.mark.django_db
def test_each_request_writes_one_json_line_with_its_id_town_status_duration_and_queries(
    context_in_records: pytest.LogCaptureFixture,
) -> None:
    town = TownFactory.create(slug="argentan")

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"/{town.slug}/?q=jeanne", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert response.status_code == 200
    assert response["X-Request-ID"] == INCOMING_ID
    [record] = request_lines(context_in_records)
    line = as_json(record)
    assert line["request_id"] == INCOMING_ID
    assert (line["method"], line["path"], line["status"]) == ("GET", "/argentan/", 200)
    assert line["town"] == "argentan"
    assert line["queries"] == len(queries) > 0
    assert line["duration_ms"] > 0
    assert line["route"] == "showcase:home"
    assert (line["level"], line["logger"]) == ("INFO", "centreville.requests")
    assert "time" in line
    assert "jeanne" not in json.dumps(line)  # the query string may hold what people typed


@pytest.mark.django_db
def test_the_token_that_opens_a_guest_s_order_is_not_logged(
    context_in_records: pytest.LogCaptureFixture,
) -> None:
    TownFactory.create(slug="argentan")

    Client().get("/argentan/commande/s3cr3t-order-token/")

    [record] = request_lines(context_in_records)
    assert field(record, "path") == "/argentan/commande/…/"
    assert "s3cr3t" not in record.getMessage()


@pytest.mark.django_db
def test_a_malformed_incoming_request_id_is_replaced(context_in_records: pytest.LogCaptureFixture) -> None:
    response = Client().get("/", HTTP_X_REQUEST_ID='forged"\n{"level": "ERROR"}')

    given = response["X-Request-ID"]
    assert len(given) == 32
    assert int(given, 16) >= 0
    [record] = request_lines(context_in_records)
    assert field(record, "request_id") == given
    assert field(record, "town") is None


@pytest.mark.django_db
def test_django_s_own_line_about_a_refused_request_carries_its_id(
    context_in_records: pytest.LogCaptureFixture,
) -> None:
    # Django writes it after every middleware has answered.
    Client().get("/argentan/nulle-part/", HTTP_X_REQUEST_ID=INCOMING_ID)

    [refused] = [r for r in context_in_records.records if r.name == "django.request"]
    assert refused.getMessage().startswith("Not Found")
    assert field(refused, "request_id") == INCOMING_ID


@pytest.mark.django_db
def test_every_line_written_during_the_request_carries_its_id(
    context_in_records: pytest.LogCaptureFixture,
) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        logging.getLogger("centreville.somewhere").warning("something worth knowing")
        return HttpResponse("ok")

    RequestLogMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=INCOMING_ID))

    [inside] = [r for r in context_in_records.records if r.name == "centreville.somewhere"]
    assert field(inside, "request_id") == INCOMING_ID
    assert current_request_id() is None  # and nothing is left once answered


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_during_a_request_logs_with_its_request_id(
    settings: Settings, context_in_records: pytest.LogCaptureFixture
) -> None:
    settings.TASKS = DATABASE_QUEUE
    seen_by_tasks.clear()

    def view(request: HttpRequest) -> HttpResponse:
        logs_a_line.enqueue()
        return HttpResponse("queued")

    RequestLogMiddleware(view)(RequestFactory().post("/", HTTP_X_REQUEST_ID=INCOMING_ID))
    assert seen_by_tasks == []  # it waits for a worker
    tasks_logger = logging.getLogger("django_tasks")
    level = tasks_logger.level
    try:
        # Outside any request; verbosity 1 logs each task's start and end, as a worker started by hand does.
        call_command("run_worker", batch=True, verbosity=1)
    finally:
        tasks_logger.setLevel(level)

    assert seen_by_tasks == [INCOMING_ID]
    [task_line] = [r for r in context_in_records.records if r.name == task_logger.name]
    assert field(task_line, "request_id") == INCOMING_ID
    starts_and_ends = [r for r in context_in_records.records if r.name == "django_tasks"]
    assert [r.getMessage().rpartition("state=")[2] for r in starts_and_ends] == ["RUNNING", "SUCCESSFUL"]
    assert {field(r, "request_id") for r in starts_and_ends} == {INCOMING_ID}
    assert current_request_id() is None


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_with_redis_a_task_run_by_rq_logs_with_its_request_id(
    settings: Settings, context_in_records: pytest.LogCaptureFixture
) -> None:
    import django_rq
    from django_tasks_rq import Job

    settings.RQ_QUEUES = {"default": {"URL": settings.CACHES["default"]["LOCATION"]}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    seen_by_tasks.clear()

    def view(request: HttpRequest) -> HttpResponse:
        logs_a_line.enqueue()
        return HttpResponse("queued")

    RequestLogMiddleware(view)(RequestFactory().post("/", HTTP_X_REQUEST_ID=INCOMING_ID))
    django_rq.get_worker("default", job_class=Job, worker_class="rq.SimpleWorker").work(burst=True)
    queue.empty()

    assert seen_by_tasks == [INCOMING_ID]
    [task_line] = [r for r in context_in_records.records if r.name == task_logger.name]
    assert field(task_line, "request_id") == INCOMING_ID


@pytest.mark.django_db
def test_queries_slower_than_the_threshold_are_logged_with_their_duration_and_without_their_parameters(
    settings: Settings, context_in_records: pytest.LogCaptureFixture
) -> None:
    TownFactory.create(slug="argentan")
    settings.SLOW_QUERY_MS = 0  # every query is "slow"

    Client().get("/argentan/")

    slow = [r for r in context_in_records.records if r.name == "centreville.sql"]
    assert slow
    line = as_json(slow[0])
    assert line["level"] == "WARNING"
    assert line["duration_ms"] >= 0
    assert line["sql"].upper().startswith("SELECT")
    assert line["request_id"] == field(slow[0], "request_id")
    assert all("argentan" not in field(r, "sql") for r in slow)  # placeholders, never the values


@pytest.mark.django_db
def test_queries_under_the_threshold_are_not_logged(
    settings: Settings, context_in_records: pytest.LogCaptureFixture
) -> None:
    TownFactory.create(slug="argentan")
    settings.SLOW_QUERY_MS = 60_000

    Client().get("/argentan/")

    assert [r for r in context_in_records.records if r.name == "centreville.sql"] == []
