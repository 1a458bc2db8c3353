"""The manager's import page with the files people really send: malformed, damaged, cut short, interrupted."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.imports import runs
from centreville.shops.models import ImportRun, ImportStatus, Shop, ShopSource
from centreville.towns.models import Town

from .import_fixtures import SIRENE_FILE, collection, make_argentan, osm_feature

pytestmark = pytest.mark.django_db
URL = "/argentan/gestion/imports/"


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


@pytest.fixture
def manager_client(client: Client, argentan: Town) -> Client:
    client.force_login(TownRoleFactory.create(town=argentan, role=Role.MANAGER).user)
    return client


@pytest.fixture
def inline_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "_start_thread", lambda target: target())


def zip_of(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def corrupt_member(archive: bytes) -> bytes:
    damaged = bytearray(archive)
    start = 30 + len("StockEtablissement.csv") + 10  # inside the compressed data of the first member
    for index in range(start, start + 40):
        damaged[index] ^= 0x5A
    return bytes(damaged)


SIRENE = SIRENE_FILE.read_bytes()
MALFORMED = [
    ("osm", "export.geojson", b'{"type": "FeatureCollection", "features": 5}', "pas de liste « features »"),
    ("osm", "export.geojson", b'{"features": 5}', "n'est pas un export OpenStreetMap"),
    ("osm", "export.geojson", b"[1, 2, 3]", "n'est pas un export OpenStreetMap"),
    ("osm", "export.geojson", b"", "Le fichier soumis est vide."),
    ("osm", "export.geojson", b"   \n", "Ce fichier est vide."),
    ("osm", "export.geojson", bytes(range(256)) * 20, "n'est pas du texte"),
    ("osm", "export.geojson.gz", b'{"type": "FeatureCollection"}', "n'est pas compressé en gzip"),
    ("osm", "export.zip", b"PK\x03\x04 not really a zip", "archive zip est abîmée"),
    (
        "osm",
        "export.geojson",
        b'{"type": "FeatureCollection", "features": [{"type": "Feature",,}], "x": 1}',
        "n'est pas du JSON lisible (erreur ligne 1",
    ),
    ("sirene", "stock.csv.gz", SIRENE, "n'est pas compressé en gzip"),
    ("sirene", "stock.zip", SIRENE, "n'est pas une archive zip"),
    ("sirene", "stock.zip", zip_of("notes.txt", b"hello"), "ne contient aucun fichier .csv"),
    ("sirene", "stock.zip", corrupt_member(zip_of("StockEtablissement.csv", SIRENE * 3)), "abîmé"),
    ("sirene", "stock.gz", b"\x1f\x8b" + b"\x00" * 40, "gzip) est abîmé"),
    ("sirene", "stock.csv", bytes(range(256)) * 20, "n'est pas du texte"),
    ("sirene", "stock.csv", b'{"type": "FeatureCollection"}', "il manque siret"),
]


@pytest.mark.parametrize(("source", "name", "content", "message"), MALFORMED)
def test_a_malformed_upload_is_refused_in_french_never_with_a_500(
    manager_client: Client, argentan: Town, source: str, name: str, content: bytes, message: str
) -> None:
    response = manager_client.post(URL, {"source": source, "file": SimpleUploadedFile(name, content)})

    assert response.status_code == 422
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert 'aria-invalid="true"' in page
    assert not ImportRun.objects.exists()


def test_a_file_with_bad_rows_imports_the_rest_and_names_them(
    manager_client: Client,
    argentan: Town,
    inline_thread: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    data = collection(
        osm_feature("node/1", name="Avant"),
        {"type": "Feature", "id": "node/2", "properties": ["odd"]},
        osm_feature("node/3", name="Après", opening_hours="Lu-Sa 9h-19h"),
    )
    upload = SimpleUploadedFile("export.geojson", json.dumps(data).encode("utf-8"))

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(URL, {"source": "osm", "file": upload})

    run = ImportRun.objects.get(town=argentan)
    assert (run.status, run.created, run.skipped, run.warnings) == (ImportStatus.DONE, 2, 1, 1)
    page = manager_client.get(response["Location"]).content.decode()
    assert "<h1>Import OpenStreetMap du " in page
    assert "Import : Importé" not in page
    assert "élément n°2" in page
    assert 'Encodage du fichier : <span lang="fr">UTF-8</span>' in page
    assert "« Lu-Sa 9h-19h » → « Mo-Sa 09:00-19:00 »" in page
    report = manager_client.get(f"{URL}{run.pk}/rapport.csv")
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Résultat;Motif;Élément"
    assert "Ignoré;Ligne ou élément illisible;élément n°2" in lines


def test_a_truncated_file_ends_incomplete_with_the_reason(
    manager_client: Client,
    argentan: Town,
    inline_thread: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    text = json.dumps(collection(*[osm_feature(f"node/{n}", name=f"Commerce {n}") for n in range(1, 30)]))
    content = gzip.compress(text.encode())[:-20]

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            URL, {"source": "osm", "file": SimpleUploadedFile("export.geojson.gz", content)}
        )

    run = ImportRun.objects.get(town=argentan)
    assert run.status == ImportStatus.INCOMPLETE
    assert run.created == Shop.objects.for_town(argentan).count() >= 1
    page = manager_client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert "Import terminé, mais le fichier est incomplet" in page
    assert "téléchargement interrompu" in page


def test_an_import_whose_worker_died_no_longer_blocks_the_town(
    manager_client: Client, argentan: Town
) -> None:
    dead = ImportRun.objects.create(town=argentan, source=ShopSource.OSM, status=ImportStatus.RUNNING)
    ImportRun.objects.filter(pk=dead.pk).update(updated_at=timezone.now() - timedelta(minutes=2))

    page = manager_client.get(f"{URL}{dead.pk}/").content.decode()
    index = manager_client.get(URL).content.decode()
    response = manager_client.post(
        URL,
        {
            "source": "osm",
            "file": SimpleUploadedFile(
                "export.geojson", json.dumps(collection(osm_feature("node/1"))).encode()
            ),
        },
    )

    assert "Import interrompu" in page
    assert "hx-trigger" not in page
    assert "<td>Interrompu</td>" in index
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED
    assert "Import interrompu" in dead.error


def test_a_live_import_still_blocks_the_next_one(argentan: Town) -> None:
    now = timezone.now()
    ImportRun.objects.create(town=argentan, source=ShopSource.OSM, status=ImportStatus.RUNNING)

    with pytest.raises(Exception, match="Un import est déjà en cours"):
        runs.import_run_start(town=argentan, source=ShopSource.OSM, file_name="x", actor=None, now=now)
    # A minute and a half without a heartbeat: the run is dead.
    run = runs.import_run_start(
        town=argentan, source=ShopSource.OSM, file_name="x", actor=None, now=now + timedelta(seconds=90)
    )
    assert run.status == ImportStatus.PENDING


def test_an_unexpected_failure_is_told_in_french(argentan: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("connection to server lost")

    monkeypatch.setattr(runs, "import_shops", broken)
    run = runs.import_run_start(town=argentan, source=ShopSource.OSM, file_name="x.geojson", actor=None)

    with pytest.raises(runs.ImportFailed):
        runs.import_run_execute(run=run, stream=io.BytesIO(json.dumps(collection()).encode()))

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "erreur inattendue, signalée à l'équipe technique" in run.error
    assert "connection" not in run.error
