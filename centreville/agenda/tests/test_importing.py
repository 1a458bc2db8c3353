"""Imports of real-looking calendars: OpenAgenda exports, Google, Outlook and hand-made iCalendar files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from centreville.agenda.calendar_feeds import agenda_calendar
from centreville.agenda.importing.base import AUTO, ICAL, OPENAGENDA, ImportFailed, SourceFile
from centreville.agenda.importing.ical import NO_UID, read_calendar
from centreville.agenda.importing.openagenda import read_export
from centreville.agenda.importing.storing import import_file
from centreville.agenda.models import Event, EventKind, EventStatus, Occurrence, PlaceKind
from centreville.agenda.recurrence import occurrences_between
from centreville.core.pagecache import town_versions
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def run(town: Town, name: str, *, data: bytes | None = None, kind: str = EventKind.OTHER, file_format=AUTO):
    source = SourceFile(name, data if data is not None else (FILES / name).read_bytes())
    return import_file(
        town=town, source=source, file_format=file_format, default_kind=kind, actor=None, at=AT
    )


def outcomes(report) -> dict[str, tuple[str, str]]:
    return {item.uid or item.title: (item.outcome, item.reason) for item in report.items}


def local(value: datetime) -> datetime:
    return value.astimezone(PARIS).replace(tzinfo=None)


# --- OpenAgenda ----------------------------------------------------------------------------------------


def test_an_openagenda_export_is_imported_with_each_skipped_event_and_why(town: Town) -> None:
    report = run(town, "openagenda-argentan.json")

    assert report.format == OPENAGENDA
    assert (report.created, report.updated, report.skipped) == (4, 0, 5)
    found = outcomes(report)
    assert found["71554355"][0] == "skipped"
    assert "deux dates se chevauchent" in found["71554355"][1]
    assert "plus de 24 heures" in found["71554360"][1]
    assert "finit avant de commencer" in found["71554366"][1]
    assert "autre commune" in found["71554371"][1]
    assert "61508" in found["71554371"][1]
    assert found["Atelier sans identifiant"] == (
        "skipped",
        "événement sans UID : impossible de le reconnaître à l'import suivant",
    )
    assert Event.objects.filter(town=town).count() == 4


def test_eight_hundred_timings_become_the_events_dates(town: Town) -> None:
    run(town, "openagenda-argentan.json")
    export = json.loads((FILES / "openagenda-argentan.json").read_text())["events"][0]

    event = Event.objects.get(town=town, source=OPENAGENDA, source_uid="71554102")
    assert len(event.timings) == 800
    assert Occurrence.objects.filter(event=event).count() == 800
    expected = [
        (datetime.fromisoformat(timing["begin"]), datetime.fromisoformat(timing["end"]))
        for timing in export["timings"]
    ]
    stored = list(Occurrence.objects.filter(event=event).values_list("starts_at", "ends_at"))
    assert stored == expected
    assert event.starts_at == expected[0][0]
    assert event.ends_at == expected[-1][1]
    assert event.timings[0] == ["2026-10-01T18:00:00", "2026-10-01T20:00:00"]
    assert event.title == "Lectures du soir à la médiathèque"
    assert event.description.startswith("Chaque soir, des bénévoles")
    assert "02 33 12 34 56" in event.description
    assert event.registration_url == "https://mediatheque.argentan.fr/lectures"
    assert event.accessibility == ["hi", "mi"]
    assert event.venue_name == "Médiathèque François-Mitterrand"
    assert str(event.latitude) == "48.744100"
    assert event.is_free
    assert event.price_details == "Gratuit, sans réservation"
    assert event.source_updated_at == datetime(2026, 9, 2, 14, 3, 10, tzinfo=UTC)


def test_null_fields_everywhere_do_not_stop_the_import(town: Town) -> None:
    run(town, "openagenda-argentan.json")

    jazz = Event.objects.get(town=town, source_uid="71554230")
    assert jazz.title == "Jazz on the square"  # no French title: any other language
    assert (jazz.description, jazz.venue_name, jazz.latitude, jazz.accessibility) == ("", "", None, [])
    assert jazz.place_kind == PlaceKind.CENTRE
    assert jazz.timezone == "Europe/Paris"
    assert jazz.status == EventStatus.SCHEDULED
    assert jazz.kind == EventKind.OTHER
    concert = Event.objects.get(town=town, source_uid="71554380")
    assert (concert.kind, concert.status, concert.address) == (EventKind.CONCERT, EventStatus.POSTPONED, "")
    market = Event.objects.get(town=town, source_uid="71554301")
    assert (market.kind, market.status) == (EventKind.CHRISTMAS_MARKET, EventStatus.CANCELLED)


def test_importing_again_creates_nothing_and_updates_what_changed(town: Town) -> None:
    run(town, "openagenda-argentan.json")
    again = run(town, "openagenda-argentan.json")
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 4, 5)
    found = outcomes(again)
    assert found["71554102"][0] == "unchanged"
    assert found["71554102"][1].startswith("inchangé à la source depuis le dernier import")
    assert found["71554230"][1] == "inchangé : son contenu est celui déjà importé"  # no updatedAt: content

    document = json.loads((FILES / "openagenda-argentan.json").read_text())
    concert = next(event for event in document["events"] if event.get("uid") == 71554380)
    concert["timings"][1] = {"begin": "2026-10-25T21:00:00+01:00", "end": "2026-10-25T23:00:00+01:00"}
    concert["updatedAt"] = "2026-10-02T10:00:00+02:00"
    lectures = document["events"][0]
    lectures["title"]["fr"] = "Lectures du soir"  # changed, but updatedAt says not: the source is believed
    changed = run(town, "export.json", data=json.dumps(document).encode())

    assert (changed.created, changed.updated, changed.unchanged, changed.skipped) == (0, 1, 3, 5)
    assert outcomes(changed)["71554380"] == ("updated", "modifié : fin, dates")
    event = Event.objects.get(town=town, source_uid="71554380")
    assert event.sequence == 1
    assert local(Occurrence.objects.filter(event=event).latest("starts_at").starts_at) == datetime(
        2026, 10, 25, 21, 0
    )
    assert Event.objects.get(town=town, source_uid="71554102").title == "Lectures du soir à la médiathèque"
    assert Event.objects.filter(town=town).count() == 4


@pytest.mark.parametrize("name", ["openagenda-truncated.json", "truncated.ics"])
def test_a_truncated_file_writes_nothing_and_says_so_in_french(town: Town, name: str) -> None:
    with pytest.raises(ImportFailed, match="tronqu"):
        run(town, name)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "est vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "pas un fichier texte lisible"),
        (b"Date;Compteur\n2026-01-01;12\n", "Format de fichier inconnu"),
        (b'{"agenda": 12}', "pas un export d'événements OpenAgenda"),
        (b"BEGIN:VCALENDAR\r\nnot a line\r\nEND:VCALENDAR\r\n", "illisible"),
    ],
)
def test_unreadable_files_are_refused_in_french(town: Town, data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        run(town, "agenda.bin", data=data)
    assert not Event.objects.exists()


def test_a_file_of_another_format_than_the_one_chosen_is_refused(town: Town) -> None:
    with pytest.raises(ImportFailed, match="pas au format choisi"):
        run(town, "openagenda-argentan.json", file_format=ICAL)


# --- iCalendar -----------------------------------------------------------------------------------------


def test_an_event_without_uid_is_skipped_and_the_others_imported(town: Town) -> None:
    report = run(town, "mairie-latin1.ics", kind=EventKind.FESTIVAL)

    assert report.items[0].reason == NO_UID
    assert report.items[0].title == "Fête de la Saint-Nicolas"  # Latin-1, read as such
    assert (report.created, report.skipped) == (1, 1)
    expo = Event.objects.get(town=town)
    assert expo.title == "Exposition « Argentan d'hier »"
    assert expo.kind == EventKind.EXHIBITION  # from its categories, not the default
    assert expo.rrule == "FREQ=DAILY;UNTIL=20261206T235959"  # UNTIL in UTC becomes local
    assert expo.exdates == ["2026-11-30"]
    assert (str(expo.latitude), str(expo.longitude)) == ("48.744000", "-0.020300")
    assert expo.registration_url == "https://www.argentan.fr/agenda/expo-argentan-d-hier"
    days = [
        local(start).date().day
        for start, _ in occurrences_between(expo, start=AT, end=datetime(2027, 1, 1, tzinfo=UTC))
    ]
    assert days == [28, 29, 1, 2, 3, 4, 5, 6]


def expand(data: bytes, start: datetime, end: datetime) -> dict[str, list[tuple[datetime, datetime]]]:
    """The dates of each UID of a calendar, by an independent RFC 5545 implementation."""
    found: dict[str, list[tuple[datetime, datetime]]] = {}
    calendar = icalendar.Calendar.from_ical(data)
    for item in recurring_ical_events.of(calendar).between(start, end):
        begin, finish = item["DTSTART"].dt, item["DTEND"].dt
        if not isinstance(begin, datetime) or str(item.get("STATUS")) == "CANCELLED":
            continue  # whole days are compared elsewhere; a cancelled date is no date
        found.setdefault(str(item["UID"]), []).append((begin.astimezone(UTC), finish.astimezone(UTC)))
    return {uid: sorted(dates) for uid, dates in found.items()}


def ours(event: Event, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    return sorted(
        (s.astimezone(UTC), e.astimezone(UTC)) for s, e in occurrences_between(event, start=start, end=end)
    )


def test_a_google_calendar_on_x_wr_timezone_keeps_its_local_times(town: Town) -> None:
    report = run(town, "google-x-wr-timezone.ics")
    assert (report.created, report.skipped) == (3, 0)

    market = Event.objects.get(town=town, source_uid="5k1b6q8vdj3o0r0n7i2m4s9c1t@google.com")
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    dates = ours(market, start, end)
    assert {local(begin).time().isoformat() for begin, _ in dates} == {"08:00:00"}
    assert datetime(2026, 12, 26, 8, 0) not in [local(begin) for begin, _ in dates]
    assert local(dates[-1][0]) == datetime(2027, 4, 17, 8, 0)
    assert market.venue_name == "Place Henri IV"
    assert market.address == "Place Henri IV, 61200 Argentan"
    # Google, Apple and every client read the file so (with the X-WR-TIMEZONE fix): the same dates.
    repaired = expand((FILES / "google-x-wr-timezone.ics").read_bytes(), start, end)
    assert dates == repaired[market.source_uid]

    weekend = Event.objects.get(town=town, source_uid="2q9m0ab7c3d4e5f6g7h8i9j0kl@google.com")
    assert weekend.all_day
    assert weekend.kind == EventKind.FESTIVAL
    assert (local(weekend.starts_at), local(weekend.ends_at)) == (
        datetime(2026, 12, 19),
        datetime(2026, 12, 21),
    )
    tale = Event.objects.get(town=town, source_uid="floating-7a1c@google.com")
    assert local(tale.starts_at) == datetime(2026, 11, 21, 15, 0)  # floating: on the calendar's zone


def test_an_outlook_calendar_with_a_windows_zone_name_and_a_bom(town: Town) -> None:
    report = run(town, "outlook-windows-zone.ics")
    assert report.created == 1

    event = Event.objects.get(town=town)
    assert event.timezone == "Europe/Paris"
    assert event.title == "Nocturne des commerçants"
    dates = occurrences_between(event, start=AT, end=datetime(2028, 1, 1, tzinfo=UTC))
    assert [local(begin).hour for begin, _ in dates] == [18, 18, 18]
    assert [begin.astimezone(UTC).hour for begin, _ in dates] == [17, 16, 16]  # across 28 March


def test_recurrence_id_overrides_become_dates_or_are_reported(town: Town) -> None:
    report = run(town, "recurrence-id.ics")
    found = {item.uid: item for item in report.items}

    visit = Event.objects.get(town=town, source_uid="visite-guidee@tourisme-argentan.fr")
    assert visit.rrule == ""
    assert visit.timings == [
        ["2026-10-17T14:30:00", "2026-10-17T16:00:00"],
        ["2026-10-24T14:30:00", "2026-10-24T16:00:00"],
        ["2026-10-31T10:00:00", "2026-10-31T11:30:00"],  # moved
        ["2026-11-14T14:30:00", "2026-11-14T16:00:00"],  # 7 November cancelled
        ["2026-11-21T14:30:00", "2026-11-21T16:00:00"],
    ]
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert (
        ours(visit, start, end)
        == expand((FILES / "recurrence-id.ics").read_bytes(), start, end)[visit.source_uid]
    )

    office = Event.objects.get(town=town, source_uid="permanence@tourisme-argentan.fr")
    assert office.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert office.exdates == ["2026-11-02T09:00:00"]
    notes = found["permanence@tourisme-argentan.fr"].notes
    assert any("déplacée" in note and "ne peut pas être gardée" in note for note in notes)
    assert any("ne sont pas repris" in note for note in notes)
    assert found["instance-seule@tourisme-argentan.fr"].outcome == "skipped"
    assert "sans l'événement lui-même" in found["instance-seule@tourisme-argentan.fr"].reason
    again = run(town, "recurrence-id.ics")
    assert (again.created, again.updated) == (0, 0)


def test_an_openagenda_event_round_trips_through_its_ics_file_with_the_same_dates(town: Town) -> None:
    run(town, "openagenda-argentan.json")
    lectures = Event.objects.get(town=town, source_uid="71554102")
    data = agenda_calendar(events=[lectures], name=lectures.title)
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == 1 + 114  # Saturdays last 2 h 30, other days 2 h: overrides

    elsewhere = TownFactory.create()
    report = run(elsewhere, "lectures.ics", data=data)
    assert report.created == 1
    back = Event.objects.get(town=elsewhere)
    assert back.timings == lectures.timings
    assert len(back.timings) == 800
    assert (back.starts_at, back.ends_at, back.title) == (
        lectures.starts_at,
        lectures.ends_at,
        lectures.title,
    )
    assert back.source_uid == f"{lectures.uid}@testserver"


def test_an_import_that_writes_expires_the_towns_pages_once_committed(
    town: Town, django_capture_on_commit_callbacks
) -> None:
    before = town_versions((town.pk,))
    with django_capture_on_commit_callbacks(execute=True):
        run(town, "google-x-wr-timezone.ics")
    after = town_versions((town.pk,))
    assert after != before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(town, "google-x-wr-timezone.ics")  # nothing changed: nothing to expire
    assert callbacks == []
    assert town_versions((town.pk,)) == after


def calendar_of(body: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//\n" + head + body + "END:VCALENDAR\n"


@pytest.mark.parametrize(
    ("vevent", "reason"),
    [
        ("DTSTART:20261010T100000Z\nRRULE:FREQ=HOURLY\n", "Récurrence illisible"),
        ("DTSTART:20261010T100000Z\nRRULE:FREQ=WEEKLY;BYDAY=XX\n", "règle de répétition (RRULE) illisible"),
        ("", "pas de date de début (DTSTART) lisible"),
        ("DTSTART:2026-10-10\n", "pas de date de début (DTSTART) lisible"),
        ("DTSTART:20261010T100000Z\nDTEND:20261010T090000Z\n", "la fin (DTEND) est avant le début"),
        ("DTSTART;VALUE=DATE:20261010\nDTEND:20261011T090000Z\n", "pas du même type"),
    ],
)
def test_a_vevent_that_cannot_be_read_is_skipped_with_its_reason(vevent: str, reason: str) -> None:
    text = calendar_of(f"BEGIN:VEVENT\nUID:abc\nSUMMARY:Bal\n{vevent}END:VEVENT\n")
    [item] = read_calendar(text, town_timezone="Europe/Paris", default_kind=EventKind.OTHER)
    assert item.data is None
    assert reason in item.skip


@pytest.mark.parametrize(
    ("start", "head", "zone", "local_start"),
    [
        ("DTSTART;TZID=W. Europe Standard Time:20261010T100000", "", "Europe/Berlin", "2026-10-10T10:00:00"),
        ("DTSTART:20261010T100000", "X-WR-TIMEZONE:Mars/Olympus\n", "Europe/Paris", "2026-10-10T10:00:00"),
        (
            "DTSTART:20261010T100000Z",
            "X-WR-TIMEZONE:America/New_York\n",
            "America/New_York",
            "2026-10-10T06:00:00",
        ),
        ("DTSTART:20261010T100000Z", "", "Europe/Paris", "2026-10-10T12:00:00"),
    ],
)
def test_times_are_read_on_their_zone_or_the_towns(
    start: str, head: str, zone: str, local_start: str
) -> None:
    text = calendar_of(f"BEGIN:VEVENT\nUID:abc\nSUMMARY:Bal\n{start}\nEND:VEVENT\n", head)
    [item] = read_calendar(text, town_timezone="Europe/Paris", default_kind=EventKind.OTHER)
    assert item.data is not None
    assert item.data.timezone == zone
    assert item.data.starts_at.replace(tzinfo=None).isoformat() == local_start


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (None, "sans UID"),
        ({"uid": None, "title": None, "timings": None}, "sans UID"),
        ({"uid": 5, "title": None, "timings": None}, "sans titre"),
        ({"uid": 6, "title": {"fr": "Bal"}, "timings": None}, "aucune date"),
        ({"uid": 7, "title": {"fr": "Bal"}, "timings": [None]}, "date illisible"),
        (
            {"uid": 8, "title": {"fr": "Bal"}, "timings": [{"begin": "2026-10-10T20:00:00", "end": None}]},
            "illisible",
        ),
    ],
)
def test_an_openagenda_event_made_of_nulls_is_skipped_with_its_reason(event, reason: str) -> None:
    [item] = read_export(
        json.dumps([event]), town_timezone="Europe/Paris", town_insee="61006", default_kind=EventKind.OTHER
    )
    assert item.data is None
    assert reason in item.skip
