from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from centreville.towns.spaces import contrast_ratio, readable_text_colour
from centreville.towns.tests.factories import TerritoryFactory, TownFactory
from centreville.towns.validators import validate_outline

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-0.03, 48.74], [-0.01, 48.74], [-0.01, 48.75], [-0.03, 48.75], [-0.03, 48.74]]],
}


def test_a_valid_town_passes_full_clean() -> None:
    town = TownFactory.build(insee_code="2A004", postcodes=["20000"], centre_outline=SQUARE)
    town.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("insee_code", "6100", "code INSEE"),
        ("postcodes", ["612"], "code postal"),
        ("postcodes", [], "ne peut pas être vide"),
        ("brand_colour", "blue", "#RRVVBB"),
        ("timezone", "Europe/Argentan", "fuseau horaire"),
        ("slug", "admin", "réservée"),
        ("latitude", 123, "inférieure ou égale à 90"),
    ],
)
def test_bad_town_fields_get_a_french_message(field: str, value: object, message: str) -> None:
    town = TownFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        town.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_a_town_cannot_take_a_territory_address() -> None:
    TerritoryFactory.create(slug="pays-d-auge")
    with pytest.raises(ValidationError) as error:
        TownFactory.build(slug="pays-d-auge").full_clean()
    assert "déjà prise" in error.value.message_dict["slug"][0]


def test_a_territory_cannot_take_a_town_address() -> None:
    TownFactory.create(slug="argentan")
    with pytest.raises(ValidationError):
        TerritoryFactory.build(slug="argentan").full_clean()


@pytest.mark.parametrize(
    ("outline", "message"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, "Polygon ou MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}, "quatre points"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "refermer"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 91], [0, 0]]]},
            "Point de contour invalide",
        ),
        ({"type": "MultiPolygon", "coordinates": []}, "aucune coordonnée"),
    ],
)
def test_bad_outlines_are_refused(outline: dict, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_outline(outline)
    assert message in error.value.messages[0]


def test_a_multipolygon_outline_is_accepted() -> None:
    validate_outline({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]})


@pytest.mark.parametrize("colour", ["#1d4e89", "#ffcc00", "#777777", "#000000", "#ffffff", "#e30613"])
def test_header_text_always_reaches_the_aa_contrast(colour: str) -> None:
    assert contrast_ratio(colour, readable_text_colour(colour)) >= 4.5
