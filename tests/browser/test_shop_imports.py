"""Importing shops and claiming them, in a real browser: the manager's and the merchant's pages, axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, TownRoleFactory, UserFactory
from centreville.shops.imports import runs
from centreville.shops.models import ImportRun, ImportStatus, Shop, ShopSource
from centreville.shops.tests.import_fixtures import OSM_FILE, load_trades

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/compte/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=translated("fr", "Sign In"), exact=True).click()
    expect(page).not_to_have_url(re.compile("/compte/login/"))


def test_the_manager_imports_an_export_then_decides_a_claim(
    new_context: NewContext, argentan: Argentan, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_trades()
    # The import runs in the server's request thread: SQLite's in-memory test database is one connection.
    monkeypatch.setattr(runs, "_start_thread", lambda target: target())
    TownRoleFactory.create(town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example.fr")
    UserFactory.create(email="cordonnier@example.fr")
    page = new_context().new_page()
    log_in(page, "manager@argentan.example.fr")

    page.goto("/argentan/gestion/imports/")
    assert_accessible(page)
    page.get_by_label("OpenStreetMap (export GeoJSON)").check()
    page.get_by_label("Fichier").set_input_files(OSM_FILE)
    page.get_by_role("button", name="Lancer l'import").click()

    expect(page.get_by_role("status")).to_contain_text("Import terminé.")
    expect(page.get_by_role("list", name="Ignorés, par motif")).to_contain_text(
        "Jules (node/1234567803) (Jules)"
    )
    assert_accessible(page)
    screenshot(page, "import-report-1280")

    shop = Shop.objects.get(town=argentan.town, osm_id="node/1234567809")
    claimant = new_context().new_page()
    log_in(claimant, "cordonnier@example.fr")
    claimant.goto(f"/argentan/revendications/commerces/{shop.slug}/")
    assert_accessible(claimant)
    claimant.get_by_label("Message au manager de centre-ville").fill("Je suis le cordonnier.")
    claimant.get_by_role("button", name="Envoyer ma demande").click()
    expect(claimant.get_by_role("main")).to_contain_text("attend la décision de la ville")
    assert_accessible(claimant)

    page.goto("/argentan/revendications/gestion/")
    expect(page.get_by_role("main")).to_contain_text("Je suis le cordonnier.")
    assert_accessible(page)
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("main")).to_contain_text("Aucune demande en attente.")
    assert shop.memberships.filter(user__email="cordonnier@example.fr").exists()


def test_a_running_import_page_fits_a_small_screen(new_context: NewContext, argentan: Argentan) -> None:
    TownRoleFactory.create(town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example.fr")
    run = ImportRun.objects.create(
        town=argentan.town, source=ShopSource.SIRENE, status=ImportStatus.RUNNING, progress=37, rows_read=420
    )
    page = new_context(viewport=NARROW).new_page()
    log_in(page, "manager@argentan.example.fr")

    page.goto(f"/argentan/gestion/imports/{run.pk}/")

    expect(page.get_by_role("status")).to_contain_text("Import en cours : 37 %")
    assert_fits(page)
    assert_accessible(page)
