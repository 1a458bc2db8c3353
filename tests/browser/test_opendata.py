"""A town's open data in a browser: reached from the footer, each dataset with its schema, licence and
files, French and English, axe-clean, readable on a phone; a download gives the town's published shops."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser


def test_the_open_data_page_describes_the_shops_dataset(
    lang_page: Page, lang: str, argentan: Argentan
) -> None:
    page = lang_page
    page.goto("/argentan/")
    page.get_by_role("contentinfo").get_by_role("link", name=translated(lang, "Données ouvertes")).click()

    expect(page).to_have_url(re.compile(r"/argentan/donnees-ouvertes/$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    shops = page.get_by_role("region", name=translated(lang, "Commerces"))
    schema = shops.get_by_role("link", name="Accessibilité ERP — Base")
    expect(schema).to_have_attribute(
        "href", "https://schema.data.gouv.fr/MTES-MCT/acceslibre-schema/0.0.20/documentation.html"
    )
    expect(shops).to_contain_text("version 0.0.20")
    licence = shops.get_by_role("link", name="Licence Ouverte 2.0 (Etalab)")
    expect(licence).to_have_attribute("href", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    records = shops.locator("dt", has_text=translated(lang, "Enregistrements")).locator("+ dd")
    expect(records).to_have_text("2")
    expect(shops.get_by_role("link", name=re.compile("^CSV"))).to_be_visible()
    expect(shops.get_by_role("link", name=re.compile("^GeoJSON"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"opendata-{lang}-1280")


def test_the_csv_link_downloads_the_towns_published_shops(
    page: Page, argentan: Argentan, tmp_path: Path
) -> None:
    page.goto("/argentan/donnees-ouvertes/")
    shops = page.get_by_role("region", name="Commerces")

    with page.expect_download() as download_info:
        shops.get_by_role("link", name=re.compile("^CSV")).click()
    download = download_info.value

    assert download.suggested_filename == "argentan-commerces.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"), newline="")))
    assert [row["name"] for row in rows] == ["Boulangerie du Marché", "Librairie des Halles"]

    with page.expect_download() as download_info:
        shops.get_by_role("link", name=re.compile("^GeoJSON")).click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    collection = json.loads(saved.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2
    for hidden in argentan.hidden:
        assert hidden not in saved.read_text(encoding="utf-8")


def test_the_page_fits_a_320px_screen(new_context: NewContext, argentan: Argentan) -> None:
    page = new_context(viewport=NARROW).new_page()
    page.goto("/argentan/donnees-ouvertes/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "opendata-fr-320")
