"""The platform's metrics, in the Prometheus text format (prometheus-client).

Every counter is defined here, in core, and incremented by the apps that know the event (a lower app never
imports a higher one): requests by `core.requestlog`, task runs by `core.receivers`, messages by
`notifications`, webhook events by `payments`. Labels take few values (a route's name, never a raw path).

Several gunicorn workers and task workers must add up. We use prometheus-client's multiprocess mode, not
counters in Redis: when PROMETHEUS_MULTIPROC_DIR names a directory, each process adds to its own
memory-mapped file there (no network round trip on every request, and counting goes on when Redis is
down, which is when it matters), and a scrape sums the files of every process of the machine. Several
machines are scraped one by one and added up by Prometheus, as usual. The directory must be emptied when
the service starts (not while it runs: the counts of workers that ended are part of the totals).
Without it (a developer's machine, the tests) each process counts for itself.

The task queue's depth is read from the queue at each scrape (`TaskQueueCollector`), not counted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Made by the settings when it is missing.
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "centreville_http_requests",
    "Requests answered, by method, status class (2xx…) and route name.",
    ["method", "status_class", "route"],
)
REQUEST_DURATION = Histogram(
    "centreville_http_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASK_RUNS = Counter(
    "centreville_task_runs",
    "Tasks run by a worker, by task and outcome (succeeded, failed).",
    ["task", "outcome"],
)
MESSAGES_SENT = Counter(
    "centreville_messages_sent",
    "E-mails and text messages handed to the provider, by channel.",
    ["channel"],
)
MESSAGES_FAILED = Counter(
    "centreville_messages_failed",
    "Failed sends of e-mails and text messages, by channel; final=yes when no retry is left.",
    ["channel", "final"],
)
WEBHOOK_EVENTS = Counter(
    "centreville_webhook_events",
    "Payment provider webhook deliveries, by provider, event type and outcome "
    "(applied, ignored, duplicate, mismatch, invalid).",
    ["provider", "type", "outcome"],
)


def count_request(*, method: str, status: int, route: str, seconds: float) -> None:
    method = method if method in HTTP_METHODS else "other"
    REQUESTS.labels(method=method, status_class=f"{status // 100}xx", route=route).inc()
    REQUEST_DURATION.labels(route=route).observe(seconds)


def count_task_run(*, task: str, failed: bool) -> None:
    TASK_RUNS.labels(task=task, outcome="failed" if failed else "succeeded").inc()


def count_message_sent(*, channel: str) -> None:
    MESSAGES_SENT.labels(channel=channel).inc()


def count_message_failed(*, channel: str, final: bool) -> None:
    MESSAGES_FAILED.labels(channel=channel, final="yes" if final else "no").inc()


def count_webhook_event(*, provider: str, event_type: str, outcome: str) -> None:
    WEBHOOK_EVENTS.labels(provider=provider, type=event_type, outcome=outcome).inc()


class TaskQueueCollector(Collector):
    """The task queue as it is at the scrape: tasks waiting, tasks waiting for a later time, the age of the
    oldest waiting one, and whether the queue answered at all."""

    def __init__(self, *, at: datetime) -> None:
        self.at = at

    def collect(self) -> Iterable[Metric]:
        from .health import QueueUnreachable, task_queue_states

        up = GaugeMetricFamily("centreville_task_queue_up", "1 when the task queue answered the scrape.")
        waiting = GaugeMetricFamily(
            "centreville_task_queue_depth", "Tasks ready to run, waiting for a worker.", labels=["queue"]
        )
        scheduled = GaugeMetricFamily(
            "centreville_task_queue_scheduled", "Tasks waiting for a later time (retries).", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "centreville_task_queue_oldest_waiting_seconds",
            "How long the oldest task ready to run has waited.",
            labels=["queue"],
        )
        try:
            states = task_queue_states(at=self.at)
        except QueueUnreachable:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for state in states:
            waiting.add_metric([state.queue], state.waiting)
            scheduled.add_metric([state.queue], state.scheduled)
            oldest.add_metric([state.queue], state.oldest_waiting_seconds or 0.0)
        yield from (up, waiting, scheduled, oldest)


def _counted_here() -> Iterator[bytes]:
    if MULTIPROCESS_DIR:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=MULTIPROCESS_DIR)
        yield generate_latest(registry)
    else:
        yield generate_latest(REGISTRY)


def metrics_text(*, at: datetime) -> bytes:
    """Every metric in the Prometheus text format: the counts of every process, then the task queue."""
    queue = CollectorRegistry()
    queue.register(TaskQueueCollector(at=at))
    return b"".join([*_counted_here(), generate_latest(queue)])
