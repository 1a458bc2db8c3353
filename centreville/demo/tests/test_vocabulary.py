"""The shared vocabulary is consistent with the trade taxonomy and its data is valid."""

from __future__ import annotations

import re
import string
from decimal import Decimal

import opening_hours
import pytest

from centreville.demo.vocabulary import (
    FIRST_NAMES,
    STREET_NAMES,
    SURNAMES,
    TOWN_NAME_PARTS,
    TRADES,
    Trade,
    fill_shop_name,
)
from centreville.shops.taxonomy import TRADE_CATEGORIES

NAF_CODE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDERS = {"surname", "first_name", "street"}


def trade_id(trade: Trade) -> str:
    return trade.category_slug


def test_every_trade_has_a_category_and_every_category_a_trade() -> None:
    trade_slugs = [trade.category_slug for trade in TRADES]
    category_slugs = [category.slug for category in TRADE_CATEGORIES]
    assert len(trade_slugs) == len(set(trade_slugs))
    assert set(trade_slugs) == set(category_slugs)


def test_taxonomy_is_well_formed() -> None:
    assert len({category.slug for category in TRADE_CATEGORIES}) == len(TRADE_CATEGORIES)
    assert len({category.name for category in TRADE_CATEGORIES}) == len(TRADE_CATEGORIES)
    for category in TRADE_CATEGORIES:
        assert SLUG.match(category.slug), category.slug
        assert category.naf_codes, category.name
        for code in category.naf_codes:
            assert NAF_CODE.match(code), (category.name, code)


@pytest.mark.parametrize("trade", TRADES, ids=trade_id)
def test_opening_hours_are_valid_osm_syntax(trade: Trade) -> None:
    assert trade.opening_hours
    for value in trade.opening_hours:
        # validate() returns False (it does not raise) on a string it cannot parse.
        assert opening_hours.validate(value) is True, value


@pytest.mark.parametrize("trade", TRADES, ids=trade_id)
def test_products_have_unique_titles_and_positive_prices(trade: Trade) -> None:
    assert 8 <= len(trade.products) <= 15
    titles = [product.title for product in trade.products]
    assert len(titles) == len(set(titles))
    for product in trade.products:
        assert isinstance(product.price, Decimal), product.title
        assert product.price > 0, product.title
        assert product.price.as_tuple().exponent == -2, product.title


@pytest.mark.parametrize("trade", TRADES, ids=trade_id)
def test_shop_name_patterns_use_known_placeholders(trade: Trade) -> None:
    assert 2 <= len(trade.shop_name_patterns) <= 4
    for pattern in trade.shop_name_patterns:
        fields = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
        assert fields <= PLACEHOLDERS, pattern
        pattern.format(surname="Martin", first_name="Camille", street="rue de la République")


def test_names_are_plentiful_and_unique() -> None:
    for names, minimum in ((SURNAMES, 150), (FIRST_NAMES, 80), (STREET_NAMES, 120)):
        assert len(names) >= minimum
        assert len(set(names)) == len(names)
    first_parts, suffixes = TOWN_NAME_PARTS
    assert len(set(first_parts)) >= 40
    assert len(set(suffixes)) >= 30


def test_shop_names_elide_de_before_a_vowel() -> None:
    assert fill_shop_name("Au Fournil de {first_name}", surname="Martin", first_name="Émilie") == (
        "Au Fournil d'Émilie"
    )
    assert (
        fill_shop_name("Le Salon de {first_name}", surname="Martin", first_name="Hugo") == "Le Salon d'Hugo"
    )
    assert (
        fill_shop_name("Le Relais de {first_name}", surname="Martin", first_name="Yann")
        == "Le Relais de Yann"
    )
    assert fill_shop_name("Boulangerie {surname}", surname="Lecoq", first_name="Léa") == "Boulangerie Lecoq"
