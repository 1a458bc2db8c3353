"""The town team's import page (a file or an address, and the report) and the import command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.agenda import views_imports
from centreville.agenda.importing.base import ImportFailed
from centreville.agenda.importing.fetching import fetch
from centreville.agenda.models import Event, EventKind
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
URL = "/argentan/gestion/agenda/imports/"


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


def test_the_manager_uploads_a_file_and_reads_the_report(town: Town) -> None:
    manager = client_of(town, Role.MANAGER)
    upload = SimpleUploadedFile("agenda.ics", (FILES / "mairie-latin1.ics").read_bytes(), "text/calendar")

    response = manager.post(URL, {"upload": upload, "file_format": "auto", "kind": EventKind.FESTIVAL})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Exposition « Argentan d&#x27;hier »" in page
    assert "nouvel événement" in page
    assert "événement sans UID : impossible de le reconnaître à l&#x27;import suivant" in page
    event = Event.objects.get(town=town)
    assert event.created_by is not None


def test_the_manager_gives_an_address_fetched_with_a_timeout(town: Town, monkeypatch) -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append((str(request.url), request.extensions["timeout"]["read"]))
        return httpx.Response(200, content=(FILES / "google-x-wr-timezone.ics").read_bytes())

    monkeypatch.setattr(views_imports, "FETCH_TRANSPORT", httpx.MockTransport(answer))
    manager = client_of(town, Role.MANAGER)

    response = manager.post(
        URL, {"url": "webcal://127.0.0.1:8000/agenda.ics", "file_format": "ical", "kind": "market"}
    )

    assert response.status_code == 200
    assert calls == [("https://127.0.0.1:8000/agenda.ics", 15.0)]
    assert Event.objects.filter(town=town).count() == 3
    assert "Marché du samedi" in response.content.decode()


def test_a_bad_file_or_no_file_is_refused_with_nothing_written(town: Town) -> None:
    manager = client_of(town, Role.MANAGER)
    upload = SimpleUploadedFile("coupe.ics", (FILES / "truncated.ics").read_bytes(), "text/calendar")

    response = manager.post(URL, {"upload": upload, "file_format": "auto", "kind": "other"})
    assert response.status_code == 422
    assert "Rien n'a été importé." in response.content.decode()
    assert "tronqué" in response.content.decode()
    empty = manager.post(URL, {"file_format": "auto", "kind": "other"})
    assert empty.status_code == 422
    assert "Envoyez un fichier ou donnez une adresse" in empty.content.decode()
    assert not Event.objects.exists()


def test_a_server_error_or_a_private_address_is_told_in_french() -> None:
    failing = httpx.MockTransport(lambda request: httpx.Response(404))
    with pytest.raises(ImportFailed, match="répondu 404"):
        fetch("http://127.0.0.1:8000/agenda.ics", transport=failing)
    with pytest.raises(ImportFailed, match="n'est pas sur Internet"):
        fetch("http://127.0.0.1:9/agenda.ics")  # refused before any connection
    with pytest.raises(ImportFailed, match="Adresse non valable"):
        fetch("ftp://127.0.0.1/agenda.ics")


def test_the_command_prints_the_report_and_one_last_line(town: Town) -> None:
    out = StringIO()
    call_command(
        "import_events", "argentan", str(FILES / "openagenda-argentan.json"), "--kind", "market", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[-1] == "events created=4 updated=0 skipped=5"
    assert any("deux dates se chevauchent" in line for line in lines)

    out = StringIO()
    call_command(
        "import_events", "argentan", str(FILES / "openagenda-argentan.json"), "--kind=market", stdout=out
    )
    assert out.getvalue().splitlines()[-1] == "events created=0 updated=0 skipped=9"
    assert Event.objects.get(town=town, source_uid="71554230").kind == EventKind.MARKET


def test_the_command_stops_on_an_unreadable_file(town: Town) -> None:
    with pytest.raises(CommandError, match="tronqué"):
        call_command("import_events", "argentan", str(FILES / "openagenda-truncated.json"), stdout=StringIO())
    with pytest.raises(CommandError, match="Aucune ville"):
        call_command("import_events", "nulle-part", str(FILES / "truncated.ics"), stdout=StringIO())
    assert not Event.objects.exists()
