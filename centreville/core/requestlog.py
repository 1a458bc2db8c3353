"""One log line per request, its id, its metrics, and the SQL queries slower than SLOW_QUERY_MS.

The line (logger `centreville.requests`) carries the request id, method, path (without its query string,
which may hold what people typed, nor the tokens that open a guest's order), status, duration, town and
number of SQL queries. The id comes from
the proxy's X-Request-ID when it is well formed, is sent back in X-Request-ID, is on every log line
written while the request is served, and follows the tasks it queues (`core.receivers`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

from . import logcontext, metrics

request_logger = logging.getLogger("centreville.requests")
sql_logger = logging.getLogger("centreville.sql")

REQUEST_ID_HEADER = "X-Request-ID"
# Load balancers ask every few seconds: their lines are kept out of the INFO log.
QUIET_PATHS = ("/sante/", "/sante/pret/")
SLOW_SQL_SHOWN_CHARS = 2000
# Parts of an address that open something to whoever holds them (a guest's order, an e-mail confirmation,
# a password reset): never written in the log.
SECRET_URL_PARTS = frozenset({"token", "key", "uidb36", "uidb64"})


class QueryWatch:
    """An execute wrapper (connection.execute_wrapper): counts queries, logs those slower than the
    threshold with their duration and SQL (never their parameters, which may be personal data)."""

    def __init__(self, *, slow_ms: float) -> None:
        self.slow_ms = slow_ms
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000
            if duration_ms >= self.slow_ms:
                sql_logger.warning(
                    "Slow SQL query: %.0f ms",
                    duration_ms,
                    extra={
                        "duration_ms": round(duration_ms, 1),
                        "database": context["connection"].alias,
                        "sql": str(sql)[:SLOW_SQL_SHOWN_CHARS],
                    },
                )


@contextmanager
def watched_queries() -> Iterator[QueryWatch]:
    """Count (and log when slow) every query of this thread's connections inside the block."""
    watch = QueryWatch(slow_ms=settings.SLOW_QUERY_MS)
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(watch))
        yield watch


def route_name(request: HttpRequest) -> str:
    """The matched URL pattern's name, never the raw path (which would make a label per shop or token)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def loggable_path(request: HttpRequest) -> str:
    """The path without its query string, with its secret parts replaced by "…"."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_PARTS and value:
                path = path.replace(str(value), "…")
    return path


class RequestLogMiddleware:
    """First of the middleware: times the whole answer, whatever the others do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = logcontext.request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.META[logcontext.REQUEST_ID_META_KEY] = request_id
        started = time.perf_counter()
        status = 500
        with logcontext.bound(request_id=request_id), watched_queries() as queries:
            try:
                response = self.get_response(request)
                status = response.status_code
            finally:
                self._record(request, request_id, status, time.perf_counter() - started, queries.count)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        logcontext.set_town(kwargs.get("town_slug"))

    def _record(
        self, request: HttpRequest, request_id: str, status: int, seconds: float, queries: int
    ) -> None:
        route = route_name(request)
        metrics.count_request(method=request.method or "", status=status, route=route, seconds=seconds)
        duration_ms = round(seconds * 1000, 1)
        path = loggable_path(request)
        request_logger.log(
            logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
            "%s %s %s %.0f ms, %s queries",
            request.method,
            path,
            status,
            duration_ms,
            queries,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": duration_ms,
                "town": logcontext.current_town(),
                "queries": queries,
            },
        )
