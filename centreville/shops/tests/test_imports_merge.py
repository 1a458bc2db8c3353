"""The same shop from OpenStreetMap and from SIRENE is one shop: matched by SIRET, or by name and address."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.imports.common import ImportReport, import_shops
from centreville.shops.imports.matching import match_key
from centreville.shops.imports.osm import OsmReader
from centreville.shops.imports.sirene import SireneReader
from centreville.shops.models import ImportRun, Shop, ShopSource
from centreville.shops.services import shop_update
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.towns.models import Town

from .import_fixtures import (
    OSM_FILE,
    collection,
    luhn_siret,
    make_argentan,
    osm_feature,
    sirene_bytes,
    sirene_row,
)

pytestmark = pytest.mark.django_db
SIRET = luhn_siret(7)


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


def sirene(town: Town, *rows: list[str]) -> ImportReport:
    return import_shops(town=town, reader=SireneReader(io.BytesIO(sirene_bytes(list(rows))), town=town))


def osm(town: Town, *features: dict) -> ImportReport:
    content = json.dumps(collection(*features)).encode()
    return import_shops(town=town, reader=OsmReader(io.BytesIO(content), town=town))


BAKERY_ROW = sirene_row(
    siret=SIRET,
    enseigne1Etablissement="BOULANGERIE DU MARCHE",
    numeroVoieEtablissement="5",
    typeVoieEtablissement="PL",
    libelleVoieEtablissement="DU MARCHE",
)


def bakery_feature(**tags: str | None) -> dict:
    values: dict[str, str | None] = {
        "name": "Boulangerie du Marché",
        "opening_hours": "Tu-Sa 07:00-19:00",
        "addr:street": "Place du Marché",
        "addr:housenumber": "5",
    }
    return osm_feature("node/42", **(values | tags))


def test_the_siret_an_openstreetmap_feature_names_merges_it_with_the_sirene_shop(argentan: Town) -> None:
    sirene(argentan, BAKERY_ROW)

    report = osm(argentan, bakery_feature(name="Au Bon Pain", **{"ref:FR:SIRET": f"{SIRET[:9]} {SIRET[9:]}"}))

    shop = Shop.objects.get(town=argentan)
    assert (report.created, report.merged) == (0, 1)
    assert (shop.siret, shop.osm_id, shop.source) == (SIRET, "node/42", ShopSource.SIRENE)
    assert (shop.name, shop.opening_hours) == ("Au Bon Pain", "Tu-Sa 07:00-19:00")
    assert report.merged_examples == ["Au Bon Pain : Au Bon Pain (node/42)"]


def test_without_siret_the_same_name_and_address_merge_whatever_the_accents_and_abbreviations(
    argentan: Town,
) -> None:
    sirene(argentan, BAKERY_ROW)

    report = osm(argentan, bakery_feature())

    assert (report.created, report.merged) == (0, 1)
    shop = Shop.objects.get(town=argentan)
    assert (shop.siret, shop.osm_id, shop.name) == (SIRET, "node/42", "Boulangerie du Marché")
    assert match_key(name="SARL Le Fournil", street_address="5 bd Carnot", postcode="61200") == match_key(
        name="Fournil", street_address="5, Boulevard Carnot", postcode="61200"
    )


def test_merging_the_other_way_and_running_both_again_changes_nothing(argentan: Town) -> None:
    osm(argentan, bakery_feature())

    report = sirene(argentan, BAKERY_ROW)

    assert (report.created, report.merged) == (0, 1)
    shop = Shop.objects.get(town=argentan)
    assert (shop.name, shop.siret, shop.osm_id) == ("Boulangerie du Marché", SIRET, "node/42")
    again_osm, again_sirene = osm(argentan, bakery_feature()), sirene(argentan, BAKERY_ROW)
    assert (again_osm.unchanged, again_sirene.unchanged) == (1, 1)
    assert Shop.objects.get(town=argentan).name == "Boulangerie du Marché"  # no back and forth


def test_a_merge_keeps_what_the_merchant_typed(argentan: Town) -> None:
    sirene(argentan, BAKERY_ROW)
    shop = Shop.objects.get(town=argentan)
    ShopMembershipFactory.create(shop=shop, user=UserFactory.create())
    shop_update(shop=shop, opening_hours="Mo-Sa 06:30-20:00")

    report = osm(argentan, bakery_feature(**{"ref:FR:SIRET": SIRET, "phone": "+33 2 33 67 12 34"}))

    shop.refresh_from_db()
    assert report.merged == 1
    assert shop.opening_hours == "Mo-Sa 06:30-20:00"
    assert shop.name == "Boulangerie du Marche"  # run by its merchant: only empty fields are filled
    assert shop.phone.as_e164 == "+33233671234"


def test_another_shop_at_the_same_address_is_not_merged(argentan: Town) -> None:
    sirene(argentan, BAKERY_ROW)

    report = osm(argentan, bakery_feature(name="Fleurs du Marché", shop="florist"))

    assert (report.created, report.merged) == (1, 0)
    assert Shop.objects.for_town(argentan).count() == 2


def test_dry_run_reports_without_writing(argentan: Town) -> None:
    out = StringIO()

    call_command("import_osm", "argentan", str(OSM_FILE), "--dry-run", stdout=out, stderr=StringIO())

    lines = out.getvalue().splitlines()
    assert lines[0] == "Essai à blanc : rien n'a été enregistré."
    assert lines[-1] == (
        "import_osm rows=15 created=7 updated=0 unchanged=0 skipped=8 warnings=3 merged=0 status=dry_run"
    )
    assert not Shop.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_command_ends_with_one_machine_readable_line_when_the_file_is_cut(
    argentan: Town, tmp_path: Path
) -> None:
    text = json.dumps(collection(*[osm_feature(f"node/{n}", name=f"Commerce {n}") for n in range(1, 5)]))
    path = tmp_path / "export.geojson"
    path.write_text(text[: text.index('"node/4"')], encoding="utf-8")
    out = StringIO()

    call_command("import_osm", "argentan", str(path), stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines()[-1] == (
        "import_osm rows=3 created=3 updated=0 unchanged=0 skipped=0 warnings=0 merged=0 status=incomplete"
    )
    assert ImportRun.objects.get().status == "incomplete"
