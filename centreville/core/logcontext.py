"""What every log line of a request, or of a task it queued, carries: the request's id and its town.

Kept apart from the middleware because the logging configuration loads `RequestContextFilter` before the
apps are ready: this module imports nothing of Django's.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_town: ContextVar[str | None] = ContextVar("town", default=None)

# A proxy's id (a UUID, a hex or base64url digest, a trace id) is kept; anything else could forge log lines.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")


# Where the request keeps its id: Django logs a 4xx answer (logger django.request) after every middleware.
REQUEST_ID_META_KEY = "centreville.request_id"


def request_id_from(header: str | None) -> str:
    """The incoming X-Request-ID when it is well formed, else a new one."""
    if header and WELL_FORMED_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def current_town() -> str | None:
    return _town.get()


def set_town(slug: str | None) -> None:
    """Name the town of the request being served (known once its URL is resolved)."""
    _town.set(slug)


@contextmanager
def bound(*, request_id: str | None, town: str | None = None) -> Iterator[None]:
    """Log lines written inside carry `request_id` (and `town`); the previous values come back after."""
    id_token = _request_id.set(request_id)
    town_token = _town.set(town)
    try:
        yield
    finally:
        _town.reset(town_token)
        _request_id.reset(id_token)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `town` to each record written inside a request or a task it queued."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get() or _request_id_of(getattr(record, "request", None))
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        town = _town.get()
        if town and not hasattr(record, "town"):
            record.town = town
        return True


def _request_id_of(request: object) -> str | None:
    meta = getattr(request, "META", None)
    return meta.get(REQUEST_ID_META_KEY) if isinstance(meta, dict) else None
