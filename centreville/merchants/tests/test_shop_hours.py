"""Opening hours typed day by day on the shop's form, written as one OpenStreetMap expression; the raw
expression kept for the rare cases, and refused input explained in French with nothing lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory, TradeCategoryFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

DAYS = range(7)


@pytest.fixture
def shop() -> Shop:
    town = TownFactory.create(slug="argentan", postcodes=["61200"])
    shop: Shop = ShopFactory.create(
        town=town, slug="epicerie", name="Épicerie", opening_hours="Tu-Sa 09:00-12:30,14:00-19:00; PH off"
    )
    return shop


@pytest.fixture
def merchant(client: Client, shop: Shop) -> Client:
    client.force_login(ShopMembershipFactory.create(shop=shop).user)
    return client


def edit_url(shop: Shop) -> str:
    return reverse("merchants:shop_edit", args=["argentan", shop.slug])


def shop_data(shop: Shop, **changes: Any) -> dict[str, Any]:
    """The edit form as the page sends it: the shop's details, the raw expression unchanged, the table."""
    data: dict[str, Any] = {
        "name": shop.name,
        "category": shop.category_id,
        "description": "",
        "street_address": shop.street_address,
        "postcode": shop.postcode,
        "city": shop.city,
        "opening_hours": shop.opening_hours,
        "independence": "yes",
        "hours_editor": "week",
        "hours_holidays": "open",
    }
    for day in DAYS:
        data[f"hours_day{day}_state"] = "closed"
    data.update(changes)
    return data


def week(**days: Any) -> dict[str, str]:
    """`mo=("09:00", "12:00", "14:00", "18:00")`, `tu="same"`, `we="closed"` → the table's fields."""
    names = ["mo", "tu", "we", "th", "fr", "sa", "su"]
    data: dict[str, str] = {}
    for name, value in days.items():
        day = names.index(name)
        if isinstance(value, str):
            data[f"hours_day{day}_state"] = value
            continue
        data[f"hours_day{day}_state"] = "open"
        for index, clock in enumerate(value):
            slot, end = divmod(index, 2)
            data[f"hours_day{day}_{'close' if end else 'open'}{slot + 1}"] = clock
    return data


def test_the_form_shows_the_saved_hours_day_by_day(merchant: Client, shop: Shop) -> None:
    page = merchant.get(edit_url(shop)).content.decode()

    assert 'name="hours_editor" value="week"' in page
    assert 'name="hours_day0_state" value="closed" id="id_hours_day0_state_0" checked' in page
    assert 'name="hours_day1_state" value="open" id="id_hours_day1_state_1" checked' in page
    assert 'name="hours_day1_open1" value="09:00"' in page
    assert 'name="hours_day1_close2" value="19:00"' in page
    assert 'name="hours_day2_state" value="same" id="id_hours_day2_state_2" checked' in page
    assert 'name="hours_holidays" value="closed" id="id_hours_holidays_1" checked' in page
    assert '<input type="time" name="hours_day4_open1"' in page
    assert "Saisie avancée (syntaxe OpenStreetMap)" in page


def test_hours_typed_day_by_day_are_saved_as_a_compact_expression(merchant: Client, shop: Shop) -> None:
    data = shop_data(
        shop,
        hours_holidays="closed",
        **week(
            mo=("09:00", "12:00", "14:00", "18:00"),
            tu="same",
            we="same",
            th="same",
            fr="same",
            sa=("09:00", "12:00"),
            su="closed",
        ),
    )

    response = merchant.post(edit_url(shop), data)

    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.opening_hours == "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off"


def test_a_day_ending_at_midnight_is_typed_as_00_00(merchant: Client, shop: Shop) -> None:
    merchant.post(edit_url(shop), shop_data(shop, **week(fr=("18:00", "00:00"), sa=("10:00", "02:00"))))

    shop.refresh_from_db()
    assert shop.opening_hours == "Fr 18:00-24:00; Sa 10:00-02:00"


