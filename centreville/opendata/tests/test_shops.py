"""The shops dataset: the town's published shops in acceslibre-erp-base 0.0.20, and nothing personal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from centreville.opendata import tableschema, writers
from centreville.opendata.datasets import DATASETS
from centreville.opendata.datasets.shops import (
    ACCESLIBRE_ERP,
    ACTIVITY_OF_TRADE,
    SHOPS,
    shop_records,
    shop_summary,
    split_street_address,
)
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

AT = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)


@pytest.fixture
def argentan(db: None) -> Town:
    town: Town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    return town


def test_the_schema_followed_is_acceslibre_erp_base_0_0_20() -> None:
    assert SHOPS.schema is ACCESLIBRE_ERP
    assert (ACCESLIBRE_ERP.name, ACCESLIBRE_ERP.version) == ("acceslibre-erp-base", "0.0.20")
    assert ACCESLIBRE_ERP.title == "Accessibilité ERP — Base"
    assert [spec.name for spec in SHOPS.fields][:6] == [
        "id",
        "name",
        "postal_code",
        "commune",
        "numero",
        "voie",
    ]
    assert len({dataset.slug for dataset in DATASETS}) == len(DATASETS)


def test_every_trade_has_an_activity_of_the_schemas_list() -> None:
    (activity,) = [spec for spec in ACCESLIBRE_ERP.table_schema["fields"] if spec["name"] == "activite"]
    allowed = set(activity["arrayItem"]["enum"])

    assert {spec.slug for spec in TRADE_CATEGORIES} == set(ACTIVITY_OF_TRADE)
    assert set(ACTIVITY_OF_TRADE.values()) <= allowed
    assert "Commerce" in allowed


@pytest.mark.parametrize(
    ("address", "number", "street"),
    [
        ("12 rue de la République", "12", "rue de la République"),
        ("12 bis rue de la République", "12 bis", "rue de la République"),
        ("3B, place Mahé", "3B", "place Mahé"),
        ("4 B avenue Foch", "4 B", "avenue Foch"),
        ("7 av. de Paris", "7", "av. de Paris"),
        ("Place du Marché", "", "Place du Marché"),
        ("  Centre commercial  ", "", "Centre commercial"),
    ],
)
def test_an_address_line_splits_into_number_and_street(address: str, number: str, street: str) -> None:
    assert split_street_address(address) == (number, street)


def test_only_the_towns_published_shops_by_name(argentan: Town) -> None:
    bakery = ShopFactory.create(town=argentan, name="Boulangerie du Marché")
    ShopFactory.create(town=argentan, name="Atelier en préparation", status=ShopStatus.DRAFT)
    ShopFactory.create(town=argentan, name="Boutique masquée", status=ShopStatus.HIDDEN)
    ShopFactory.create(town=argentan, name="Ancienne mercerie", status=ShopStatus.CLOSED)
    books = ShopFactory.create(town=argentan, name="Librairie des Halles")
    ShopFactory.create(town=TownFactory.create(), name="Fromagerie d'Alençon")

    records = list(shop_records(argentan, at=AT))

    assert [record["name"] for record in records] == ["Boulangerie du Marché", "Librairie des Halles"]
    assert [record["id"] for record in records] == [
        f"61006-commerce-{bakery.pk}",
        f"61006-commerce-{books.pk}",
    ]


def test_a_record_is_what_the_shops_page_shows(argentan: Town) -> None:
    bakery = ShopFactory.create(
        town=argentan,
        name="Boulangerie du Marché",
        slug="boulangerie-du-marche",
        category=TradeCategoryFactory.create(name="Boulangerie-pâtisserie", slug="boulangerie-patisserie"),
        street_address="12 bis rue de la République",
        postcode="61200",
        city="Argentan",
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
        website="https://boulangerie.example.fr/",
        email="jean.dupont@example.fr",
        phone="+33233000000",
        siret="73282932000074",
    )
    ShopFactory.create(
        town=argentan,
        name="Primeur de Sarceaux",
        city="Sarceaux",
        category=TradeCategoryFactory.create(name="Métier de la ville", slug="metier-de-la-ville"),
    )

    first, second = shop_records(argentan, at=AT)

    assert first == {
        "id": f"61006-commerce-{bakery.pk}",
        "name": "Boulangerie du Marché",
        "postal_code": "61200",
        "commune": "Argentan",
        "numero": "12 bis",
        "voie": "rue de la République",
        "code_insee": "61006",
        "contact_url": "http://testserver/argentan/commerces/boulangerie-du-marche/",
        "site_internet": "https://boulangerie.example.fr/",
        "longitude": Decimal("-0.020300"),
        "latitude": Decimal("48.744500"),
        "activite": "Boulangerie Pâtisserie",
    }
    # Not in Argentan itself: no INSEE code of Argentan; a trade of the town's own: « Commerce ».
    assert (second["commune"], second["code_insee"], second["activite"]) == ("Sarceaux", None, "Commerce")
    assert (second["site_internet"], second["longitude"]) == (None, None)


def test_the_csv_is_valid_against_the_national_schema_and_holds_nothing_personal(argentan: Town) -> None:
    ShopFactory.create(
        town=argentan,
        name='Cave "Le Tire-Bouchon", vins',
        street_address="Place du Marché",
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
        website="https://cave.example.fr/",
        email="marie.martin@example.fr",
        phone="+33233111111",
        siret="73282932000074",
    )
    ShopFactory.create_batch(3, town=argentan)

    text = "".join(writers.csv_chunks(SHOPS.fields, shop_records(argentan, at=AT)))

    assert tableschema.validate_csv(text, ACCESLIBRE_ERP.table_schema) == []
    assert text.splitlines()[0].split(",") == [spec["name"] for spec in ACCESLIBRE_ERP.table_schema["fields"]]
    assert len(text.splitlines()) == 5
    for personal in ("marie.martin", "33233111111", "02 33 11 11 11", "73282932000074"):
        assert personal not in text


def test_the_summary_counts_published_shops_and_dates_the_last_change(argentan: Town) -> None:
    ShopFactory.create_batch(2, town=argentan)
    ShopFactory.create(town=argentan, status=ShopStatus.DRAFT)
    ShopFactory.create(town=TownFactory.create())
    earlier = timezone.now() - timedelta(days=3)
    Shop.objects.for_town(argentan).update(updated_at=earlier)
    # A shop taken off the platform changes the file: the day it was taken off dates it.
    withdrawn = ShopFactory.create(town=argentan, status=ShopStatus.HIDDEN)

    summary = shop_summary(argentan, at=AT)

    assert summary.records == 2
    assert summary.updated_at == Shop.objects.get(pk=withdrawn.pk).updated_at
    assert shop_summary(TownFactory.create(), at=AT).records == 0
