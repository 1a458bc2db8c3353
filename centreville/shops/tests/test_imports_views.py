"""The town manager's import page: permission, upload, progress while it runs, the summary at the end."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.imports import runs
from centreville.shops.models import ImportRun, ImportStatus, Shop, ShopSource
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .import_fixtures import OSM_FILE, SIRENE_FILE, load_trades, make_argentan

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


URL = "/argentan/gestion/imports/"


@pytest.fixture
def manager_client(client: Client, argentan: Town) -> Client:
    client.force_login(TownRoleFactory.create(town=argentan, role=Role.MANAGER).user)
    return client


@pytest.fixture
def inline_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The background import runs in the test's thread, so the test can look at its result."""
    monkeypatch.setattr(runs, "_start_thread", lambda target: target())


def upload(path: Any, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("elected", 403), ("manager elsewhere", 403), ("manager", 200)],
)
def test_only_the_town_manager_reaches_the_import_page(
    client: Client, argentan: Town, who: str, expected: int
) -> None:
    if who == "resident":
        client.force_login(UserFactory.create())
    elif who == "elected":
        client.force_login(TownRoleFactory.create(town=argentan, role=Role.ELECTED).user)
    elif who == "manager elsewhere":
        client.force_login(TownRoleFactory.create(town=TownFactory.create(), role=Role.MANAGER).user)
    elif who == "manager":
        client.force_login(TownRoleFactory.create(town=argentan, role=Role.MANAGER).user)

    assert client.get(URL).status_code == expected
    if expected != 200:
        assert client.post(URL, {"source": "osm", "file": upload(OSM_FILE)}).status_code == expected
        assert not ImportRun.objects.exists()


def test_uploading_an_export_runs_the_import_and_shows_its_summary(
    manager_client: Client,
    argentan: Town,
    inline_thread: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(URL, {"source": "osm", "file": upload(OSM_FILE)})

    run = ImportRun.objects.get(town=argentan)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{run.pk}/"
    assert (run.status, run.created, run.skipped, run.file_name) == (ImportStatus.DONE, 7, 8, OSM_FILE.name)
    assert run.started_by is not None
    page = manager_client.get(response["Location"]).content.decode()
    assert "Import terminé." in page
    assert "Chaîne ou franchise (la ville n&#x27;accepte que les commerces indépendants)</strong> : 2" in page
    assert "Jules (node/1234567803) (Jules)" in page
    assert (
        "Librairie des Halles : « Tu-Fr 09:00-12:15 / 14:15-19:00 » → « Tu-Fr 09:00-12:15,14:15-19:00 »"
        in page
    )
    assert 'http-equiv="refresh"' not in page
    assert "hx-trigger" not in page
    assert Shop.objects.for_town(argentan).count() == 7
    assert f'href="{URL}{run.pk}/"' in manager_client.get(URL).content.decode()


def test_a_sirene_file_compressed_or_not_is_accepted(
    manager_client: Client,
    argentan: Town,
    inline_thread: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(URL, {"source": "sirene", "file": upload(SIRENE_FILE)})

    run = ImportRun.objects.get(town=argentan)
    assert (run.source, run.status, run.created) == (ShopSource.SIRENE, ImportStatus.DONE, 5)


def test_a_running_import_refreshes_itself_with_or_without_javascript(
    manager_client: Client, argentan: Town
) -> None:
    run = ImportRun.objects.create(
        town=argentan,
        source=ShopSource.SIRENE,
        status=ImportStatus.RUNNING,
        progress=42,
        rows_read=1200,
        created=3,
    )

    page = manager_client.get(f"{URL}{run.pk}/").content.decode()
    fragment = manager_client.get(f"{URL}{run.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert "Import en cours : 42 %" in page
    assert '<progress class="import-progress" max="100" value="42"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'hx-trigger="every 2s"' in page
    assert fragment.lstrip().startswith('<div id="import-run"')
    assert "<html" not in fragment


def test_a_wrong_file_is_refused_before_anything_runs(manager_client: Client, argentan: Town) -> None:
    response = manager_client.post(URL, {"source": "osm", "file": upload(SIRENE_FILE)})

    assert response.status_code == 422
    assert "n&#x27;est pas du JSON lisible" in response.content.decode()
    response = manager_client.post(URL, {"source": "sirene", "file": upload(OSM_FILE)})
    assert "il manque siret" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_one_import_at_a_time_per_town(manager_client: Client, argentan: Town) -> None:
    ImportRun.objects.create(town=argentan, source=ShopSource.OSM, status=ImportStatus.RUNNING)

    response = manager_client.post(URL, {"source": "osm", "file": upload(OSM_FILE)})

    assert "Un import est déjà en cours pour cette ville" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_a_failed_import_says_why(manager_client: Client, argentan: Town) -> None:
    run = ImportRun.objects.create(
        town=argentan,
        source=ShopSource.OSM,
        status=ImportStatus.FAILED,
        error="Ligne 12 illisible",
        created=2,
    )

    page = manager_client.get(f"{URL}{run.pk}/").content.decode()

    assert "L'import a échoué." in page
    assert "Ligne 12 illisible" in page
    assert "relancer l'import ne les créera pas une seconde fois" in page


def test_another_towns_import_is_not_reachable(manager_client: Client, argentan: Town) -> None:
    elsewhere = ImportRun.objects.create(town=TownFactory.create(), source=ShopSource.OSM)

    assert manager_client.get(f"{URL}{elsewhere.pk}/").status_code == 404
    assert str(elsewhere.pk) not in manager_client.get(URL).context["runs"].values_list("pk", flat=True)


@pytest.mark.django_db(transaction=True)
def test_the_import_really_runs_in_a_background_thread(client: Client) -> None:
    load_trades()
    town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006", postcodes=["61200"])
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    started: list[threading.Thread] = []
    original = runs._start_thread

    def spy(target: Callable[[], Any]) -> threading.Thread:
        started.append(original(target))
        return started[-1]

    runs._start_thread = spy
    try:
        client.post(URL, {"source": "osm", "file": upload(OSM_FILE)})
    finally:
        runs._start_thread = original
        # The thread must be done before the database is emptied for the next test, whatever happened here.
        for thread in started:
            thread.join(timeout=120)

    assert [thread.is_alive() for thread in started] == [False]

    run = ImportRun.objects.get(town=town)
    assert (run.status, run.created) == (ImportStatus.DONE, 7)


def test_platform_admin_action_leads_to_the_import_page(client: Client, argentan: Town) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    other = TownFactory.create()

    one = client.post("/admin/towns/town/", {"action": "import_shops", "_selected_action": [argentan.pk]})
    two = client.post(
        "/admin/towns/town/",
        {"action": "import_shops", "_selected_action": [argentan.pk, other.pk]},
        follow=True,
    )

    assert one.status_code == 302
    assert one["Location"] == URL
    assert client.get(URL).status_code == 200
    assert "Choisissez une seule ville à la fois." in two.content.decode()
