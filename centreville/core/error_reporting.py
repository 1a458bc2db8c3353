"""Errors reported to Sentry (or a compatible server) when SENTRY_DSN is set; nothing is sent otherwise.

No personal data leaves: no cookies, headers' user data or IP address (send_default_pii off), no request
body (forms hold names and addresses), no local variables of the failing code. Each event is tagged with
the request id, to find its log lines.
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.types import Event


def start_error_reporting(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Called by the settings; does nothing without a DSN."""
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=tag_request_id,
    )


def tag_request_id(event: Event, hint: dict[str, Any]) -> Event:
    from .logcontext import current_request_id

    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
