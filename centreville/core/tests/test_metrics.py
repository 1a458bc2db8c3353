"""Metrics in the Prometheus text format: requests by route name, durations, the task queue, task runs;
behind METRICS_TOKEN; and the counts of several processes added up (multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_tasks import task
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pytest_django.fixtures import Settings

from centreville.towns.tests.factories import TownFactory

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("DATABASE_URL", "REDIS_URL")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TOKEN = "a-long-token-only-prometheus-holds-0123456789"


@task()
def fails() -> None:
    raise ValueError("broken on purpose")


@task()
def succeeds() -> None:
    """Nothing to do."""


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client | None = None, **headers: str) -> str:
    response = (client or Client()).get("/sante/metriques/", headers=headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.mark.django_db
def test_after_a_request_the_metrics_count_it_by_route_name_and_status_class() -> None:
    TownFactory.create(slug="argentan")
    labels = {"method": "GET", "status_class": "2xx", "route": "showcase:home"}
    before = REGISTRY.get_sample_value("centreville_http_requests_total", labels) or 0.0

    Client().get("/argentan/")
    Client().get("/argentan/nulle-part/")
    found = samples(scrape())

    assert found[("centreville_http_requests_total", frozenset(labels.items()))] == before + 1
    not_found = {"method": "GET", "status_class": "4xx", "route": "unmatched"}
    assert found[("centreville_http_requests_total", frozenset(not_found.items()))] >= 1
    assert found[("centreville_http_request_duration_seconds_count", frozenset({("route", "showcase:home")}))]
    # Route names, never raw paths: one label per page, whatever the town or shop.
    assert "/argentan/" not in scrape()


@pytest.mark.django_db
def test_the_metrics_give_the_task_queue_depth(settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    succeeds.enqueue()
    succeeds.enqueue()

    found = samples(scrape())

    assert found[("centreville_task_queue_up", frozenset())] == 1
    assert found[("centreville_task_queue_depth", frozenset({("queue", "default")}))] == 2
    assert found[("centreville_task_queue_oldest_waiting_seconds", frozenset({("queue", "default")}))] >= 0


@pytest.mark.django_db
def test_the_metrics_say_when_the_queue_cannot_be_read(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}

    found = samples(scrape())

    assert found[("centreville_task_queue_up", frozenset())] == 0


@pytest.mark.django_db
def test_task_runs_and_failures_are_counted() -> None:
    failed = {"task": "centreville.core.tests.test_metrics.fails", "outcome": "failed"}
    succeeded = {"task": "centreville.core.tests.test_metrics.succeeds", "outcome": "succeeded"}
    failures_before = REGISTRY.get_sample_value("centreville_task_runs_total", failed) or 0.0
    successes_before = REGISTRY.get_sample_value("centreville_task_runs_total", succeeded) or 0.0

    fails.enqueue()  # the test profile runs tasks at once
    succeeds.enqueue()
    found = samples(scrape())

    assert found[("centreville_task_runs_total", frozenset(failed.items()))] == failures_before + 1
    assert found[("centreville_task_runs_total", frozenset(succeeded.items()))] == successes_before + 1


@pytest.mark.django_db
def test_with_a_token_only_its_holder_reads_the_metrics(settings: Settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    client = Client()

    anonymous = client.get("/sante/metriques/")
    wrong = client.get("/sante/metriques/", headers={"Authorization": "Bearer not-the-token"})
    text = scrape(client, Authorization=f"Bearer {TOKEN}")

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert b"centreville_" not in anonymous.content + wrong.content
    assert "centreville_task_queue_up" in text
    assert not anonymous.cookies
    assert "no-store" in anonymous["Cache-Control"]


COUNT_ONE_REQUEST = (
    "import django; django.setup(); from centreville.core import metrics; "
    "metrics.count_request(method='GET', status=200, route='platform_home', seconds=0.02)"
)
READ_THE_COUNTS = (
    "import django; django.setup(); from centreville.core import metrics; "
    "import sys; sys.stdout.write(b''.join(metrics._counted_here()).decode())"
)


def test_in_multiprocess_mode_the_counts_of_every_process_add_up(tmp_path: Path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        CENTREVILLE_VAR_DIR=str(tmp_path / "var"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(COUNT_ONE_REQUEST)  # two server workers, one request each
    run(COUNT_ONE_REQUEST)
    found = samples(run(READ_THE_COUNTS))

    labels = {"method": "GET", "status_class": "2xx", "route": "platform_home"}
    assert found[("centreville_http_requests_total", frozenset(labels.items()))] == 2
    assert (
        found[("centreville_http_request_duration_seconds_count", frozenset({("route", "platform_home")}))]
        == 2
    )