def test_the_raw_expression_wins_when_it_was_changed(merchant: Client, shop: Shop) -> None:
    data = shop_data(shop, opening_hours="Mo-Fr 08:00-18:00; week 01-26 Sa 09:00-12:00", **week(mo="closed"))

    merchant.post(edit_url(shop), data)

    shop.refresh_from_db()
    assert shop.opening_hours == "Mo-Fr 08:00-18:00; week 01-26 Sa 09:00-12:00"


def test_without_the_table_the_raw_expression_is_used(merchant: Client, shop: Shop) -> None:
    data = shop_data(shop, opening_hours="Mo-Sa 10:00-19:00")
    del data["hours_editor"]

    merchant.post(edit_url(shop), data)

    shop.refresh_from_db()
    assert shop.opening_hours == "Mo-Sa 10:00-19:00"


def test_hours_the_table_cannot_show_leave_the_raw_field_and_say_why(merchant: Client, shop: Shop) -> None:
    Shop.objects.filter(pk=shop.pk).update(opening_hours="Mo-Fr 09:00-18:00; week 01-26 Sa 09:00-12:00")

    page = merchant.get(edit_url(shop)).content.decode()

    assert 'name="hours_editor" value=""' in page or 'name="hours_editor" id' in page
    assert 'name="hours_day0_state"' not in page
    assert "Le tableau jour par jour ne peut pas afficher vos horaires actuels." in page
    assert "numéros de semaine" in page
    assert '<details class="more-fields advanced-hours" open>' in page


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        (
            {"tu": "open"},
            "hours_day1_open1",
            "Mardi : indiquez les heures d&#x27;ouverture, ou choisissez « Fermé ».",
        ),
        (
            {"we": ("14:00", "12:00")},
            "hours_day2_close1",
            "Mercredi : la fermeture (12:00) ne vient pas après",
        ),
        (
            {"th": ("09:00", "")},
            "hours_day3_close1",
            "Jeudi : indiquez l&#x27;heure d&#x27;ouverture et l&#x27;heure",
        ),
        (
            {"fr": ("09:00", "13:00", "12:00", "18:00")},
            "hours_day4_open2",
            "Vendredi : la réouverture doit venir",
        ),
        ({"sa": ("9h", "12:00")}, "hours_day5_open1", "Heure illisible (exemple : 09:30)."),
    ],
)
def test_refused_hours_are_explained_and_nothing_is_lost(
    merchant: Client, shop: Shop, days: dict[str, Any], field: str, message: str
) -> None:
    data = shop_data(shop, name="Épicerie Martin", **week(mo=("08:00", "12:00"), **days))

    response = merchant.post(edit_url(shop), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'value="Épicerie Martin"' in page  # the rest of the form is kept
    assert 'name="hours_day0_open1" value="08:00"' in page
    shop.refresh_from_db()
    assert shop.name == "Épicerie"
    assert shop.opening_hours == "Tu-Sa 09:00-12:30,14:00-19:00; PH off"


def test_a_new_shop_gets_its_hours_day_by_day(client: Client) -> None:
    TownFactory.create(slug="argentan", postcodes=["61200"])
    client.force_login(ShopMembershipFactory.create().user)
    data = {
        "name": "La Bonne Graine",
        "category": TradeCategoryFactory.create().pk,
        "street_address": "3 rue du Marché",
        "postcode": "61200",
        "city": "Argentan",
        "opening_hours": "",
        "independence": "yes",
        "hours_editor": "week",
        "hours_holidays": "closed",
        **{f"hours_day{day}_state": "closed" for day in DAYS},
        **week(tu=("09:30", "19:00"), we="same", th="same", fr="same", sa="same"),
    }

    response = client.post(reverse("merchants:shop_create", args=["argentan"]), data)

    assert response.status_code == 302
    assert Shop.objects.get(name="La Bonne Graine").opening_hours == "Tu-Sa 09:30-19:00; PH off"


def test_an_empty_table_leaves_the_hours_unsaid(merchant: Client, shop: Shop) -> None:
    merchant.post(edit_url(shop), shop_data(shop))

    shop.refresh_from_db()
    assert shop.opening_hours == ""
