"""The open-data page, catalogue, schemas and files over HTTP: public, per town, with download headers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from centreville.core.pagecache import town_public_data_changed
from centreville.opendata import datasets, selectors, tableschema
from centreville.opendata.datasets.base import Dataset, Field, Record, Summary
from centreville.opendata.suppression import suppress_small_counts
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    ShopFactory.create(
        town=town,
        name="Boulangerie du Marché",
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
    )
    ShopFactory.create(town=town, name="Librairie des Halles")
    ShopFactory.create(town=town, name="Atelier en préparation", status=ShopStatus.DRAFT)
    ShopFactory.create(town=town, name="Boutique masquée", status=ShopStatus.HIDDEN)
    ShopFactory.create(town=TownFactory.create(slug="alencon"), name="Fromagerie d'Alençon")
    return town


def url(name: str, *args: str) -> str:
    return reverse(f"opendata:{name}", args=["argentan", *args])


def content(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_page_is_public_and_describes_each_dataset(client: Client, argentan: Town) -> None:
    response = client.get(url("datasets"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Données ouvertes d&#x27;Argentan" in page
    assert '<h2 id="jeu-commerces">Commerces</h2>' in page
    assert "https://schema.data.gouv.fr/MTES-MCT/acceslibre-schema/0.0.20/documentation.html" in page
    assert "Accessibilité ERP — Base</a> (acceslibre-erp-base), version 0.0.20" in page
    assert '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" lang="fr">' in page
    assert "Licence Ouverte 2.0 (Etalab)" in page
    assert "<dt>Enregistrements</dt>\n    <dd>2</dd>" in page
    assert f'href="{url("download", "commerces", "csv")}"' in page
    assert f'href="{url("download", "commerces", "geojson")}"' in page
    assert f'href="{url("catalogue")}"' in page
    published = timezone.localtime(Shop.objects.filter(town=argentan).latest("updated_at").updated_at)
    assert f'<time datetime="{published.isoformat()}">' in page


def test_the_page_is_served_from_the_page_cache(
    client: Client, argentan: Town, django_assert_num_queries: Any
) -> None:
    client.get(url("datasets"))

    with django_assert_num_queries(0):
        assert client.get(url("datasets")).status_code == 200


def test_the_page_shows_a_change_once_the_town_says_its_public_data_changed(
    client: Client, argentan: Town, django_capture_on_commit_callbacks: Any
) -> None:
    client.get(url("datasets"))
    ShopFactory.create(town=argentan, name="Cave du Château")
    assert "<dd>2</dd>" in client.get(url("datasets")).content.decode()  # still the cached page

    with django_capture_on_commit_callbacks(execute=True):
        town_public_data_changed(argentan.pk)

    assert "<dd>3</dd>" in client.get(url("datasets")).content.decode()


def test_the_page_in_english(client: Client, argentan: Town, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url("datasets"))

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_towns_pages_link_to_it_from_their_footer(client: Client, argentan: Town) -> None:
    home = client.get(reverse("showcase:home", args=["argentan"])).content.decode()

    assert f'<a href="{url("datasets")}">Données ouvertes</a>' in home


def test_a_territory_or_an_unpublished_town_has_no_open_data_page(client: Client) -> None:
    territory = TerritoryFactory.create(slug="pays-d-argentan")
    TownFactory.create(territory=territory)
    TownFactory.create(slug="cachee", is_published=False)

    assert client.get("/pays-d-argentan/donnees-ouvertes/").status_code == 404
    assert client.get("/pays-d-argentan/donnees-ouvertes/commerces.csv").status_code == 404
    assert client.get("/cachee/donnees-ouvertes/").status_code == 404


def test_the_csv_file_of_the_towns_published_shops(client: Client, argentan: Town) -> None:
    response = client.get(url("download", "commerces", "csv"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="argentan-commerces.csv"'
    assert response["Cache-Control"] == "public, max-age=600"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith(" GMT")
    rows = list(csv.DictReader(io.StringIO(content(response), newline="")))
    assert [row["name"] for row in rows] == ["Boulangerie du Marché", "Librairie des Halles"]


def test_the_geojson_file(client: Client, argentan: Town) -> None:
    response = client.get(url("download", "commerces", "geojson"))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="argentan-commerces.geojson"'
    collection = json.loads(content(response))
    placed, unplaced = collection["features"]
    assert placed["properties"]["name"] == "Boulangerie du Marché"
    assert placed["geometry"] == {"type": "Point", "coordinates": [-0.0203, 48.7445]}
    assert unplaced["geometry"] is None
    assert "Fromagerie d'Alençon" not in json.dumps(collection, ensure_ascii=False)


def test_a_client_that_has_the_file_gets_304_until_it_changes(client: Client, argentan: Town) -> None:
    first = client.get(url("download", "commerces", "csv"))
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get(url("download", "commerces", "csv"), headers={"if-none-match": etag}).status_code == 304
    again = client.get(url("download", "commerces", "csv"), headers={"if-modified-since": modified})
    assert again.status_code == 304
    assert again["ETag"] == etag

    ShopFactory.create(town=argentan, name="Cave du Château")

    changed = client.get(url("download", "commerces", "csv"), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Cave du Château" in content(changed)


def test_the_file_costs_the_same_queries_for_a_large_town(
    client: Client, argentan: Town, django_assert_num_queries: Any
) -> None:
    client.get(url("datasets"))  # the town is in the cache
    with django_assert_num_queries(2):  # the summary, the shops
        content(client.get(url("download", "commerces", "csv")))

    ShopFactory.create_batch(30, town=argentan)

    with django_assert_num_queries(2):
        assert content(client.get(url("download", "commerces", "csv"))).count("\r\n") == 33


def test_a_large_count_is_written_as_the_language_writes_it(settings: Any) -> None:
    entry = selectors.PublishedDataset(datasets.DATASETS[0], Summary(records=12345, updated_at=None))

    with translation.override("fr"):
        assert entry.shown_records == "12\xa0345"
    with translation.override("en"):
        assert entry.shown_records == "12,345"


@pytest.mark.parametrize(
    "path",
    [
        "/argentan/donnees-ouvertes/cellules.csv",
        "/argentan/donnees-ouvertes/cellules.schema.json",
        "/argentan/donnees-ouvertes/commerces.xlsx",
        "/argentan/donnees-ouvertes/commerces",
        "/ailleurs/donnees-ouvertes/commerces.csv",
    ],
)
def test_an_unknown_dataset_format_or_town_is_not_found(client: Client, argentan: Town, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_catalogue_for_data_portals(client: Client, argentan: Town) -> None:
    response = client.get(url("catalogue"))

    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:title"] == "Données ouvertes d'Argentan"
    shops, *others = catalogue["dcat:dataset"]
    assert [other["dct:identifier"] for other in others] == [
        "argentan-vacance-commerciale-par-rue",
        "argentan-vacance-commerciale-par-mois",
        "argentan-comptage-sites",
        "argentan-comptage-canaux",
        "argentan-comptage-totaux-par-jour",
        "argentan-stationnement",
    ]
    assert shops["dct:identifier"] == "argentan-commerces"
    assert shops["dct:license"] == {"@id": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
    assert shops["dct:conformsTo"]["dct:identifier"] == "acceslibre-erp-base"
    assert shops["dct:conformsTo"]["owl:versionInfo"] == "0.0.20"
    downloads = [d["dcat:downloadURL"]["@id"] for d in shops["dcat:distribution"]]
    assert downloads == [
        "http://testserver/argentan/donnees-ouvertes/commerces.csv",
        "http://testserver/argentan/donnees-ouvertes/commerces.geojson",
    ]
    for download in downloads:
        assert client.get(download.removeprefix("http://testserver")).status_code == 200
    assert client.get(url("catalogue"), headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_schema_of_a_national_dataset_is_our_copy_of_it(client: Client, argentan: Town) -> None:
    schema = json.loads(client.get(url("table_schema", "commerces")).content)

    assert (schema["name"], schema["version"]) == ("acceslibre-erp-base", "0.0.20")


# A dataset of our own format, as the vacancy per street will be.
def vacancy_records(town: Town, *, at: datetime) -> Iterator[Record]:
    rows = [
        {"street": "Grande Rue", "units": 12, "vacant": 2},
        {"street": "Rue de la Poste", "units": 9, "vacant": 6},
    ]
    yield from suppress_small_counts(rows, counts=["vacant"])


VACANCY = Dataset(
    slug="vacance-par-rue",
    title="Vacance par rue",
    description="Les cellules vacantes de chaque rue.",
    records=vacancy_records,
    summary=lambda town, *, at: Summary(records=2, updated_at=None),
    own_fields=(
        Field("street", "string", "Nom de la rue", required=True),
        Field("units", "integer", "Nombre de cellules", required=True),
        Field("vacant", "integer", "Cellules vacantes (vide : moins de 5)"),
    ),
    suppresses_small_counts=True,
)


@pytest.fixture
def with_vacancy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets, "DATASETS", (*datasets.DATASETS, VACANCY))


def test_a_dataset_without_national_schema_documents_its_columns(
    client: Client, argentan: Town, with_vacancy: None
) -> None:
    page = client.get(url("datasets")).content.decode()

    assert "Aucun schéma national n'existe pour ces données" in page
    assert '<caption id="colonnes-vacance-par-rue">Colonnes du fichier « Vacance par rue »</caption>' in page
    assert '<th scope="row"><code>vacant</code></th>' in page
    assert "Tout effectif inférieur à 5 est laissé vide" in page
    assert "aucune donnée pour l'instant" in page
    assert f'href="{url("download", "vacance-par-rue", "geojson")}"' not in page  # nowhere to place it


def test_its_csv_follows_its_own_published_schema(client: Client, argentan: Town, with_vacancy: None) -> None:
    schema = json.loads(client.get(url("table_schema", "vacance-par-rue")).content)
    text = content(client.get(url("download", "vacance-par-rue", "csv")))

    assert [spec["name"] for spec in schema["fields"]] == ["street", "units", "vacant"]
    assert text == "street,units,vacant\r\nGrande Rue,12,\r\nRue de la Poste,9,6\r\n"
    assert tableschema.validate_csv(text, schema) == []
    assert client.get(url("download", "vacance-par-rue", "geojson")).status_code == 404
