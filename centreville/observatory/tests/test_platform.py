"""« Activité de la plateforme »: totals with trends, most viewed shops and products, QR scans by shop and the
searches that found nothing, of one town only, computed here by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import Metric, SearchWithoutResult
from centreville.activity.tests.factories import day_count
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory
from centreville.observatory.platform import platform_activity
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(
    2026, 10, 30, 10, 0, tzinfo=PARIS
)  # four weeks from 3 October, the clocks went back on the 25th


@pytest.fixture
def town() -> Town:
    town = TownFactory.create(slug="argentan")
    bakery = ShopFactory.create(town=town, name="Boulangerie")
    bookshop = ShopFactory.create(town=town, name="Librairie")
    loaf = ProductFactory.create(shop=bakery, title="Pain au levain")
    notebook = ProductFactory.create(shop=bookshop, title="Carnet")
    elsewhere = ShopFactory.create(name="Ailleurs")
    rows: list[tuple[Shop, Product | None, str, date, int]] = [
        (bakery, None, Metric.SHOP_VIEW, date(2026, 10, 25), 40),  # 25 hours that day: one day all the same
        (bakery, loaf, Metric.PRODUCT_VIEW, date(2026, 10, 26), 6),
        (bookshop, None, Metric.SHOP_VIEW, date(2026, 10, 3), 20),
        (bookshop, notebook, Metric.PRODUCT_VIEW, date(2026, 10, 4), 9),
        (bookshop, None, Metric.QR_SCAN, date(2026, 10, 5), 2),
        (bakery, None, Metric.SHOP_VIEW, date(2026, 10, 1), 500),  # the four weeks before
        (elsewhere, None, Metric.SHOP_VIEW, date(2026, 10, 25), 9999),
    ]
    for shop, product, metric, day, count in rows:
        day_count(town=shop.town, shop=shop, product=product, metric=metric, day=day, count=count)
    day_count(town=town, metric=Metric.QR_SCAN, day=date(2026, 10, 20), count=5)
    day_count(town=town, metric=Metric.SEARCH, day=date(2026, 10, 20), count=30)
    day_count(town=town, metric=Metric.SEARCH_NO_RESULT, day=date(2026, 10, 20), count=4)
    SearchWithoutResult.objects.create(town=town, day=date(2026, 10, 20), query="cordonnier", count=3)
    SearchWithoutResult.objects.create(town=town, day=date(2026, 10, 28), query="=cmd", count=1)
    SearchWithoutResult.objects.create(town=elsewhere.town, day=date(2026, 10, 20), query="secret", count=50)
    return town


def test_totals_rankings_and_searches_without_result_of_the_town(town: Town) -> None:
    with translation.override("fr"):
        activity = platform_activity(town, at=AT, period="4-semaines")

    figures = {figure.key: figure for figure in activity.figures}
    assert {key: figure.value for key, figure in figures.items()} == {
        "shop-pages": 60,
        "product-pages": 15,
        "scans": 7,
        "searches": 30,
        "unfound": 4,
    }
    shop_pages_trend = figures["shop-pages"].trend
    assert shop_pages_trend is not None
    assert (
        shop_pages_trend.words == "en baisse de 88 % par rapport aux 4 semaines précédentes"
    )  # 60 against 500
    shops, products, scans = activity.most_viewed
    assert [category.label for category in shops.categories] == ["Boulangerie", "Librairie"]  # 46 views, 29
    assert [list(series.values) for series in shops.series] == [[40, 20], [6, 9]]
    assert shops.extra == {"orientation": "horizontal"}
    assert [category.label for category in products.categories] == [
        "Carnet (Librairie)",
        "Pain au levain (Boulangerie)",
    ]
    assert [category.label for category in scans.categories] == ["Librairie"]
    assert [(row.words, row.times, row.last_day) for row in activity.unfound] == [
        ("cordonnier", 3, date(2026, 10, 20)),
        ("=cmd", 1, date(2026, 10, 28)),
    ]
    weekly = activity.weekly[0]
    assert [category.key for category in weekly.categories] == [
        "2026-10-03",
        "2026-10-10",
        "2026-10-17",
        "2026-10-24",
    ]
    assert [list(series.values) for series in weekly.series] == [[20, 0, 0, 40], [9, 0, 0, 6]]


def test_the_page_shows_the_tables_and_answers_each_csv(
    client: Client, town: Town, page_clock: Callable[[datetime], None], django_assert_max_num_queries: Any
) -> None:
    page_clock(AT)
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)

    with django_assert_max_num_queries(16):
        html = client.get("/argentan/tableau-de-bord/activite/").content.decode()
    unfound = client.get(
        "/argentan/tableau-de-bord/activite/?periode=4-semaines&csv=recherches-sans-resultat"
    )
    shops = client.get("/argentan/tableau-de-bord/activite/?csv=commerces-les-plus-vus")

    assert "<h1>Activité de la plateforme</h1>" in html
    assert '<th scope="row">cordonnier</th><td class="number">3</td><td>20 octobre 2026</td>' in html
    assert "secret" not in html
    assert "9999" not in html
    assert 'href="?csv=recherches-sans-resultat"' in html
    assert '<figure class="chart-block" id="graphique-commerces-les-plus-vus" data-chart="stacked"' in html
    assert 'data-orientation="horizontal"' in html
    assert (
        unfound["Content-Disposition"]
        == 'attachment; filename="argentan-activite-4-semaines-recherches-sans-resultat.csv"'
    )
    assert unfound.content.decode() == (
        "\ufeffRecherche;Nombre de fois;Dernier jour\r\ncordonnier;3;2026-10-20\r\n'=cmd;1;2026-10-28\r\n"
    )
    assert shops.content.decode().splitlines()[1:] == ["Boulangerie;40;6", "Librairie;20;9"]


def test_only_the_town_team_sees_the_activity(client: Client, town: Town) -> None:
    assert client.get("/argentan/tableau-de-bord/activite/").status_code == 302  # to sign in
    client.force_login(ShopMembershipFactory.create(shop=Shop.objects.filter(town=town).first()).user)
    assert client.get("/argentan/tableau-de-bord/activite/").status_code == 403
