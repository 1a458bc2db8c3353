"""The town team's import page (a file or an address queued for the worker, the last imports and their
outcome), the import command, and how long the record of imports is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.retention import retention_rules
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.agenda import import_runs
from centreville.agenda.import_runs import (
    RETENTION_DAYS,
    STALE_AFTER,
    import_run_execute,
    import_run_queue,
    import_runs_purge,
)
from centreville.agenda.importing.base import ImportFailed, SourceFile
from centreville.agenda.importing.fetching import fetch
from centreville.agenda.models import Event, EventImport, EventKind, ImportSourceKind, ImportState
from centreville.agenda.tasks import run_event_import
from centreville.agenda.tests.factories import EventImportFactory
from centreville.core.tests.fake_dns import resolve_as
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
URL = "/argentan/gestion/agenda/imports/"
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(page_clock: Any) -> None:
    page_clock(NOW)


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def client_of(town: Town, role: Role | None) -> Client:
    client = Client()
    user = TownRoleFactory.create(town=town, role=role).user if role else UserFactory.create()
    client.force_login(user)
    return client


def test_only_the_town_team_reaches_the_import_page(town: Town) -> None:
    assert client_of(town, Role.MANAGER).get(URL).status_code == 200
    assert client_of(town, Role.ELECTED).get(URL).status_code == 403
    assert client_of(town, None).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302
    assert client_of(TownFactory.create(), Role.MANAGER).get(URL).status_code == 403


def test_the_manager_uploads_a_file_the_worker_imports_it_and_the_page_tells_the_outcome(
    town: Town, clock: None, django_capture_on_commit_callbacks: Any
) -> None:
    manager = client_of(town, Role.MANAGER)
    upload = SimpleUploadedFile("agenda.ics", (FILES / "mairie-latin1.ics").read_bytes(), "text/calendar")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(URL, {"upload": upload, "file_format": "auto", "kind": EventKind.FESTIVAL})

    assert response.status_code == 302
    assert response["Location"] == URL
    run = EventImport.objects.get(town=town)
    assert (run.state, run.source_kind, run.source_name, run.format) == (
        ImportState.DONE,
        ImportSourceKind.FILE,
        "agenda.ics",
        "ical",
    )
    assert (run.created, run.updated, run.unchanged, run.skipped) == (1, 0, 0, 1)
    assert run.content is None  # the file is not kept once imported
    assert (run.queued_at, run.started_at, run.finished_at) == (NOW, NOW, NOW)
    assert run.started_by is not None
    assert Event.objects.get(town=town).created_by == run.started_by
    page = manager.get(URL).content.decode()
    assert re.search(r"Import n° \d+ : « agenda.ics »", page)
    assert "Terminé." in page
    assert "Fête de la Saint-Nicolas" in page
    assert "événement sans UID : impossible de le reconnaître à l&#x27;import suivant" in page
    assert 'http-equiv="refresh"' not in page
    assert "hx-trigger" not in page


def test_a_queued_import_is_shown_waiting_and_the_page_refreshes_until_it_is_done(
    town: Town, clock: None, django_capture_on_commit_callbacks: Any
) -> None:
    manager = client_of(town, Role.MANAGER)
    upload = SimpleUploadedFile("agenda.ics", (FILES / "mairie-latin1.ics").read_bytes(), "text/calendar")

    with django_capture_on_commit_callbacks(execute=False):
        manager.post(URL, {"upload": upload, "file_format": "auto", "kind": EventKind.FESTIVAL})

    run = EventImport.objects.get(town=town)
    assert run.state == ImportState.QUEUED
    assert run.content is not None
    assert bytes(run.content).startswith(b"BEGIN:VCALENDAR")
    waiting = manager.get(URL).content.decode()
    assert "En attente : l'import va commencer." in waiting
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in waiting
    assert 'hx-trigger="every 5s"' in waiting
    assert f'<a href="{URL}">Rafraîchir</a>' in waiting
    assert not Event.objects.exists()

    run_event_import.call(run.pk)
    run_event_import.call(run.pk)  # a task run twice imports once

    assert EventImport.objects.get(pk=run.pk).state == ImportState.DONE
    assert Event.objects.filter(town=town).count() == 1
    done = manager.get(URL).content.decode()
    assert "Terminé." in done
    assert 'http-equiv="refresh"' not in done


def test_the_worker_downloads_an_address_with_a_timeout(
    town: Town, clock: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append((str(request.url), request.extensions["timeout"]["read"]))
        return httpx.Response(200, content=(FILES / "google-x-wr-timezone.ics").read_bytes())

    monkeypatch.setattr(import_runs, "FETCH_TRANSPORT", httpx.MockTransport(answer))
    resolve_as(monkeypatch, {"agenda.mairie.example": "93.184.215.14"})
    manager = client_of(town, Role.MANAGER)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            URL, {"url": "webcal://agenda.mairie.example/agenda.ics", "file_format": "ical", "kind": "market"}
        )

    assert response.status_code == 302
    assert calls == [("https://agenda.mairie.example/agenda.ics", 15.0)]
    assert Event.objects.filter(town=town).count() == 3
    run = EventImport.objects.get(town=town)
    assert (run.source_kind, run.source_name, run.created) == (
        ImportSourceKind.ADDRESS,
        "webcal://agenda.mairie.example/agenda.ics",
        3,
    )
    assert " : « webcal://agenda.mairie.example/agenda.ics »" in manager.get(URL).content.decode()


def test_the_form_refuses_an_address_on_the_servers_own_network_before_queuing_anything(
    town: Town, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve_as(monkeypatch, {"intranet.mairie.example": "10.0.0.12"})
    manager = client_of(town, Role.MANAGER)

    for address in ("webcal://127.0.0.1:8000/agenda.ics", "https://intranet.mairie.example/agenda.ics"):
        refused = manager.post(URL, {"url": address, "file_format": "auto", "kind": "other"})
        assert refused.status_code == 422
        assert "n&#x27;est pas sur Internet" in refused.content.decode()
    assert not EventImport.objects.exists()


def test_a_bad_file_fails_its_import_with_nothing_written_and_a_bad_form_queues_nothing(
    town: Town, clock: None, django_capture_on_commit_callbacks: Any
) -> None:
    manager = client_of(town, Role.MANAGER)
    upload = SimpleUploadedFile("coupe.ics", (FILES / "truncated.ics").read_bytes(), "text/calendar")

    with django_capture_on_commit_callbacks(execute=True):
        manager.post(URL, {"upload": upload, "file_format": "auto", "kind": "other"})

    run = EventImport.objects.get(town=town)
    assert (run.state, run.content, run.finished_at) == (ImportState.FAILED, None, NOW)
    assert "tronqué" in run.error
    page = manager.get(URL).content.decode()
    assert "Échec : rien n'a été importé." in page
    assert "tronqué" in page
    empty = manager.post(URL, {"file_format": "auto", "kind": "other"})
    assert empty.status_code == 422
    assert "Envoyez un fichier ou donnez une adresse" in empty.content.decode()
    ftp = manager.post(URL, {"url": "ftp://example.org/agenda.ics", "file_format": "auto", "kind": "other"})
    assert ftp.status_code == 422
    assert "Adresse non valable" in ftp.content.decode()
    assert EventImport.objects.count() == 1
    assert not Event.objects.exists()


def test_an_import_that_breaks_while_writing_leaves_no_event_behind(
    town: Town, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = import_runs.store_events

    def store_then_break(**kwargs: Any) -> Any:
        real_store(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_runs, "store_events", store_then_break)
    run = import_run_queue(
        town=town,
        actor=None,
        at=NOW,
        file_format="auto",
        default_kind="other",
        upload=SourceFile("agenda.ics", (FILES / "google-x-wr-timezone.ics").read_bytes()),
    )

    with pytest.raises(ImportFailed, match="erreur inattendue"):
        import_run_execute(run=run, at=NOW)

    run.refresh_from_db()
    assert (run.state, run.created) == (ImportState.FAILED, 0)
    assert "aucun événement n'a été enregistré" in run.error
    assert not Event.objects.exists()


def test_a_run_silent_too_long_is_told_interrupted_and_closed_by_the_next_import(
    town: Town, clock: None
) -> None:
    manager = client_of(town, Role.MANAGER)
    dead = EventImportFactory.create(town=town, queued_at=NOW - STALE_AFTER - timedelta(minutes=1))

    page = manager.get(URL).content.decode()
    assert "Import interrompu" in page
    assert 'http-equiv="refresh"' not in page

    import_run_queue(
        town=town,
        actor=None,
        at=NOW,
        file_format="auto",
        default_kind="other",
        address="https://example.org/agenda.ics",
    )
    dead.refresh_from_db()
    assert (dead.state, dead.finished_at) == (ImportState.FAILED, NOW)


def test_only_the_first_remarks_are_kept_and_the_page_says_how_many_there_were(
    town: Town, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_runs, "REMARKS_KEPT", 2)
    run = import_run_queue(
        town=town,
        actor=None,
        at=NOW,
        file_format="auto",
        default_kind="market",
        upload=SourceFile("export.json", (FILES / "openagenda-argentan.json").read_bytes()),
    )

    import_run_execute(run=run, at=NOW)

    run.refresh_from_db()
    assert (run.created, run.skipped, run.remarks_count) == (4, 5, 5)
    assert [remark["outcome"] for remark in run.remarks] == ["skipped", "skipped"]
    assert all(remark["reason"] for remark in run.remarks)
    page = client_of(town, Role.MANAGER).get(URL).content.decode()
    assert "Seules les 2 premières remarques sur 5 sont gardées." in page


def test_the_runs_of_another_town_are_not_shown(town: Town, clock: None) -> None:
    EventImportFactory.create(source_name="ailleurs.ics", state=ImportState.DONE, finished_at=NOW)

    page = client_of(town, Role.MANAGER).get(URL).content.decode()

    assert "ailleurs.ics" not in page
    assert "Aucun import pour l'instant." in page


def test_runs_are_kept_a_year_then_purged(town: Town) -> None:
    old = EventImportFactory.create(town=town, queued_at=NOW - timedelta(days=RETENTION_DAYS + 1))
    recent = EventImportFactory.create(town=town, queued_at=NOW - timedelta(days=RETENTION_DAYS - 1))

    assert import_runs_purge(at=NOW, dry_run=True) == 1
    assert import_runs_purge(at=NOW) == 1
    assert import_runs_purge(at=NOW) == 0

    assert list(EventImport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not EventImport.objects.filter(pk=old.pk).exists()
    assert "agenda_imports" in {rule.key for rule in retention_rules()}


def test_a_server_error_or_a_private_address_is_told_in_french() -> None:
    failing = httpx.MockTransport(lambda request: httpx.Response(404))
    with pytest.raises(ImportFailed, match="répondu 404"):
        fetch("http://127.0.0.1:8000/agenda.ics", transport=failing)
    with pytest.raises(ImportFailed, match="n'est pas sur Internet"):
        fetch("http://127.0.0.1:9/agenda.ics")  # refused before any connection
    with pytest.raises(ImportFailed, match="Adresse non valable"):
        fetch("ftp://127.0.0.1/agenda.ics")


def test_the_command_records_its_import_and_prints_the_report_and_one_last_line(town: Town) -> None:
    out = StringIO()
    call_command(
        "import_events", "argentan", str(FILES / "openagenda-argentan.json"), "--kind", "market", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[-1] == "events created=4 updated=0 unchanged=0 skipped=5"
    assert any("deux dates se chevauchent" in line for line in lines)
    run = EventImport.objects.get(town=town)
    assert (run.state, run.source_name, run.started_by, run.created, run.skipped) == (
        ImportState.DONE,
        "openagenda-argentan.json",
        None,
        4,
        5,
    )
    assert run.content is None

    out = StringIO()
    call_command(
        "import_events", "argentan", str(FILES / "openagenda-argentan.json"), "--kind=market", stdout=out
    )
    assert out.getvalue().splitlines()[-1] == "events created=0 updated=0 unchanged=4 skipped=5"
    assert Event.objects.get(town=town, source_uid="71554230").kind == EventKind.MARKET
    assert EventImport.objects.filter(town=town, state=ImportState.DONE).count() == 2


def test_the_command_stops_on_an_unreadable_file(town: Town) -> None:
    with pytest.raises(CommandError, match="tronqué"):
        call_command("import_events", "argentan", str(FILES / "openagenda-truncated.json"), stdout=StringIO())
    assert EventImport.objects.get(town=town).state == ImportState.FAILED
    with pytest.raises(CommandError, match="Aucune ville"):
        call_command("import_events", "nulle-part", str(FILES / "truncated.ics"), stdout=StringIO())
    assert not Event.objects.exists()
