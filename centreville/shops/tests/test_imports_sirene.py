"""Importing shops from the SIRENE register of establishments (StockEtablissement CSV)."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator

import pytest

from centreville.shops.imports.common import ImportReport, import_shops
from centreville.shops.imports.lambert import lambert93_to_wgs84
from centreville.shops.imports.sirene import SireneReader, french_case
from centreville.shops.models import Shop, ShopSource, ShopStatus
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .import_fixtures import SIRENE_FILE, make_argentan

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


BAKERY = "81234567600017"


def run_import(town: Town, content: bytes | None = None) -> ImportReport:
    stream = io.BytesIO(SIRENE_FILE.read_bytes() if content is None else content)
    return import_shops(town=town, reader=SireneReader(stream, town=town))


def test_only_active_retail_establishments_of_the_commune_are_imported(argentan: Town) -> None:
    report = run_import(argentan)

    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert report.skipped == {
        "other_commune": 2,
        "closed": 1,
        "not_retail": 2,
        "no_name": 1,
        "duplicate": 1,
        "not_public": 1,
    }
    assert report.skipped_examples["closed"] == ["Fleurs d'Antan (SIRET 44120987100017)"]
    assert report.skipped_examples["not_retail"] == [
        "Sci des Lilas (SIRET 83456129200014) — NAF 68.20B NAFRev2",
        "Hotel de la Gare (SIRET 34987612800019) — NAF 55.1A NAFRev1",
    ]
    assert report.skipped_examples["not_public"] == ["SIRET 91823746200018"]  # nothing else is shown
    assert set(Shop.objects.for_town(argentan).values_list("siret", flat=True)) == {
        BAKERY,
        "79345612000021",
        "52398741000033",
        "88234517600011",
        "38765412200010",
    }


def test_an_establishment_is_mapped_field_by_field(argentan: Town) -> None:
    run_import(argentan)

    bakery = Shop.objects.select_related("category").get(town=argentan, siret=BAKERY)
    assert bakery.name == "Boulangerie du Marche"
    assert bakery.category.slug == "boulangerie-patisserie"  # NAF 10.71C
    assert (bakery.street_address, bakery.postcode, bakery.city) == ("5 place du Marche", "61200", "Argentan")
    assert float(bakery.latitude or 0) == pytest.approx(48.74412, abs=2e-6)
    assert float(bakery.longitude or 0) == pytest.approx(-0.01954, abs=2e-6)
    assert (bakery.source, bakery.status, bakery.osm_id) == (ShopSource.SIRENE, ShopStatus.PUBLISHED, "")
    bookshop = Shop.objects.select_related("category").get(town=argentan, siret="79345612000021")
    assert bookshop.name == "Librairie Gutenberg"  # no shop sign: the usual name
    assert bookshop.street_address == "14 bis rue de la Chaussee"
    assert bookshop.category.slug == "librairie-papeterie"
    cafe = Shop.objects.select_related("category").get(town=argentan, siret="52398741000033")
    assert (cafe.street_address, cafe.category.slug, cafe.latitude) == (
        "2 boulevard Carnot",
        "cafe-bar",
        None,
    )
    pharmacy = Shop.objects.get(town=argentan, siret="38765412200010")
    assert pharmacy.street_address == "1 place Henri IV"


def test_running_the_same_file_again_changes_nothing(argentan: Town) -> None:
    run_import(argentan)

    report = run_import(argentan)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert Shop.objects.for_town(argentan).count() == 5


def test_a_shop_closed_in_the_register_is_pointed_out_not_removed(argentan: Town) -> None:
    run_import(argentan)
    content = SIRENE_FILE.read_text().replace(",2019-01-01,A,BOULANGERIE", ",2019-01-01,F,BOULANGERIE")

    report = run_import(argentan, content.encode())

    assert report.warning_examples["closed_in_source"] == [f"Boulangerie du Marche : {BAKERY}"]
    assert Shop.objects.get(town=argentan, siret=BAKERY).status == ShopStatus.PUBLISHED


def test_another_commune_gets_its_own_establishments(argentan: Town) -> None:
    alencon = TownFactory.create(name="Alençon", slug="alencon", insee_code="61001", postcodes=["61000"])

    report = run_import(alencon)

    assert report.created == 1
    assert report.skipped["other_commune"] == 12
    assert list(Shop.objects.for_town(alencon).values_list("name", "street_address")) == [
        ("Patisserie des Ducs", "31 rue aux Sieurs")
    ]
    assert not Shop.objects.for_town(argentan).exists()


def test_compressed_files_and_semicolons_are_read(argentan: Town) -> None:
    content = SIRENE_FILE.read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("StockEtablissement_utf8.csv", content)

    assert run_import(argentan, gzip.compress(content)).created == 5
    assert run_import(argentan, archive.getvalue()).unchanged == 5
    assert run_import(argentan, content.replace(b",", b";")).unchanged == 5


def test_a_file_without_the_register_columns_is_refused_in_french(argentan: Town) -> None:
    with pytest.raises(ValueError, match="il manque siret, codeCommuneEtablissement"):
        SireneReader(io.BytesIO(b"nom,adresse\nBoulangerie,1 rue Haute\n"), town=argentan)


def big_file(rows: int) -> bytes:
    lines = SIRENE_FILE.read_text().splitlines()
    header, other_commune = lines[0], lines[5]
    return "\n".join([header, *[other_commune] * rows, lines[1]]).encode() + b"\n"


def test_the_file_is_streamed_not_loaded(argentan: Town) -> None:
    content = big_file(50_000)
    reader = SireneReader(io.BytesIO(content), town=argentan, categories={})

    items: Iterator = iter(reader)
    first = next(items)

    assert iter(items) is items  # a generator: rows are read as they are asked for
    assert first.count == 10_000  # other communes are reported in batches
    # 10,000 rows of 50,000 and a read-ahead buffer, not the file.
    assert reader._counter.count < len(content) / 4
    assert 0.19 < (reader.fraction or 0) < 0.25
    assert sum(item.count for item in items) + first.count == 50_001
    assert reader.fraction == 1.0


def test_lambert_93_converts_to_longitude_and_latitude() -> None:
    assert lambert93_to_wgs84(700_000, 6_600_000) == pytest.approx((3.0, 46.5), abs=1e-9)
    # A point published with its converted values (IGN's algorithms, as in several libraries).
    assert lambert93_to_wgs84(668_832.5384, 6_950_138.7285) == pytest.approx(
        (2.5686536, 49.6496110), abs=1e-7
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BOULANGERIE DU MARCHE", "Boulangerie du Marche"),
        ("L'ATELIER DE LOUIS XIV", "L'Atelier de Louis XIV"),
        ("Chez Paul", "Chez Paul"),
    ],
)
def test_names_in_capitals_are_written_as_people_write_them(text: str, expected: str) -> None:
    assert french_case(text) == expected
