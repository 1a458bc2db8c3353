"""Polling of the towns' live feeds, one round at a time (`poll_feeds`, run by the periodic task
`tasks.poll_parking_feeds`).

Each enabled feed whose turn has come is read over HTTP (`core.outbound`: public addresses only, a timeout,
a size limit), parsed by the parser of its format and stored (`live.store_snapshot`). A feed that fails
(unreachable, an HTTP error, unreadable) keeps its French error and its count of failures in a row, and is
tried again later and later (`backoff`: 5, 10, 20… minutes, at most an hour); one feed failing never stops
the others. The town team sees both on its page: the last success, the last error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.db.models import Q
from django.utils.translation import gettext as _

from centreville.core import outbound

from .live import store_snapshot
from .models import Feed
from .parsers import FeedUnreadable, parse_feed

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
MAX_BYTES = 10 * 1024 * 1024
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=1)
USER_AGENT = "Centre-Ville en ligne (stationnement)"


class FeedFailed(Exception):
    """Reading a feed failed; the message is French, for the town team."""


def backoff(failures: int) -> timedelta:
    """How long after its `failures`-th failure in a row a feed is tried again."""
    return min(FIRST_RETRY * 2 ** max(0, failures - 1), LONGEST_RETRY)


def fetch(url: str, *, transport: httpx.BaseTransport | None = None) -> bytes:
    """The feed's bytes, or FeedFailed saying in French what went wrong (`core.outbound`: public addresses
    only, each redirect checked, a timeout and a size limit). `transport` replaces the network (tests)."""
    try:
        return outbound.fetch(
            url, timeout=TIMEOUT_SECONDS, max_bytes=MAX_BYTES, user_agent=USER_AGENT, transport=transport
        )
    except outbound.OutboundFailed as error:
        raise FeedFailed(str(error)) from error


@dataclass
class PollSummary:
    polled: int = 0
    succeeded: int = 0
    failed: list[int] = field(default_factory=list)
    readings: int = 0


def poll_feed(feed: Feed, *, at: datetime, transport: httpx.BaseTransport | None = None) -> bool:
    """Read, parse and store one feed now; record how it went on the feed. True if it succeeded."""
    try:
        data = fetch(feed.url, transport=transport)
        parsed = parse_feed(feed.format, data, feed.mapping, fetched_at=at)
        summary = store_snapshot(town_id=feed.town_id, parsed=parsed, at=at)
    except (FeedFailed, FeedUnreadable) as error:
        _failed(feed, str(error), at=at)
        return False
    except Exception:  # one feed's bug must not stop the round: it is logged, and the feed tried again later
        logger.exception("Parking feed %s failed", feed.pk)
        _failed(feed, _("Erreur inattendue en lisant le flux ; l'équipe technique est prévenue."), at=at)
        return False
    feed.last_success_at = at
    feed.consecutive_failures = 0
    feed.next_attempt_at = None
    feed.last_summary = summary.as_json()
    feed.save(update_fields=["last_success_at", "consecutive_failures", "next_attempt_at", "last_summary"])
    return True


def _failed(feed: Feed, message: str, *, at: datetime) -> None:
    feed.last_failure_at = at
    feed.consecutive_failures += 1
    feed.last_error = message
    feed.next_attempt_at = at + backoff(feed.consecutive_failures)
    feed.save(update_fields=["last_failure_at", "consecutive_failures", "last_error", "next_attempt_at"])


def poll_feeds(*, at: datetime, transport: httpx.BaseTransport | None = None) -> PollSummary:
    """One round: every enabled feed whose turn has come (never failed, or its backoff over)."""
    summary = PollSummary()
    due = Feed.objects.filter(enabled=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=at)
    )
    for feed in due.order_by("pk"):
        summary.polled += 1
        if poll_feed(feed, at=at, transport=transport):
            summary.succeeded += 1
            summary.readings += feed.last_summary.get("readings", 0)
        else:
            summary.failed.append(feed.pk)
    return summary
