"""`/sante/` says the process answers, without the database; `/sante/pret/` whether the database, the
cache and the task queue answer (200 or 503, never a 500), with the queue's depth and oldest waiting task."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_tasks import task
from pytest_django.fixtures import Settings

from centreville.core import health
from centreville.towns.validators import RESERVED_SLUGS

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# Nothing listens on port 1: connecting is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@task()
def waits_in_the_queue() -> None:
    """A task for the queue to hold: no worker runs it in these tests."""


def assert_never_cached_nor_cookied(response: Any) -> None:
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_liveness_answers_without_touching_the_database() -> None:
    # No django_db mark: any query would fail the test.
    response = Client().get("/sante/")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert_never_cached_nor_cookied(response)


def test_sante_is_no_town_address() -> None:
    assert "sante" in RESERVED_SLUGS


@pytest.mark.django_db
def test_readiness_is_200_when_database_cache_and_queue_answer() -> None:
    response = Client().get("/sante/pret/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["state"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
    }
    assert_never_cached_nor_cookied(response)


@pytest.mark.django_db
def test_readiness_gives_the_database_queue_depth_and_its_oldest_waiting_task(settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    waits_in_the_queue.enqueue()
    waits_in_the_queue.enqueue()
    waits_in_the_queue.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()

    [state] = health.task_queue_states(at=timezone.now() + timedelta(minutes=5))
    response = Client().get("/sante/pret/")

    assert (state.backend, state.queue, state.waiting, state.scheduled) == ("database", "default", 2, 1)
    assert state.oldest_waiting_seconds is not None
    assert 300 <= state.oldest_waiting_seconds < 360
    queue = response.json()["checks"]["queue"]
    assert queue["backend"] == "database"
    assert queue["queues"]["default"]["waiting"] == 2
    assert queue["queues"]["default"]["scheduled"] == 1
    assert queue["queues"]["default"]["oldest_waiting_seconds"] >= 0


@pytest.mark.django_db
def test_a_deferred_task_waits_from_the_time_it_was_due(settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    due = timezone.now() + timedelta(minutes=10)
    waits_in_the_queue.using(run_after=due).enqueue()

    [state] = health.task_queue_states(at=due + timedelta(seconds=30))

    assert (state.waiting, state.scheduled, state.oldest_waiting_seconds) == (1, 0, 30.0)


@pytest.mark.django_db
def test_readiness_is_503_when_the_cache_is_unreachable(settings: Settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": UNREACHABLE_REDIS}}

    response = Client().get("/sante/pret/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"]["state"] == "ok"
    assert body["checks"]["cache"]["state"] == "error"
    assert body["checks"]["cache"]["error"]  # the exception's class, never its message
    assert_never_cached_nor_cookied(response)


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_is_unreachable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_QUEUE

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/sante/pret/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["database"]["state"], checks["database"]["error"]) == ("error", "OperationalError")
    assert checks["cache"]["state"] == "ok"
    # The database queue lives in the database.
    assert (checks["queue"]["state"], checks["queue"]["error"]) == ("error", "OperationalError")
    assert b"10.0.0.5" not in response.content


@pytest.mark.django_db
def test_readiness_is_503_when_the_redis_queue_is_unreachable(settings: Settings) -> None:
    settings.TASKS = RQ_QUEUE
    settings.RQ_QUEUES = {"default": {"URL": UNREACHABLE_REDIS}}

    response = Client().get("/sante/pret/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["queue"]["state"] == "error"
    assert checks["queue"]["error"] == "ConnectionError"
    assert checks["database"]["state"] == checks["cache"]["state"] == "ok"


@pytest.mark.django_db
def test_readiness_answers_503_not_500_whatever_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(health, "readiness", broken)

    response = Client().get("/sante/pret/")

    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db
def test_readiness_gives_the_rq_queue_depth_and_its_oldest_waiting_task(settings: Settings) -> None:
    import django_rq

    # This test worker's own Redis database: the one its cache uses.
    settings.RQ_QUEUES = {"default": {"URL": settings.CACHES["default"]["LOCATION"]}}
    settings.TASKS = RQ_QUEUE
    queue = django_rq.get_queue("default")
    queue.empty()
    try:
        waits_in_the_queue.enqueue()
        waits_in_the_queue.enqueue()

        [state] = health.task_queue_states(at=timezone.now() + timedelta(minutes=2))
        response = Client().get("/sante/pret/")
    finally:
        queue.empty()

    assert (state.backend, state.waiting) == ("rq", 2)
    assert state.oldest_waiting_seconds is not None
    assert 120 <= state.oldest_waiting_seconds < 180
    assert response.status_code == 200
    assert response.json()["checks"]["queue"]["queues"]["default"]["waiting"] == 2


@pytest.mark.django_db
def test_load_balancers_probing_over_http_are_answered_not_redirected_to_https(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True  # as in production

    client = Client()

    assert client.get("/sante/").status_code == 200
    assert client.get("/sante/pret/").status_code == 200
    assert client.get("/").status_code == 301
