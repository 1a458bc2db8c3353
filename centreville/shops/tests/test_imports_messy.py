"""Real files are messier than specifications: null attributes, far-away rows, house names without a street,
odd rows, other encodings, truncated files, control characters, degenerate polygons, short SIRENE rows."""

from __future__ import annotations

import gzip
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError

from centreville.shops.imports import common
from centreville.shops.imports.common import ImportReport, import_shops
from centreville.shops.imports.osm import OsmReader, centroid
from centreville.shops.imports.sirene import SireneReader
from centreville.shops.models import Shop, ShopImportRecord, ShopStatusChange
from centreville.shops.signals import shops_changed
from centreville.towns.models import Town

from .import_fixtures import (
    SIRENE_HEADER,
    collection,
    luhn_siret,
    make_argentan,
    osm_feature,
    sirene_bytes,
    sirene_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


def osm_import(town: Town, data: Any) -> ImportReport:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return import_shops(town=town, reader=OsmReader(io.BytesIO(content), town=town))


def sirene_import(town: Town, content: bytes, file_name: str = "") -> ImportReport:
    return import_shops(town=town, reader=SireneReader(io.BytesIO(content), town=town, file_name=file_name))


# --- 2. null, "" and whitespace are absent ---


def test_null_empty_and_blank_attributes_are_absent_not_the_text_none(argentan: Town) -> None:
    data = collection(
        osm_feature(
            "node/1",
            name="Boulangerie de Pierre",
            **{"addr:housenumber": None, "addr:street": "Rue de Pierre", "addr:postcode": None},
            **{"addr:city": None, "phone": None, "website": "   ", "opening_hours": None, "brand": None},
        ),
        osm_feature("node/2", name="Fromagerie", shop="cheese", **{"addr:city": "", "addr:housenumber": " "}),
    )

    report = osm_import(argentan, data)

    assert (report.created, report.skipped) == (2, {})
    assert report.warnings == {}
    bakery = Shop.objects.get(town=argentan, osm_id="node/1")
    assert (bakery.street_address, bakery.postcode, bakery.city) == ("Rue de Pierre", "61200", "Argentan")
    assert (str(bakery.phone), bakery.website, bakery.opening_hours, bakery.is_independent) == (
        "",
        "",
        "",
        True,
    )
    assert Shop.objects.get(town=argentan, osm_id="node/2").street_address == "Rue de la Chaussée"


def test_null_cells_of_a_sirene_extract_are_absent(argentan: Town) -> None:
    content = sirene_bytes([sirene_row(numeroVoieEtablissement="NULL", enseigne1Etablissement="LE FOURNIL")])

    sirene_import(argentan, content)

    assert Shop.objects.get(town=argentan).street_address == "rue de la Chaussee"


# --- 3. far from the town ---


def test_a_feature_far_away_without_commune_is_skipped_and_with_one_loses_only_its_position(
    argentan: Town,
) -> None:
    caen = {"lon": -0.3707, "lat": 49.1829}  # about 55 km away
    data = collection(
        osm_feature(
            "node/1", (caen["lon"], caen["lat"]), name="Loin", **{"addr:postcode": None, "addr:city": None}
        ),
        osm_feature("node/2", (caen["lon"], caen["lat"]), name="Mal placé"),
        osm_feature("node/3", (-0.03, 48.75), name="Ici", **{"addr:postcode": None, "addr:city": None}),
    )

    report = osm_import(argentan, data)

    assert report.skipped == {"far_away": 1}
    assert report.skipped_examples["far_away"] == ["Loin (node/1) — à 55 km du centre"]
    placed = Shop.objects.get(town=argentan, osm_id="node/2")
    assert (placed.latitude, placed.longitude) == (None, None)
    assert report.warning_examples["coordinates_far"] == ["Mal placé : à 55 km du centre (plus de 20 km)"]
    assert Shop.objects.get(town=argentan, osm_id="node/3").latitude == Decimal("48.750000")


def test_sirene_rows_are_placed_by_insee_code_or_else_by_postcode(argentan: Town) -> None:
    content = sirene_bytes(
        [
            sirene_row(siret=luhn_siret(1), codeCommuneEtablissement="", enseigne1Etablissement="ICI"),
            sirene_row(
                siret=luhn_siret(2),
                codeCommuneEtablissement="",
                codePostalEtablissement="14000",
                enseigne1Etablissement="AILLEURS",
            ),
            sirene_row(siret=luhn_siret(3), codeCommuneEtablissement="14118", enseigne1Etablissement="CAEN"),
        ]
    )

    report = sirene_import(argentan, content)

    assert report.created == 1
    assert report.skipped == {"other_commune": 2}
    assert Shop.objects.get(town=argentan).name == "Ici"


def test_a_town_whose_insee_code_lost_its_leading_zero_in_a_spreadsheet(argentan: Town) -> None:
    bourg = make_town_01()
    content = sirene_bytes([sirene_row(codeCommuneEtablissement="1053", codePostalEtablissement="1000")])

    report = sirene_import(bourg, content)

    assert report.created == 1
    assert Shop.objects.get(town=bourg).postcode == "01000"


def make_town_01() -> Town:
    from centreville.towns.tests.factories import TownFactory

    town: Town = TownFactory.create(
        name="Bourg-en-Bresse",
        slug="bourg",
        insee_code="01053",
        postcodes=["01000"],
        latitude=Decimal("46.205200"),
        longitude=Decimal("5.225500"),
    )
    return town


def test_geolocated_sirene_extracts_give_their_longitude_and_latitude(argentan: Town) -> None:
    header = [*SIRENE_HEADER, "longitude", "latitude"]
    rows = [
        [*sirene_row(siret=luhn_siret(1)), "-0.0190", "48.7440"],
        [*sirene_row(siret=luhn_siret(2), enseigne1Etablissement="LOIN"), "2.35", "48.85"],
    ]

    report = sirene_import(argentan, sirene_bytes(rows, header=header))

    near = Shop.objects.get(town=argentan, siret=luhn_siret(1))
    assert (near.longitude, near.latitude) == (Decimal("-0.019000"), Decimal("48.744000"))
    assert Shop.objects.get(town=argentan, siret=luhn_siret(2)).latitude is None
    assert report.warnings == {"coordinates_far": 1}


# --- 4. house names and places without a street ---


def test_a_shop_with_a_house_name_or_a_place_but_no_street_is_kept(argentan: Town) -> None:
    data = collection(
        osm_feature("node/1", name="Les Halles Bio", **{"addr:street": None, "addr:housename": "Les Halles"}),
        osm_feature("node/2", name="Le Kiosque", **{"addr:street": None, "addr:place": "Place du Marché"}),
        osm_feature("node/3", name="Nulle part", **{"addr:street": None, "addr:housenumber": None}),
    )

    report = osm_import(argentan, data)

    assert report.created == 2
    assert Shop.objects.get(town=argentan, osm_id="node/1").street_address == "Les Halles"
    assert Shop.objects.get(town=argentan, osm_id="node/2").street_address == "5 Place du Marché"
    assert report.warning_examples["no_street"] == ["Les Halles Bio : Les Halles"]
    assert report.skipped_examples["no_address"] == ["Nulle part (node/3)"]


def test_a_sirene_row_without_street_keeps_its_address_complement(argentan: Town) -> None:
    row = sirene_row(
        libelleVoieEtablissement="",
        typeVoieEtablissement="",
        complementAdresseEtablissement="CENTRE COMMERCIAL",
    )

    sirene_import(argentan, sirene_bytes([row]))

    assert Shop.objects.get(town=argentan).street_address == "Centre Commercial"


# --- 5. odd rows, encodings, truncated files, control characters ---


@pytest.mark.parametrize(
    "odd",
    [
        {"type": "Feature", "id": "node/9", "properties": ["not", "a", "dict"], "geometry": None},
        {"type": "Feature", "id": "node/9", "properties": {"shop": "bakery", "name": {"fr": "?"}}},
        osm_feature("node/9", **{"addr:street": 12})
        | {"geometry": {"type": "Point", "coordinates": ["a", "b"]}},
        "a string",
        5,
        None,
    ],
)
def test_one_odd_element_is_reported_and_the_rest_imported(argentan: Town, odd: Any) -> None:
    data = collection(osm_feature("node/1", name="Avant"), odd, osm_feature("node/2", name="Après"))

    report = osm_import(argentan, data)

    assert set(Shop.objects.for_town(argentan).values_list("name", flat=True)) >= {"Avant", "Après"}
    assert report.created >= 2


def test_a_row_the_database_refuses_writes_nothing_and_the_others_are_saved(
    argentan: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ShopImportRecord.objects.create

    def failing(**kwargs: Any) -> ShopImportRecord:
        if kwargs["shop"].name == "Refusé":
            raise DatabaseError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(ShopImportRecord.objects, "create", failing)
    data = collection(
        osm_feature("node/1", name="Avant"),
        osm_feature("node/2", name="Refusé"),
        osm_feature("node/3", name="Après"),
    )

    report = osm_import(argentan, data)

    assert set(Shop.objects.for_town(argentan).values_list("name", flat=True)) == {"Avant", "Après"}
    assert not ShopStatusChange.objects.filter(shop__name="Refusé").exists()
    assert report.skipped_examples["invalid"] == ["Refusé (node/2) — refusé par la base de données"]


def test_a_windows_1252_file_is_read_and_the_encoding_named(argentan: Town) -> None:
    content = sirene_bytes([sirene_row(enseigne1Etablissement="CAFÉ DES ÉCOLES")], encoding="cp1252")

    report = sirene_import(argentan, content)

    assert Shop.objects.get(town=argentan).name == "Café des Écoles"
    assert report.encoding == "Windows-1252 (Latin-1) : le fichier n'était pas en UTF-8"
    geojson = json.dumps(collection(osm_feature("node/1", name="Crêperie")), ensure_ascii=False).encode(
        "cp1252"
    )
    assert osm_import(argentan, geojson).encoding.startswith("Windows-1252")
    bom = b"\xef\xbb\xbf" + json.dumps(collection(osm_feature("node/2", name="Brûlerie"))).encode()
    assert osm_import(argentan, bom).encoding == "UTF-8 avec BOM"
    assert Shop.objects.for_town(argentan).filter(name__in=["Crêperie", "Brûlerie"]).count() == 2


def test_control_characters_are_stripped_from_names(argentan: Town) -> None:
    osm_import(argentan, collection(osm_feature("node/1", name="Boulan\u0000gerie\u0007 du\tPont")))
    sirene_import(argentan, sirene_bytes([sirene_row(enseigne1Etablissement="FROMA\x00GERIE")]))

    assert set(Shop.objects.for_town(argentan).values_list("name", flat=True)) == {
        "Boulangerie du Pont",
        "Fromagerie",
    }


def test_a_truncated_geojson_imports_its_complete_features_and_says_so(argentan: Town) -> None:
    text = json.dumps(collection(*[osm_feature(f"node/{n}", name=f"Commerce {n}") for n in range(1, 5)]))
    cut = text[: text.index('"node/4"') + 20].encode()

    report = osm_import(argentan, cut)

    assert report.created == 3
    assert "s'arrête au milieu de l'élément n°4" in report.truncated


def test_a_truncated_sirene_file_says_so(argentan: Town) -> None:
    content = sirene_bytes(
        [sirene_row(siret=luhn_siret(n), enseigne1Etablissement=f"BOUTIQUE {n}") for n in (1, 2)]
    )
    cut = content[: len(content) - 30]  # the last line loses its end and its line break

    report = sirene_import(argentan, cut)

    assert report.created == 1
    assert "la dernière ligne (3) est coupée" in report.truncated
    compressed = gzip.compress(content * 1)[:-12]
    assert "s'arrête avant sa fin" in sirene_import(argentan, compressed, "stock.csv.gz").truncated


# --- 8. details from the walkthrough ---


def test_a_short_sirene_row_is_reported_as_incomplete_not_closed(argentan: Town) -> None:
    good = sirene_row(siret=luhn_siret(1))
    short = sirene_row(siret=luhn_siret(2))[:40]

    report = sirene_import(argentan, sirene_bytes([short, good]))

    assert report.created == 1
    assert report.skipped == {"short_row": 1}
    assert report.skipped_examples["short_row"] == ["ligne 2 (40 colonnes sur 53)"]


def test_a_degenerate_polygon_is_placed_on_its_points_not_near_0_0() -> None:
    sliver = {
        "type": "Polygon",
        "coordinates": [
            [[-0.0212, 48.7451], [-0.0210, 48.7451], [-0.0211, 48.745100000001], [-0.0212, 48.7451]]
        ],
    }
    point = centroid(sliver)
    assert point is not None
    assert point == pytest.approx((-0.0211, 48.7451), abs=1e-4)
    assert centroid({"type": "Polygon", "coordinates": [[]]}) is None
    assert centroid({"type": "Point", "coordinates": [0, 0]}) is None


def test_every_skipped_row_is_named_not_five_of_them(argentan: Town) -> None:
    data = collection(
        *[osm_feature(f"node/{n}", name=f"Garage {n}", shop="car_repair") for n in range(1, 13)]
    )

    report = osm_import(argentan, data)

    assert len(report.skipped_examples["unmapped"]) == 12


def test_writes_are_batched(argentan: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "BATCH_ROWS", 3)
    calls: list[list[int]] = []

    def record(sender: Any, shop_ids: list[int], **kwargs: Any) -> None:
        calls.append(list(shop_ids))

    data = collection(*[osm_feature(f"node/{n}", name=f"Commerce {n}") for n in range(1, 8)])

    shops_changed.connect(record)
    try:
        osm_import(argentan, data)
    finally:
        shops_changed.disconnect(record)

    assert [len(ids) for ids in calls] == [3, 3, 1]


def test_a_stray_windows_byte_deep_in_a_utf8_file_is_read_not_fatal(argentan: Town) -> None:
    filler = [sirene_row(siret=luhn_siret(n), codeCommuneEtablissement="14118") for n in range(10, 700)]
    content = sirene_bytes([*filler, sirene_row(enseigne1Etablissement="CAFÉ DU PONT")])
    content = content.replace("CAFÉ".encode(), "CAFÉ".encode("cp1252"))
    assert len(content) > 64 * 1024  # beyond the sample the encoding is told from

    report = sirene_import(argentan, content)

    assert Shop.objects.get(town=argentan).name == "Café du Pont"
    assert report.encoding == "UTF-8 (quelques caractères en Windows-1252)"
