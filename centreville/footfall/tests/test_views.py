"""The footfall pages: who sees them, the import from the page (run by the worker), its report, the charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.core.pagecache import town_versions
from centreville.footfall import runs
from centreville.footfall.models import CountImport, CountImportFile, CountingSite, ImportStatus, Measure
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import FILES, import_files, source

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def client_of(town: Town, role: Role | None) -> Client:
    client = Client()
    user = TownRoleFactory.create(town=town, role=role).user if role else UserFactory.create()
    client.force_login(user)
    return client


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (FILES / name).read_bytes(), "text/csv")


def test_who_sees_what(town: Town) -> None:
    manager, official, someone = (client_of(town, role) for role in (Role.MANAGER, Role.ELECTED, None))

    assert manager.get("/argentan/gestion/frequentation/").status_code == 200
    assert official.get("/argentan/gestion/frequentation/").status_code == 200
    assert someone.get("/argentan/gestion/frequentation/").status_code == 403
    assert Client().get("/argentan/gestion/frequentation/").status_code == 302
    assert manager.get("/argentan/gestion/frequentation/imports/").status_code == 200
    assert official.get("/argentan/gestion/frequentation/imports/").status_code == 403


def test_the_manager_imports_files_and_reads_the_report(
    town: Town, django_capture_on_commit_callbacks: Capture
) -> None:
    manager = client_of(town, Role.MANAGER)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            "/argentan/gestion/frequentation/imports/",
            {"uploads": [upload("bad_values.csv"), upload("autumn_iso_cp1252.csv")], "kind": "pedestrian"},
        )

    run = CountImport.objects.get(town=town)
    assert response.status_code == 302
    assert response["Location"] == f"/argentan/gestion/frequentation/imports/{run.pk}/"
    assert (run.status, run.rows, run.imported, run.rejected, run.channels) == (
        ImportStatus.DONE,
        69,
        59,
        10,
        4,
    )
    assert run.file_names == ["bad_values.csv", "autumn_iso_cp1252.csv"]
    assert not CountImportFile.objects.exists()  # the files are dropped once imported
    page = manager.get(response["Location"]).content.decode()
    assert "Import terminé." in page
    assert "Valeur négative : 1" in page
    assert '<th scope="row">3</th><td>A</td><td lang="fr">-5</td>' in page
    assert "hx-get" not in page  # finished: the page stops refreshing
    csv = manager.get(f"/argentan/gestion/frequentation/imports/{run.pk}/rejets.csv").content.decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0] == "Fichier;Ligne;Motif;Canal;Valeur"
    assert "bad_values.csv;3;Valeur négative;A;'-5" in csv.splitlines()
    assert (
        "autumn_iso_cp1252.csv;7;Doublon (même canal, même début), gardé une seule fois;;2023-10-29 02:00"
        in csv
    )
    history = manager.get("/argentan/gestion/frequentation/imports/").content.decode()
    assert "bad_values.csv, autumn_iso_cp1252.csv" in history


def test_a_file_of_no_known_format_is_refused_on_the_form(town: Town) -> None:
    manager = client_of(town, Role.MANAGER)

    response = manager.post(
        "/argentan/gestion/frequentation/imports/",
        {"uploads": [upload("prix.csv", b"nom;prix\npomme;3\n")], "kind": "pedestrian"},
    )

    assert response.status_code == 422
    assert "« prix.csv » n&#x27;est pas d&#x27;un format reconnu" in response.content.decode()
    assert not CountImport.objects.exists()


def test_a_running_import_refreshes_itself_and_blocks_a_second(town: Town) -> None:
    manager = client_of(town, Role.MANAGER)
    run = CountImport.objects.create(
        town=town, file_names=["gros.csv"], status=ImportStatus.READING, progress=37
    )

    page = manager.get(f"/argentan/gestion/frequentation/imports/{run.pk}/").content.decode()
    partial = manager.get(
        f"/argentan/gestion/frequentation/imports/{run.pk}/", headers={"HX-Request": "true"}
    )
    refused = manager.post(
        "/argentan/gestion/frequentation/imports/",
        {"uploads": [upload("daily_fr.csv")], "kind": "pedestrian"},
    )

    assert "Lecture des fichiers : 37 %" in page
    assert 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh" content="5">' in page  # without JavaScript
    assert partial.content.decode().startswith('<div id="import-run"')
    assert refused.status_code == 422
    assert "déjà en cours" in refused.content.decode()


def test_a_run_the_worker_finds_closed_is_left_alone(town: Town) -> None:
    run = runs.count_import_start(
        town=town, file_names=["daily_fr.csv"], actor=None, files=[source("daily_fr.csv")]
    )
    CountImport.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED)

    runs.count_import_run_stored(run.pk)

    assert not Measure.objects.exists()


def test_another_towns_import_and_site_are_not_found(town: Town) -> None:
    other = TownFactory.create()
    run = CountImport.objects.create(town=other, file_names=["x.csv"])
    import_files(other, source("daily_fr.csv"))
    site = CountingSite.objects.get(town=other)
    manager = client_of(town, Role.MANAGER)

    assert manager.get(f"/argentan/gestion/frequentation/imports/{run.pk}/").status_code == 404
    assert manager.get(f"/argentan/gestion/frequentation/sites/{site.pk}/").status_code == 404


def test_the_sites_and_a_sites_charts_with_their_tables_and_csv(
    town: Town, page_clock: Callable[[datetime], None]
) -> None:
    import_files(town, source("spring_fr_bom.csv"))
    site = CountingSite.objects.get(town=town)
    page_clock(datetime.fromisoformat("2023-04-15T10:00:00+02:00"))
    official = client_of(town, Role.ELECTED)

    sites = official.get("/argentan/gestion/frequentation/").content.decode()
    page = official.get(f"/argentan/gestion/frequentation/sites/{site.pk}/").content.decode()
    csv = official.get(f"/argentan/gestion/frequentation/sites/{site.pk}/", {"csv": "jours"})

    assert "Spring fr bom" in sites
    assert '<th scope="row">Entrée</th>' in sites
    assert "Importer des comptages" not in sites  # officials read, the town team imports
    # The figures end on the last day counted, 27 March.
    assert (
        '<th scope="row" data-key="2023-03-26">dim 26 mars 2023</th>'
        '<td class="number" data-value="504">504</td>'
    ) in page
    assert (
        '<th scope="row" data-key="2023-03-27">lun 27 mars 2023 — données incomplètes</th>'
        '<td class="number" data-value="15">15</td><td class="number" data-value="">—</td>'
    ) in page
    assert "Jours incomplets" in page
    assert '<td class="number">1</td><td class="number">24</td>' in page  # 27 March: 1 hour of 24
    assert csv["Content-Disposition"] == f'attachment; filename="frequentation-{site.pk}-jours.csv"'
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[-2:] == ["2023-03-26;504;", "2023-03-27;15;"]
    chosen = official.get(f"/argentan/gestion/frequentation/sites/{site.pk}/", {"au": "2023-03-26"})
    assert 'data-key="2023-03-27"' not in chosen.content.decode()
    assert (
        official.get(f"/argentan/gestion/frequentation/sites/{site.pk}/", {"au": "1800-01-01"}).status_code
        == 400
    )


def test_a_stale_import_is_closed_with_its_files_when_the_next_one_starts(town: Town) -> None:
    stale = runs.count_import_start(
        town=town, file_names=["a.csv"], actor=None, files=[source("daily_fr.csv")]
    )
    CountImport.objects.filter(pk=stale.pk).update(updated_at=stale.updated_at - runs.STALE_AFTER * 2)

    fresh = runs.count_import_start(town=town, file_names=["b.csv"], actor=None)

    stale.refresh_from_db()
    assert (stale.status, stale.error) == (ImportStatus.FAILED, str(runs.INTERRUPTED))
    assert not CountImportFile.objects.filter(run=stale).exists()
    assert fresh.status == ImportStatus.PENDING


def test_the_manager_places_a_site_the_vendor_file_left_without_position(
    town: Town, django_capture_on_commit_callbacks: Any
) -> None:
    import_files(town, source("daily_fr.csv"))
    site = CountingSite.objects.get(town=town)
    manager = client_of(town, Role.MANAGER)
    edit = f"/argentan/gestion/frequentation/sites/{site.pk}/modifier/"
    before = town_versions((town.pk,))

    assert (
        "sans position" in manager.get(f"/argentan/gestion/frequentation/sites/{site.pk}/").content.decode()
    )
    half = manager.post(edit, {"name": "Grande Rue", "kind": "pedestrian", "latitude": "48,7445"})
    with django_capture_on_commit_callbacks(execute=True):
        saved = manager.post(
            edit,
            {
                "name": " Grande Rue ",
                "kind": "bike",
                "address": "12 Grande Rue",
                "latitude": "48,744500",
                "longitude": "-0.020300",
                "external_id": "GR-1",
            },
        )

    assert half.status_code == 422
    assert "Donnez la latitude et la longitude du compteur, ou aucune des deux." in half.content.decode()
    assert saved.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.kind, site.address, site.external_id) == (
        "Grande Rue",
        "bike",
        "12 Grande Rue",
        "GR-1",
    )
    assert (site.latitude, site.longitude) == (Decimal("48.744500"), Decimal("-0.020300"))
    assert town_versions((town.pk,)) != before  # its open data now places it
    assert client_of(town, Role.ELECTED).get(edit).status_code == 403
    assert (
        client_of(TownFactory.create(slug="alencon"), Role.MANAGER)
        .get(edit.replace("argentan", "alencon"))
        .status_code
        == 404
    )
