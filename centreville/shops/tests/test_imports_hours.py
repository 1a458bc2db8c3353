"""Opening hours as sources write them: repaired when the intent is clear, kept as written for a look."""

from __future__ import annotations

import pytest
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.imports.common import import_shops
from centreville.shops.imports.hours import HoursStatus, read_opening_hours
from centreville.shops.imports.osm import OsmReader
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .import_fixtures import as_stream, collection, make_argentan, osm_feature


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Mo-Fr 09:00-12:00 / 14:00-19:00", "Mo-Fr 09:00-12:00,14:00-19:00"),
        ("Lu-Ve 9h-12h", "Mo-Fr 09:00-12:00"),
        ("Mo-Sa 9-12", "Mo-Sa 09:00-12:00"),
        ("Mo-Sa 09:00–12:00", "Mo-Sa 09:00-12:00"),
        ("Mo-Sa 09:00-19:00;", "Mo-Sa 09:00-19:00"),
        ("24h/24", "24/7"),
        ("24h/24 7j/7", "24/7"),
        ("Mo-Fr: 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo-Fr 08:00-12:00 et 14:00-18:00", "Mo-Fr 08:00-12:00,14:00-18:00"),
        ("Tu-Sa 09:00-12:00 ; 14:00-19:00", "Tu-Sa 09:00-12:00,14:00-19:00"),
        ("Du lundi au vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
        (
            "Lundi-Vendredi 9h00-12h00 et 14h00-19h00; samedi 9h-12h; dimanche fermé",
            "Mo-Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00; Su off",
        ),
        ("Mar-Sam 9h30-19h", "Tu-Sa 09:30-19:00"),
    ],
)
def test_common_mistakes_are_repaired_into_valid_hours(raw: str, value: str) -> None:
    reading = read_opening_hours(raw)

    assert (reading.value, reading.status, reading.raw) == (value, HoursStatus.REPAIRED, raw)
    assert reading.needs_a_look


def test_valid_hours_are_kept_as_written_and_dates_are_not_taken_for_hours() -> None:
    for text in (
        "Tu-Sa 07:00-13:00,15:00-19:30; Su 07:30-12:30",
        "Mar-Oct Mo-Fr 09:00-18:00",
        "24/7",
        "Mo-Sa 09:00-19:00; 2026 Dec 24 09:00-16:00",
    ):
        reading = read_opening_hours(text)
        assert (reading.value, reading.status, reading.needs_a_look) == (text, HoursStatus.VALID, False)


def test_hours_without_days_are_kept_but_pointed_out_and_nonsense_is_kept_only_as_text() -> None:
    every_day = read_opening_hours("09:00-19:00")
    nonsense = read_opening_hours("sur rendez-vous")

    assert (every_day.value, every_day.status) == ("09:00-19:00", HoursStatus.EVERY_DAY)
    assert (nonsense.value, nonsense.raw, nonsense.status) == ("", "sur rendez-vous", HoursStatus.INVALID)
    assert read_opening_hours(None).status is HoursStatus.EMPTY


BAD_HOURS = [
    "Mo-Fr 09:00-12:00 / 14:00-19:00",
    "Lu-Ve 9h-12h",
    "09:00-19:00",
    "Mo-Sa 9-12",
    "Mo-Sa 09:00–12:00",
    "Mo-Sa 09:00-19:00;",
    "24h/24",
    "sur rendez-vous",
]


@pytest.mark.django_db
def test_every_shop_whose_hours_need_a_look_is_named_and_keeps_the_sources_text(client: Client) -> None:
    argentan: Town = make_argentan()
    features = [
        osm_feature(f"node/{n}", name=f"Commerce {n}", opening_hours=hours, **{"addr:housenumber": str(n)})
        for n, hours in enumerate(BAD_HOURS, start=1)
    ]

    report = import_shops(town=argentan, reader=OsmReader(as_stream(collection(*features)), town=argentan))

    assert report.created == 8
    named = [
        example.split(" : ")[0]
        for code in ("opening_hours", "opening_hours_repaired", "opening_hours_every_day")
        for example in report.warning_examples.get(code, [])
    ]
    assert sorted(named) == [f"Commerce {n}" for n in range(1, 9)]
    shops = {shop.name: shop for shop in Shop.objects.for_town(argentan)}
    assert (shops["Commerce 2"].opening_hours, shops["Commerce 2"].opening_hours_raw) == (
        "Mo-Fr 09:00-12:00",
        "Lu-Ve 9h-12h",
    )
    assert (shops["Commerce 8"].opening_hours, shops["Commerce 8"].opening_hours_raw) == (
        "",
        "sur rendez-vous",
    )
    # The manager's import page lists them all, until marked as checked.
    client.force_login(TownRoleFactory.create(town=argentan, role=Role.MANAGER).user)
    page = client.get("/argentan/gestion/imports/").content.decode()
    assert all(f"Commerce {n}" in page for n in range(1, 9))
    assert "<code>sur rendez-vous</code>" in page
    response = client.post(f"/argentan/gestion/imports/horaires/{shops['Commerce 2'].pk}/verifie/")
    assert response.status_code == 302
    shops["Commerce 2"].refresh_from_db()
    assert (shops["Commerce 2"].opening_hours, shops["Commerce 2"].opening_hours_raw) == (
        "Mo-Fr 09:00-12:00",
        "",
    )
    assert (
        "Commerce 2"
        not in client.get("/argentan/gestion/imports/").content.decode().split("horaires-a-verifier")[1]
    )

    again = import_shops(town=argentan, reader=OsmReader(as_stream(collection(*features)), town=argentan))

    shops["Commerce 2"].refresh_from_db()
    assert shops["Commerce 2"].opening_hours_raw == ""  # checked once is checked
    assert "Commerce 2" not in str(again.warning_examples)
    assert again.unchanged == 8
