"""Polling the feeds: one failing feed never stops the others; it is tried again later and later, and the
town team sees its last error and last success. No request leaves this machine: httpx's mock transport."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from centreville.core.periodic import periodic_tasks
from centreville.core.tests.fake_dns import resolve_as
from centreville.parking import polling, tasks
from centreville.parking.models import CarPark, Feed, FeedFormat, Reading
from centreville.towns.models import Town

from .factories import CarParkFactory, FeedFactory

FILES = Path(__file__).parent / "files"
AT = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)


def _transport(answers: dict[str, httpx.Response | Exception]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "127.0.0.1"
        answer = answers[request.url.path]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler)


@pytest.fixture
def feeds(argentan: Town) -> dict[str, Feed]:
    CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=120, feed_ref="P-MARCHE")
    CarParkFactory.create(town=argentan, ref="61006-P-002", capacity=65, feed_ref="P-GERMAIN")
    CarParkFactory.create(town=argentan, ref="61006-P-003", capacity=400, feed_ref="2ee-90")
    return {
        "datex": FeedFactory.create(
            town=argentan, url="http://127.0.0.1/datex.xml", format=FeedFormat.DATEX2
        ),
        "broken": FeedFactory.create(
            town=argentan, url="http://127.0.0.1/broken.json", format=FeedFormat.NGSI_V2
        ),
        "ods": FeedFactory.create(
            town=argentan, url="http://127.0.0.1/ods.json", format=FeedFormat.OPENDATASOFT
        ),
        "disabled": FeedFactory.create(town=argentan, url="http://127.0.0.1/off.json", enabled=False),
    }


def test_one_failing_feed_never_stops_the_others(feeds: dict[str, Feed]) -> None:
    transport = _transport(
        {
            "/datex.xml": httpx.Response(200, content=(FILES / "datex2_v2.xml").read_bytes()),
            "/broken.json": httpx.ConnectError("Connection refused"),
            "/ods.json": httpx.Response(200, content=(FILES / "ods_strasbourg_v21.json").read_bytes()),
        }
    )

    summary = polling.poll_feeds(at=AT, transport=transport)

    assert (summary.polled, summary.succeeded, summary.failed) == (3, 2, [feeds["broken"].pk])
    datex = Feed.objects.get(pk=feeds["datex"].pk)
    assert (datex.last_success_at, datex.consecutive_failures, datex.last_error) == (AT, 0, "")
    assert datex.last_summary["readings"] == 2
    broken = Feed.objects.get(pk=feeds["broken"].pk)
    assert broken.last_error == "Téléchargement impossible : Connection refused"
    assert (broken.consecutive_failures, broken.last_failure_at) == (1, AT)
    assert broken.next_attempt_at == AT + timedelta(minutes=5)
    # Strasbourg's records carry no time: dated when read.
    assert CarPark.objects.get(feed_ref="2ee-90").live_observed_at == AT
    assert Reading.objects.count() == 3


def test_a_failing_feed_is_tried_later_and_later_then_recovers(feeds: dict[str, Feed]) -> None:
    for feed in ("datex", "ods"):
        Feed.objects.filter(pk=feeds[feed].pk).update(enabled=False)
    failing = _transport({"/broken.json": httpx.Response(503)})

    polling.poll_feeds(at=AT, transport=failing)
    assert polling.poll_feeds(at=AT + timedelta(minutes=4), transport=failing).polled == 0  # waiting
    polling.poll_feeds(at=AT + timedelta(minutes=5), transport=failing)
    broken = Feed.objects.get(pk=feeds["broken"].pk)
    assert broken.consecutive_failures == 2
    assert broken.next_attempt_at == AT + timedelta(minutes=15)
    assert broken.last_error == "Le serveur a répondu 503 (erreur HTTP) à l'adresse donnée."

    entity = [
        {
            "id": "61006-P-001",
            "type": "OffStreetParking",
            "availableSpotNumber": 7,
            "totalSpotNumber": 120,
            "dateModified": "2026-03-28T10:14:00Z",
        }
    ]
    working = _transport({"/broken.json": httpx.Response(200, content=json.dumps(entity).encode())})
    assert polling.poll_feeds(at=AT + timedelta(minutes=15), transport=working).succeeded == 1
    broken.refresh_from_db()
    assert (broken.consecutive_failures, broken.next_attempt_at) == (0, None)
    assert broken.last_success_at == AT + timedelta(minutes=15)
    # Kept for the town team after a success.
    assert broken.last_error == "Le serveur a répondu 503 (erreur HTTP) à l'adresse donnée."


def test_an_unreadable_feed_or_a_timeout_is_a_failure_with_a_french_message(feeds: dict[str, Feed]) -> None:
    transport = _transport(
        {
            "/datex.xml": httpx.Response(200, content=(FILES / "datex2_truncated.xml").read_bytes()),
            "/broken.json": httpx.ReadTimeout("slow"),
            "/ods.json": httpx.Response(200, content=b"<html>Maintenance</html>"),
        }
    )
    polling.poll_feeds(at=AT, transport=transport)
    errors = dict(Feed.objects.filter(enabled=True).values_list("pk", "last_error"))
    assert errors[feeds["datex"].pk].startswith("Le flux DATEX II n'est pas du XML valide")
    assert errors[feeds["broken"].pk] == "Le serveur n'a pas répondu à temps (10 s)."
    assert errors[feeds["ods"].pk].startswith("Le flux n'est pas du JSON valide")
    assert not Reading.objects.exists()


def test_backoff_grows_to_an_hour() -> None:
    assert [polling.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 5, 6, 10)] == [
        5,
        10,
        20,
        40,
        60,
        60,
        60,
    ]


def test_the_tasks_are_registered_and_run_with_the_rounds_time(
    feeds: dict[str, Feed], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {periodic.name for periodic in periodic_tasks() if periodic.pass_time}
    assert {"poll_parking_feeds", "downsample_parking_readings"} <= names
    seen: list[datetime] = []

    def poll(at: datetime) -> polling.PollSummary:
        seen.append(at)
        return polling.PollSummary(succeeded=2)

    monkeypatch.setattr(tasks, "poll_feeds", poll)
    assert tasks.poll_parking_feeds.call(at=AT.isoformat()) == 2
    assert seen == [AT]
    assert tasks.downsample_parking_readings.call(at=AT.isoformat()) == 0


PRIVATE_FEEDS = {
    "http://127.0.0.1/flux.json": "127.0.0.1",
    "http://10.0.0.1/flux.json": "10.0.0.1",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254",
    "http://[::1]/flux.json": "::1",
    "https://parkings.intranet.example/flux.json": "parkings.intranet.example",
}


def test_a_feed_off_the_internet_is_refused_and_the_town_team_is_told_why(
    argentan: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []

    def network(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, content=b"[]")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", network)
    resolve_as(
        monkeypatch, {"parkings.intranet.example": "192.168.10.20", "data.example.org": "93.184.216.34"}
    )
    for url in [*PRIVATE_FEEDS, "https://data.example.org/flux.json"]:
        FeedFactory.create(town=argentan, url=url, format=FeedFormat.NGSI_V2)

    summary = polling.poll_feeds(at=AT)  # the real network: the address check is on

    assert (summary.polled, summary.succeeded) == (6, 1)
    errors = dict(Feed.objects.values_list("url", "last_error"))
    for url, host in PRIVATE_FEEDS.items():
        assert errors[url] == f"L'adresse « {host} » n'est pas sur Internet : elle ne peut pas être lue."
    assert errors["https://data.example.org/flux.json"] == ""
    assert sent == ["https://data.example.org/flux.json"]  # no request reached a private address
