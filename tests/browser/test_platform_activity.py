"""« Activité de la plateforme » in a browser: a resident's search that finds nothing shows up for the town
team, with the most viewed shops and products drawn as bars from their tables, and the searches downloaded as
CSV; French and English, axe-clean, at 1280 and 360 px."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.catalogue.models import Product

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated
from .test_merchant_backoffice import VIEWPORTS
from .test_town_dashboard import drawn, watch

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    return user


@pytest.fixture
def views(argentan: Argentan) -> None:
    today = timezone.localdate()
    loaf = Product.objects.get(title="Pain au levain")
    for shop, product, metric, count in [
        (argentan.bakery, None, Metric.SHOP_VIEW, 30),
        (argentan.bakery, loaf, Metric.PRODUCT_VIEW, 12),
        (argentan.bookshop, None, Metric.SHOP_VIEW, 50),
        (argentan.bookshop, None, Metric.QR_SCAN, 4),
    ]:
        day_count(
            town=argentan.town,
            shop=shop,
            product=product,
            metric=metric,
            day=today - timedelta(days=2),
            count=count,
        )


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_what_residents_cannot_find_reaches_the_town_team(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    views: None,
    lang: str,
    viewport: str,
) -> None:
    # Given a resident who searches twice for a cobbler, which no shop of Argentan is
    resident = new_context(viewport=VIEWPORTS[viewport]).new_page()
    for _ in range(2):
        resident.goto("/argentan/recherche/?q=Cordonnier+répare")
        expect(resident.get_by_role("main")).to_contain_text("Aucun résultat")

    # When the town manager opens the platform's activity from the dashboard
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, manager, lang)
    problems = watch(page)
    page.goto("/argentan/tableau-de-bord/")
    page.get_by_role("link", name=translated(lang, "Activité de la plateforme en détail")).click()

    # Then the searches without result are listed, with the words as normalised and nothing else
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Activité de la plateforme"))
    unfound = page.get_by_role(
        "region", name=translated(lang, "Ce que les habitants cherchent sans le trouver")
    )
    row = unfound.get_by_role("row", name="cordonnier repare")
    expect(row).to_contain_text("2")
    figure = page.get_by_role("region", name=translated(lang, "Recherches sans résultat"), exact=True)
    expect(figure).to_contain_text("2")
    # and the most viewed shops are drawn as horizontal stacked bars, the bookshop first
    shops = drawn(page, "commerces-les-plus-vus")
    assert (shops["indexAxis"], shops["stacked"]) == ("y", True)
    assert shops["labels"] == [["Librairie des", "Halles"], ["Boulangerie du", "Marché"]]  # on two lines
    assert shops["data"] == [[50, 30], [0, 12]]
    assert drawn(page, "produits-les-plus-vus")["labels"] == [
        ["Pain au levain", "(Boulangerie du", "Marché)"]
    ]
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"activity-{lang}-{viewport}")
    assert problems == []


def test_the_searches_without_result_download_as_csv(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, tmp_path: Path
) -> None:
    resident = new_context().new_page()
    resident.goto("/argentan/recherche/?q=horloger")
    page = signed_in(new_context(accept_downloads=True), live_server, manager)
    page.goto("/argentan/tableau-de-bord/activite/?periode=12-semaines")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les recherches sans résultat (CSV)").click()

    assert download.value.suggested_filename == "argentan-activite-12-semaines-recherches-sans-resultat.csv"
    saved = tmp_path / "recherches.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Recherche;Nombre de fois;Dernier jour"
    assert lines[1] == f"horloger;1;{timezone.localdate().isoformat()}"


def test_without_javascript_the_rankings_are_tables(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, views: None
) -> None:
    page = signed_in(new_context(java_script_enabled=False), live_server, manager)
    page.goto("/argentan/tableau-de-bord/activite/")

    table = page.locator("#graphique-commerces-les-plus-vus").get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("Librairie des Halles")
    expect(page.locator("canvas")).to_have_count(0)
