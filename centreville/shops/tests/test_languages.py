"""The public pages in English: trades and product categories translated, French names marked as French,
one money format per language, dates that cannot be misread."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import formats, translation

from centreville.catalogue.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductVariantFactory,
)
from centreville.search.services import rebuild_index
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, TradeCategoryFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def in_english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_taxonomy_trades_and_categories_are_translated_in_english_and_stay_french_in_the_database(
    client: Client,
) -> None:
    # As the data migration loads them (get or create: a test that flushed the database removed them).
    bakery_trade = TradeCategoryFactory.create(name="Boulangerie-pâtisserie", slug="boulangerie-patisserie")
    bread = ProductCategoryFactory.create(name="Pain et pâtisserie", slug="pain-patisserie")
    shop = ShopFactory.create(name="Au Bon Pain", category=bakery_trade)
    product = ProductFactory.create(shop=shop, title="Baguette", category=bread)
    town = shop.town.slug

    french = client.get(f"/{town}/commerces/{shop.slug}/").content.decode()
    in_english(client)
    pages = [
        client.get(f"/{town}/").content.decode(),
        client.get(f"/{town}/commerces/").content.decode(),
        client.get(f"/{town}/commerces/{shop.slug}/").content.decode(),
    ]
    product_page = client.get(f"/{town}/commerces/{shop.slug}/produits/{product.slug}/").content.decode()

    assert "Boulangerie-pâtisserie" in french
    for page in pages:
        assert "Bakery and pastry shop" in page
        assert "Boulangerie-pâtisserie" not in page
    assert "Bread and pastries" in product_page
    assert "Bakery and pastry shop" in product_page
    bakery_trade.refresh_from_db()
    assert bakery_trade.name == "Boulangerie-pâtisserie"


def test_a_trade_outside_the_taxonomy_stays_french_and_is_marked_so(client: Client) -> None:
    shop = ShopFactory.create(category=TradeCategoryFactory.create(name="Rémouleur", slug="remouleur"))

    english = in_english(client).get(f"/{shop.town.slug}/commerces/{shop.slug}/").content.decode()

    assert '<span lang="fr">Rémouleur</span>' in english


def test_directory_trade_filter_lists_translated_trades(client: Client) -> None:
    shop = ShopFactory.create(category=TradeCategoryFactory.create(name="Fleuriste", slug="fleuriste"))

    english = in_english(client).get(f"/{shop.town.slug}/commerces/").content.decode()

    assert '<option value="fleuriste">Florist</option>' in english


@pytest.mark.parametrize(("language", "price"), [("fr", "1,35\u00a0€"), ("en", "€1.35")])
def test_search_results_show_prices_like_every_other_page(client: Client, language: str, price: str) -> None:
    town = TownFactory.create(slug="argentan")
    ProductFactory.create(
        shop=ShopFactory.create(town=town), title="Croissant au beurre", price=Decimal("1.35")
    )
    rebuild_index([town.pk])
    client.cookies["django_language"] = language

    html = client.get("/argentan/recherche/", {"q": "croissant"}).content.decode()

    assert price in html
    assert "1.35 €" not in html


def test_search_facets_name_trades_in_english_and_mark_the_others_french(client: Client) -> None:
    town = TownFactory.create(slug="argentan")
    ShopFactory.create(
        town=town,
        name="Fleurs de Lys",
        category=TradeCategoryFactory.create(name="Fleuriste", slug="fleuriste"),
    )
    custom = TradeCategoryFactory.create(name="Fleurs séchées", slug="fleurs-sechees")
    ShopFactory.create(town=town, name="Fleurs d'antan", category=custom)
    rebuild_index([town.pk])

    html = in_english(client).get("/argentan/recherche/", {"q": "fleurs"}).content.decode()

    assert "<span>Florist</span>" in html
    assert '<span lang="fr">Fleurs séchées</span>' in html
    assert '<span lang="fr">Shops</span>' not in html


def test_english_dates_put_the_day_first_and_name_the_month() -> None:
    day = datetime.date(2026, 12, 5)
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} / {{ day|date }} / {{ day|date:"DATE_FORMAT" }}')

    with translation.override("en"):
        english = template.render(Context({"day": day}))
        typed = formats.get_format("DATE_INPUT_FORMATS")
    with translation.override("fr"):
        french = template.render(Context({"day": day}))

    assert english == "5 Dec 2026 / 5 December 2026 / 5 December 2026"
    assert "%m/%d/%Y" not in typed
    assert french == "05/12/2026 / 5 décembre 2026 / 5 décembre 2026"


class _LanguageOfText(HTMLParser):
    """Collects each piece of visible text with the language it is marked with (the nearest lang)."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []  # (text, lang)
        self.skipped = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        if tag == "img":
            self.texts.append((dict(attrs).get("alt") or "", lang))
        if tag in self.VOID:
            return
        if tag in ("head", "script", "style", "title"):
            self.skipped += 1
        self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _lang = self.stack.pop()
            if open_tag in ("head", "script", "style", "title"):
                self.skipped -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipped and data.strip() and self.stack:
            self.texts.append((data, self.stack[-1][1]))


def french_words_not_marked(html: str, french: list[str]) -> list[str]:
    parser = _LanguageOfText()
    parser.feed(html)
    return [text.strip() for text, lang in parser.texts if lang != "fr" and any(w in text for w in french)]


def test_on_english_pages_whatever_shops_wrote_is_marked_french(client: Client) -> None:
    town = TownFactory.create(slug="argentan", welcome_text="Bienvenue dans nos boutiques")
    trade = TradeCategoryFactory.create(name="Rémouleur", slug="remouleur")
    category = ProductCategoryFactory.create(name="Couteaux de poche", slug="couteaux")
    shop = ShopFactory.create(
        town=town,
        name="Atelier du Fil",
        category=trade,
        description="Affûtage à l'ancienne",
        street_address="12 rue Saint-Germain",
        opening_hours="24/7",
        offers_click_collect=True,
    )
    ShopClosureFactory.create(shop=shop, label="Congés annuels")
    product = ProductFactory.create(
        shop=shop, title="Opinel numéro huit", description="Lame carbone", category=category
    )
    ProductVariantFactory.create(product=product, label="Manche hêtre", size="grand")
    rebuild_index([town.pk])
    french = [
        "Bienvenue dans nos",
        "Rémouleur",
        "Couteaux de poche",
        "Atelier du Fil",
        "Affûtage",
        "Saint-Germain",
        "Congés annuels",
        "Opinel",
        "Lame carbone",
        "Manche hêtre",
    ]
    in_english(client)

    for url in (
        "/argentan/",
        "/argentan/commerces/",
        f"/argentan/commerces/{shop.slug}/",
        f"/argentan/commerces/{shop.slug}/produits/{product.slug}/",
        "/argentan/recherche/?q=opinel",
        "/argentan/recherche/?q=atelier",
    ):
        html = client.get(url).content.decode()
        assert french_words_not_marked(html, french) == [], url


def test_english_pages_use_english_punctuation_before_a_label(client: Client) -> None:
    shop = ShopFactory.create()
    ShopClosureFactory.create(shop=shop, label="Congés annuels")
    url = f"/{shop.town.slug}/commerces/{shop.slug}/"

    french = client.get(url).content.decode()
    english = in_english(client).get(url).content.decode()

    assert re.search(r'\d{4} : <span lang="fr">Congés annuels</span>', french)
    assert re.search(r'\d{4}: <span lang="fr">Congés annuels</span>', english)
