"""Importing shops from an OpenStreetMap export (overpass turbo GeoJSON)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from centreville.accounts.tests.factories import UserFactory
from centreville.shops.imports.common import ImportReport, import_shops
from centreville.shops.imports.osm import OsmReader, centroid
from centreville.shops.models import Shop, ShopSource, ShopStatus, ShopStatusChange
from centreville.shops.services import shop_update
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .import_fixtures import OSM_FILE, as_stream, feature, make_argentan, osm_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def argentan() -> Town:
    return make_argentan()


def run_import(town: Town, data: dict | None = None) -> ImportReport:
    if data is None:
        with OSM_FILE.open("rb") as stream:
            return import_shops(town=town, reader=OsmReader(stream, town=town))
    return import_shops(town=town, reader=OsmReader(as_stream(data), town=town))


def test_first_import_creates_the_independent_shops_and_says_why_others_are_skipped(argentan: Town) -> None:
    report = run_import(argentan)

    assert (report.created, report.updated, report.unchanged) == (7, 0, 0)
    assert report.skipped == {
        "chain": 2,
        "unmapped": 2,
        "no_name": 1,
        "no_address": 1,
        "other_commune": 1,
        "vacant": 1,
    }
    assert report.skipped_examples["chain"] == [
        "Jules (node/1234567803) (Jules)",
        "McDonald's (node/1234567813) (McDonald's)",
    ]
    assert "Garage Central (node/1234567806) — shop=car_repair" in report.skipped_examples["unmapped"]
    assert report.warnings == {"opening_hours_repaired": 1, "phone": 1, "email": 1}
    assert report.warning_examples["opening_hours_repaired"] == [
        "Librairie des Halles : « Tu-Fr 09:00-12:15 / 14:15-19:00 » → « Tu-Fr 09:00-12:15,14:15-19:00 »"
    ]
    assert set(Shop.objects.for_town(argentan).values_list("name", flat=True)) == {
        "Boulangerie Au Bon Pain",
        "Librairie des Halles",
        "Le Café du Commerce",
        "Cordonnerie Martin",
        "Pharmacie des Halles",
        "Le Relais Normand",
        "Homme Élégance",
    }


def test_a_node_is_mapped_field_by_field(argentan: Town) -> None:
    run_import(argentan)

    shop = Shop.objects.select_related("category").get(town=argentan, osm_id="node/1234567801")
    assert shop.name == "Boulangerie Au Bon Pain"
    assert shop.category.slug == "boulangerie-patisserie"
    assert (shop.street_address, shop.postcode, shop.city) == ("12 Rue de la République", "61200", "Argentan")
    assert (shop.latitude, shop.longitude) == (Decimal("48.744120"), Decimal("-0.019541"))
    assert shop.opening_hours == "Tu-Sa 07:00-13:00,15:00-19:30; Su 07:30-12:30"
    assert shop.phone.as_e164 == "+33233671234"
    assert shop.phone.as_national == "02 33 67 12 34"
    assert shop.website == "https://au-bon-pain.example.fr"
    assert shop.accessible_entrance is True
    assert (shop.source, shop.status, shop.is_independent) == (ShopSource.OSM, ShopStatus.PUBLISHED, True)
    assert shop.slug == "boulangerie-au-bon-pain"
    assert not shop.memberships.exists()
    change = ShopStatusChange.objects.get(shop=shop)
    assert (change.from_status, change.to_status) == (ShopStatus.DRAFT, ShopStatus.PUBLISHED)


def test_a_way_is_placed_at_its_centroid_and_odd_values_are_set_aside(argentan: Town) -> None:
    run_import(argentan)

    bookshop = Shop.objects.get(town=argentan, osm_id="way/234567801")
    assert (bookshop.latitude, bookshop.longitude) == (Decimal("48.745200"), Decimal("-0.021100"))
    # "Tu-Fr 09:00-12:15 / 14:15-19:00" is not OSM syntax: repaired, the source's text kept beside
    assert bookshop.opening_hours == "Tu-Fr 09:00-12:15,14:15-19:00"
    assert bookshop.opening_hours_raw == "Tu-Fr 09:00-12:15 / 14:15-19:00"
    assert bookshop.website == "https://www.librairie-des-halles.example.fr"
    assert bookshop.phone.as_e164 == "+33233369988"  # from contact:phone
    assert bookshop.email == "contact@librairie-des-halles.example.fr"
    assert bookshop.accessible_entrance is False
    cafe = Shop.objects.select_related("category").get(town=argentan, osm_id="node/1234567802")
    assert cafe.category.slug == "cafe-bar"
    assert str(cafe.phone) == ""  # "02 33 36" dropped with a warning
    assert cafe.accessible_entrance is False  # wheelchair=limited
    assert Shop.objects.get(town=argentan, osm_id="node/1234567812").category.slug == "pret-a-porter-homme"
    assert Shop.objects.get(town=argentan, osm_id="node/1234567809").category.slug == "cordonnerie-cles"


def test_running_the_same_file_again_changes_nothing(argentan: Town) -> None:
    run_import(argentan)
    before = list(Shop.objects.for_town(argentan).order_by("pk").values())

    report = run_import(argentan)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert list(Shop.objects.for_town(argentan).order_by("pk").values()) == before


def test_a_new_export_updates_what_changed_in_openstreetmap(argentan: Town) -> None:
    data = osm_data()
    run_import(argentan, data)
    bakery = feature(data, "node/1234567801")["properties"]
    bakery["opening_hours"] = "We-Su 07:00-13:30"
    bakery["phone"] = "+33 2 33 67 99 99"
    feature(data, "node/1234567809")["properties"]["wheelchair"] = "yes"

    report = run_import(argentan, data)

    assert (report.created, report.updated, report.unchanged) == (0, 2, 5)
    shop = Shop.objects.get(town=argentan, osm_id="node/1234567801")
    assert shop.opening_hours == "We-Su 07:00-13:30"
    assert shop.phone.as_e164 == "+33233679999"
    assert Shop.objects.get(town=argentan, osm_id="node/1234567809").accessible_entrance is True


def test_what_the_manager_changed_since_the_import_is_kept(argentan: Town) -> None:
    data = osm_data()
    run_import(argentan, data)
    shop = Shop.objects.get(town=argentan, osm_id="node/1234567801")
    shop_update(shop=shop, phone="02 33 12 12 12")
    bakery = feature(data, "node/1234567801")["properties"]
    bakery["phone"] = "+33 2 33 67 99 99"
    bakery["opening_hours"] = "We-Su 07:00-13:30"

    report = run_import(argentan, data)

    shop.refresh_from_db()
    assert shop.phone.as_e164 == "+33233121212"  # edited on the platform: kept
    assert shop.opening_hours == "We-Su 07:00-13:30"  # still as imported: updated
    assert report.warnings["kept_edited"] == 1


def test_once_a_merchant_runs_the_shop_only_empty_fields_are_filled(argentan: Town) -> None:
    data = osm_data()
    run_import(argentan, data)
    shop = Shop.objects.get(town=argentan, osm_id="node/1234567801")
    ShopMembershipFactory.create(shop=shop, user=UserFactory.create())
    bakery = feature(data, "node/1234567801")["properties"]
    bakery["opening_hours"] = "We-Su 07:00-13:30"
    bakery["name"] = "Au Bon Pain d'Argentan"
    bakery["email"] = "bonjour@au-bon-pain.example.fr"

    report = run_import(argentan, data)

    shop.refresh_from_db()
    assert shop.name == "Boulangerie Au Bon Pain"
    assert shop.opening_hours == "Tu-Sa 07:00-13:00,15:00-19:30; Su 07:30-12:30"
    assert shop.email == "bonjour@au-bon-pain.example.fr"
    assert report.updated == 1


def test_chains_are_imported_as_such_where_the_town_accepts_them(argentan: Town) -> None:
    argentan.allow_chains = True
    argentan.save()

    report = run_import(argentan)

    assert report.created == 9
    assert "chain" not in report.skipped
    jules = Shop.objects.get(town=argentan, osm_id="node/1234567803")
    assert (jules.is_independent, jules.network_name, jules.status) == (False, "Jules", ShopStatus.PUBLISHED)
    assert Shop.objects.get(town=argentan, osm_id="node/1234567813").network_name == "McDonald's"


def test_a_shop_that_became_a_chain_is_left_for_the_manager_to_decide(argentan: Town) -> None:
    data = osm_data()
    run_import(argentan, data)
    feature(data, "node/1234567801")["properties"]["brand"] = "Ange"

    report = run_import(argentan, data)

    assert report.warnings["chain_in_source"] == 1
    assert Shop.objects.get(town=argentan, osm_id="node/1234567801").is_independent is True


def test_a_shop_gone_vacant_in_openstreetmap_is_pointed_out(argentan: Town) -> None:
    data = osm_data()
    run_import(argentan, data)
    feature(data, "node/1234567809")["properties"].update({"craft": "", "shop": "vacant"})

    report = run_import(argentan, data)

    assert report.warning_examples["closed_in_source"] == ["Cordonnerie Martin : node/1234567809"]


def test_names_taken_get_a_numbered_address(argentan: Town) -> None:
    data = osm_data()
    twin = json.loads(json.dumps(feature(data, "node/1234567801")))
    twin["id"] = twin["properties"]["@id"] = "node/99"
    data["features"].append(twin)

    run_import(argentan, data)

    slugs = set(
        Shop.objects.for_town(argentan).filter(name="Boulangerie Au Bon Pain").values_list("slug", flat=True)
    )
    assert slugs == {"boulangerie-au-bon-pain", "boulangerie-au-bon-pain-2"}


def test_each_town_has_its_own_imported_shops(argentan: Town) -> None:
    other = TownFactory.create(name="Argentan", slug="argentan-bis", postcodes=["61200"])
    run_import(argentan)

    report = run_import(other)

    assert report.created == 7
    assert Shop.objects.for_town(argentan).count() == Shop.objects.for_town(other).count() == 7
    assert Shop.objects.filter(osm_id="node/1234567801").count() == 2


def test_older_nested_properties_and_overpass_json_are_read(argentan: Town) -> None:
    nested = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "node/5",
                "properties": {
                    "type": "node",
                    "id": 5,
                    "tags": {"shop": "florist", "name": "Au Jardin", "addr:street": "Rue Pierre Ozenne"},
                    "relations": [],
                    "meta": {},
                },
                "geometry": {"type": "Point", "coordinates": [-0.02, 48.74]},
            }
        ],
    }
    overpass = {
        "version": 0.6,
        "generator": "Overpass API 0.7.62",
        "elements": [
            {
                "type": "way",
                "id": 77,
                "center": {"lat": 48.7451, "lon": -0.0211},
                "nodes": [1, 2, 3, 1],
                "tags": {"amenity": "bar", "name": "Le Bar du Marché", "addr:place": "Place du Marché"},
            }
        ],
    }

    run_import(argentan, nested)
    run_import(argentan, overpass)

    assert Shop.objects.get(town=argentan, osm_id="node/5").name == "Au Jardin"
    bar = Shop.objects.get(town=argentan, osm_id="way/77")
    assert (bar.street_address, bar.latitude) == ("Place du Marché", Decimal("48.745100"))


@pytest.mark.parametrize("content", [b"not json", b'{"type": "Feature"}', "é".encode("latin-1")])
def test_a_file_that_is_not_an_export_is_refused_in_french(argentan: Town, content: bytes) -> None:
    with pytest.raises(ValueError, match=r"JSON|OpenStreetMap"):
        OsmReader(io.BytesIO(content), town=argentan)


def test_centroids() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert centroid(square) == pytest.approx((1.0, 1.0))
    assert centroid({"type": "Point", "coordinates": [1.5, 2.5]}) == (1.5, 2.5)
    assert centroid(None) is None
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], square["coordinates"]],
    }
    assert centroid(multi) == pytest.approx((1.0, 1.0))
