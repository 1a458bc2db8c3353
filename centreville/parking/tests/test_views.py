"""The public parking page (and its map data, its open-data file), the town home's block, and the town
team's page: import, feeds, car parks' settings."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.core.tests.fake_dns import resolve_as
from centreville.parking.models import CarPark, Feed, FeedFormat
from centreville.parking.states import State
from centreville.towns.models import Town

from .factories import CarParkFactory, FeedFactory
from .helpers import add_reading, set_live

# A Tuesday, 11:00 in Paris: pages say the time of old data the same way whatever the day the tests run.
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(NOW)


FILES = Path(__file__).parent / "files"


@pytest.fixture
def manager_client(argentan: Town) -> Client:
    client = Client()
    client.force_login(TownRoleFactory.create(town=argentan, role=Role.MANAGER).user)
    return client


def test_the_public_page_says_each_state_in_words_with_data_age(argentan: Town, client: Client) -> None:
    now = timezone.now()
    market = CarParkFactory.create(
        town=argentan,
        name="Parking de la Place du Marché",
        capacity=120,
        disabled_spaces=4,
        ev_spaces=2,
        opening_hours="24/7",
        is_free=True,
    )
    old = CarParkFactory.create(town=argentan, name="Parking Saint-Germain", capacity=65)
    for minutes, free in ((25, 60), (12, 45), (1, 30)):
        add_reading(market, now - timedelta(minutes=minutes), free)
    set_live(market, now - timedelta(minutes=1), 30)
    set_live(old, now - timedelta(minutes=40), 20)

    response = client.get("/argentan/stationnement/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "30 places libres sur 120" in page
    assert "Places disponibles" in page
    assert "parking-green" in page
    assert "se remplit" in page
    assert "Dernières données de" in page
    assert "ce n'est pas l'état actuel" in page
    assert "Il y avait alors 20 places libres sur 65." in page
    assert "Places PMR" in page
    assert "Places avec recharge électrique" in page
    assert "Gratuit" in page
    assert "24 h sur 24, 7 jours sur 7" in page
    assert '<table class="parking-table">' in page
    assert 'id="carte"' in page
    assert 'src="/static/js/map.js"' in page
    assert 'leaflet.js"' not in page.split('id="carte"')[0]
    assert "/argentan/stationnement/stationnement.csv" in page


def test_the_map_data_names_each_pin_by_its_state(argentan: Town, client: Client) -> None:
    car_park = CarParkFactory.create(town=argentan, name="Parking du Marché", capacity=120)
    set_live(car_park, timezone.now() - timedelta(minutes=2), 0, State.FULL)
    data = client.get("/argentan/stationnement/carte.geojson").json()
    (feature,) = data["features"]
    assert feature["properties"]["name"] == "Parking du Marché"
    assert feature["properties"]["state"] == "Complet : 0 places libres sur 120"
    assert feature["properties"]["url"] == f"/argentan/stationnement/#parking-{car_park.pk}"


def test_the_open_data_file(argentan: Town, client: Client) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001")
    response = client.get("/argentan/stationnement/stationnement.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines()[1].startswith("61006-P-001,")


def test_a_town_without_car_parks_says_so(argentan: Town, client: Client) -> None:
    assert "Aucun parking n'est encore publié ici." in client.get("/argentan/stationnement/").content.decode()


def test_the_town_home_shows_the_block(argentan: Town, client: Client) -> None:
    car_park = CarParkFactory.create(town=argentan, name="Parking Saint-Germain", capacity=65)
    set_live(car_park, timezone.now() - timedelta(minutes=3), 12)
    response = client.get("/argentan/")
    page = response.content.decode()
    # Live figures are not kept in the page cache for long.
    assert response.page_cache_seconds <= 60  # type: ignore[attr-defined]
    assert "Se garer" in page
    assert "12 places libres sur 65" in page
    assert 'href="/argentan/stationnement/"' in page


def test_a_car_park_closed_by_its_hours_says_closed_on_the_board_its_map_and_the_town_home(
    argentan: Town, client: Client, page_clock: Callable[[datetime], None]
) -> None:
    evening = datetime(2026, 12, 8, 20, 30, tzinfo=UTC)  # a Tuesday, 21:30 in Argentan
    page_clock(evening)
    car_park = CarParkFactory.create(
        town=argentan, name="Parking du Marché", capacity=120, opening_hours="Mo-Sa 07:00-20:00"
    )
    set_live(car_park, evening - timedelta(minutes=2), 80)  # the feed still says spaces are available

    board = client.get("/argentan/stationnement/").content.decode()
    home = client.get("/argentan/").content.decode()
    pin = client.get("/argentan/stationnement/carte.geojson").json()["features"][0]["properties"]["state"]

    for page in (board, home):
        assert '<span class="parking-state parking-grey">Fermé</span>' in page
        assert "Places disponibles" not in page
        assert "parking-green" not in page
        # A closed car park offers no free space, whatever its counter said.
        assert "80 places libres" not in page and "80 sur 120" not in page  # noqa: PT018
    assert "fermé en ce moment selon ses horaires" in board
    assert pin.startswith("Fermé") and "80 " not in pin  # noqa: PT018


def test_the_manager_imports_a_file_and_sees_why_lines_were_skipped(
    argentan: Town, manager_client: Client
) -> None:
    upload = SimpleUploadedFile("parkings.csv", (FILES / "stationnement_messy.csv").read_bytes(), "text/csv")
    response = manager_client.post("/argentan/gestion/stationnement/import/", {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Parkings créés : 3, mis à jour : 0, inchangés : 0. Lignes écartées : 6." in page
    assert "parking d&#x27;une autre commune (INSEE 14118, celle-ci est 61006)" in page
    assert "absent du fichier : manque SIRET du gestionnaire, usagers admis" in page
    assert CarPark.objects.count() == 3


def test_an_unreadable_file_is_refused_on_the_form(argentan: Town, manager_client: Client) -> None:
    upload = SimpleUploadedFile("x.csv", b"a;b\n1;2\n", "text/csv")
    response = manager_client.post("/argentan/gestion/stationnement/import/", {"file": upload})
    assert response.status_code == 422
    assert "Colonnes obligatoires absentes" in response.content.decode()


def test_the_manager_adds_and_edits_a_feed_and_sees_its_errors(
    argentan: Town, manager_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve_as(monkeypatch, {"data.example.org": "93.184.216.34"})
    response = manager_client.post(
        "/argentan/gestion/stationnement/flux/ajouter/",
        {
            "name": "Parkings de l'agglomération",
            "url": "https://data.example.org/api/explore/v2.1/catalog/datasets/parkings/records",
            "format": FeedFormat.OPENDATASOFT,
            "enabled": "on",
            "mapping_text": '{"id": "identifiant", "free": "places_libres"}',
        },
    )
    assert response.status_code == 302
    feed = Feed.objects.get()
    assert feed.mapping == {"id": "identifiant", "free": "places_libres"}

    bad = manager_client.post(
        f"/argentan/gestion/stationnement/flux/{feed.pk}/",
        {
            "name": "x",
            "url": "ftp://example.org/x",
            "format": FeedFormat.NGSI_V2,
            "mapping_text": '{"libre": 1}',
        },
    )
    assert bad.status_code == 422
    assert "clé inconnue « libre »" in bad.content.decode()

    Feed.objects.filter(pk=feed.pk).update(
        consecutive_failures=3,
        last_error="Le serveur a répondu 503 (erreur HTTP) à l'adresse donnée.",
        last_summary={"readings": 4, "rejected": 1, "reasons": ["PK-9 : relevé daté du futur"]},
    )
    page = manager_client.get("/argentan/gestion/stationnement/").content.decode()
    assert "en échec (3 fois de suite)" in page
    assert "Le serveur a répondu 503 (erreur HTTP) à l&#x27;adresse donnée." in page
    assert "relevés gardés : 4, refusés : 1" in page
    assert "PK-9 : relevé daté du futur" in page

    manager_client.post(
        f"/argentan/gestion/stationnement/flux/{feed.pk}/",
        {"name": "Parkings", "url": feed.url, "format": FeedFormat.OPENDATASOFT, "mapping_text": ""},
    )
    feed.refresh_from_db()
    assert (feed.enabled, feed.consecutive_failures, feed.mapping) == (False, 0, {})


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (
            "ftp://data.example.org/flux.json",
            "Adresse non valable : elle doit commencer par https:// ou http://.",
        ),
        ("file:///etc/passwd", "Adresse non valable : elle doit commencer par https:// ou http://."),
        ("http://127.0.0.1:8000/flux.json", "L&#x27;adresse « 127.0.0.1 » n&#x27;est pas sur Internet"),
        ("http://10.0.0.1/flux.json", "L&#x27;adresse « 10.0.0.1 » n&#x27;est pas sur Internet"),
        ("http://169.254.169.254/latest/", "L&#x27;adresse « 169.254.169.254 » n&#x27;est pas sur Internet"),
        ("http://[::1]/flux.json", "L&#x27;adresse « ::1 » n&#x27;est pas sur Internet"),
        (
            "https://parkings.mairie.lan/flux.json",
            "L&#x27;adresse « parkings.mairie.lan » n&#x27;est pas sur",
        ),
    ],
)
def test_a_feed_address_off_the_internet_is_refused_up_front(
    argentan: Town, manager_client: Client, monkeypatch: pytest.MonkeyPatch, url: str, error: str
) -> None:
    resolve_as(monkeypatch, {"parkings.mairie.lan": "192.168.1.20"})
    feed = FeedFactory.create(town=argentan, url="https://data.example.org/flux.json")
    form = {"name": "Parkings", "url": url, "format": FeedFormat.NGSI_V2, "enabled": "on", "mapping_text": ""}

    added = manager_client.post("/argentan/gestion/stationnement/flux/ajouter/", form)
    edited = manager_client.post(f"/argentan/gestion/stationnement/flux/{feed.pk}/", form)

    for response in (added, edited):
        assert response.status_code == 422
        assert error in response.content.decode()
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://data.example.org/flux.json"]


def test_a_feed_whose_host_is_gone_can_still_be_disabled(
    argentan: Town, manager_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    feed = FeedFactory.create(town=argentan, url="https://portail-disparu.invalid/flux.json")
    form = {"name": feed.name, "url": feed.url, "format": feed.format, "mapping_text": ""}

    response = manager_client.post(f"/argentan/gestion/stationnement/flux/{feed.pk}/", form)

    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.enabled is False
    moved = manager_client.post(
        f"/argentan/gestion/stationnement/flux/{feed.pk}/", {**form, "url": "https://autre.invalid/flux.json"}
    )
    assert moved.status_code == 422
    assert "Adresse introuvable : « autre.invalid »." in moved.content.decode()


def test_the_manager_sets_hours_and_the_feed_identifier(argentan: Town, manager_client: Client) -> None:
    car_park = CarParkFactory.create(town=argentan)
    url = f"/argentan/gestion/stationnement/parkings/{car_park.pk}/"
    bad = manager_client.post(url, {"opening_hours": "du lundi au samedi", "feed_ref": ""})
    assert bad.status_code == 422
    assert "n&#x27;est pas un horaire au format OpenStreetMap" in bad.content.decode()
    assert (
        manager_client.post(url, {"opening_hours": "Mo-Sa 07:00-20:00", "feed_ref": "urn:x"}).status_code
        == 302
    )
    car_park.refresh_from_db()
    assert (car_park.opening_hours, car_park.feed_ref) == ("Mo-Sa 07:00-20:00", "urn:x")


def test_another_towns_feed_is_not_found(argentan: Town, manager_client: Client) -> None:
    other = FeedFactory.create()
    assert manager_client.get(f"/argentan/gestion/stationnement/flux/{other.pk}/").status_code == 404
    elsewhere = CarParkFactory.create()
    assert manager_client.get(f"/argentan/gestion/stationnement/parkings/{elsewhere.pk}/").status_code == 404


def test_residents_and_elected_officials_may_not_manage(argentan: Town, client: Client) -> None:
    assert client.get("/argentan/gestion/stationnement/").status_code == 302
    client.force_login(TownRoleFactory.create(town=argentan, role=Role.ELECTED).user)
    assert client.get("/argentan/gestion/stationnement/").status_code == 403
