"""The manager's import page with the files people really send, in French and in English, axe-clean."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, TownRoleFactory
from centreville.shops.imports import runs
from centreville.shops.imports.common import SKIP_REASONS, WARNINGS
from centreville.shops.tests.import_fixtures import collection, load_trades, osm_feature

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser


def log_in(page: Page, lang: str, email: str) -> None:
    page.goto("/compte/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Sign In"), exact=True).click()
    expect(page).not_to_have_url(re.compile("/compte/login/"))


def choose_and_send(page: Page, lang: str, name: str, content: bytes) -> None:
    page.get_by_label(translated(lang, "OpenStreetMap (export GeoJSON)")).check()
    page.get_by_label(translated(lang, "Fichier"), exact=True).set_input_files(
        {"name": name, "mimeType": "application/geo+json", "buffer": content}
    )
    page.get_by_role("button", name=translated(lang, "Lancer l'import")).click()


def test_a_malformed_upload_then_a_file_with_bad_rows(
    lang_page: Page, lang: str, argentan: Argentan, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_trades()
    # The import runs in the server's request thread: SQLite's in-memory test database is one connection.
    monkeypatch.setattr(runs, "_start_thread", lambda target: target())
    TownRoleFactory.create(town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example.fr")
    page = lang_page
    log_in(page, lang, "manager@argentan.example.fr")
    page.goto("/argentan/gestion/imports/")

    choose_and_send(page, lang, "export.geojson", b'{"type": "FeatureCollection", "features": 5}')

    file_input = page.get_by_label(translated(lang, "Fichier"), exact=True)
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text(
        translated(
            lang, "Ce GeoJSON n'a pas de liste « features » : ce n'est pas un export d'overpass turbo."
        )
    )
    assert_accessible(page)
    screenshot(page, f"import-malformed-{lang}")

    bad_rows = collection(
        osm_feature("node/1", name="Boulangerie Avant", opening_hours="Lu-Sa 9h-19h"),
        {"type": "Feature", "id": "node/2", "properties": ["pas", "un", "objet"]},
        osm_feature("node/3", name="Fromagerie Après", shop="cheese", opening_hours="sur rendez-vous"),
    )
    choose_and_send(page, lang, "export.geojson", json.dumps(bad_rows).encode())

    expect(page.get_by_role("status")).to_contain_text(translated(lang, "Import terminé."))
    main = page.get_by_role("main")
    expect(main).to_contain_text(str(translated(lang, SKIP_REASONS["bad_row"])))
    expect(main).to_contain_text("élément n°2")
    expect(main).to_contain_text(str(translated(lang, WARNINGS["opening_hours_repaired"])))
    expect(main).to_contain_text("« Lu-Sa 9h-19h » → « Mo-Sa 09:00-19:00 »")
    expect(
        page.get_by_role("link", name=translated(lang, "Télécharger le compte rendu complet (CSV)"))
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"import-bad-rows-{lang}")

    page.get_by_role("link", name=translated(lang, "Retour aux imports")).click()
    hours = page.get_by_role("table", name=translated(lang, "Horaires à vérifier"))
    expect(hours).to_contain_text("sur rendez-vous")
    expect(hours).to_contain_text("Lu-Sa 9h-19h")
    assert_accessible(page)
    hours.get_by_role("button", name=re.compile("Boulangerie Avant")).click()
    expect(page.get_by_role("table", name=translated(lang, "Horaires à vérifier"))).not_to_contain_text(
        "Boulangerie Avant"
    )
    assert_accessible(page)


def test_the_import_report_fits_a_phone(
    new_context: NewContext, argentan: Argentan, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_trades()
    monkeypatch.setattr(runs, "_start_thread", lambda target: target())
    TownRoleFactory.create(town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example.fr")
    page = new_context(viewport=NARROW).new_page()
    log_in(page, "fr", "manager@argentan.example.fr")
    page.goto("/argentan/gestion/imports/")
    rows = collection(
        *[osm_feature(f"node/{n}", name=f"Garage {n}", shop="car_repair") for n in range(1, 30)]
    )

    choose_and_send(page, "fr", "export.geojson", json.dumps(rows).encode())

    expect(page.get_by_role("status")).to_contain_text("Import terminé.")
    expect(page.get_by_role("main")).to_contain_text(
        "20 premiers sur 29 : tous sont dans le compte rendu complet."
    )
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "import-report-320")
