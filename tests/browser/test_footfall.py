"""Footfall counters in a browser: the manager imports files from the page and watches the import until its
report; a site's charts read as tables (with and without JavaScript); French and English, axe-clean."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Locator, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.demo.footfall import demo_footfall_load
from centreville.footfall import runs
from centreville.footfall.models import CountImport, CountingSite, ImportStatus
from centreville.footfall.tests.factories import FILES, import_files, source

from .conftest import Argentan, NewContext
from .helpers import (
    NARROW,
    assert_accessible,
    assert_fits,
    open_chart_tables,
    screenshot,
    signed_in,
    translated,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    return user


@pytest.fixture
def elected(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(town=argentan.town, role=Role.ELECTED).user
    return user


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_imports_files_and_watches_the_import_until_its_report(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    # No worker yet: the import waits in the queue until the test plays the worker below.
    queued: list[int] = []
    monkeypatch.setattr(
        runs, "_tasks", lambda: SimpleNamespace(import_counts=SimpleNamespace(enqueue=queued.append))
    )
    page = signed_in(new_context(), live_server, manager, lang)

    page.goto("/argentan/gestion/frequentation/imports/")
    assert_accessible(page)
    page.get_by_label(translated(lang, "Fichiers")).set_input_files(
        [FILES / "bad_values.csv", FILES / "autumn_iso_cp1252.csv"]
    )
    page.get_by_role("button", name=translated(lang, "Lancer l'import")).click()

    expect(page.get_by_role("status")).to_contain_text(translated(lang, "Import en attente…"))
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"footfall-import-waiting-{lang}")

    (run_id,) = queued
    # The worker reports its progress as it reads: the page follows it without being reloaded.
    CountImport.objects.filter(pk=run_id).update(status=ImportStatus.READING, progress=45, rows=1200)
    expect(page.get_by_role("status")).to_contain_text("45 %" if lang == "fr" else "45%", timeout=8_000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "45")
    CountImport.objects.filter(pk=run_id).update(status=ImportStatus.PENDING, progress=0, rows=0)
    runs.count_import_run_stored(run_id)  # the worker, from the start

    # The page refreshes itself (htmx) and shows the report in place.
    expect(page.get_by_role("status")).to_contain_text(translated(lang, "Import terminé."), timeout=8_000)
    rejected = page.get_by_role("table", name=translated(lang, "Valeur négative"))
    expect(rejected).to_contain_text("bad_values.csv")
    expect(rejected.get_by_role("rowheader", name="3")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"footfall-import-report-{lang}")
    run = CountImport.objects.get(pk=run_id)
    assert (run.imported, run.rejected) == (59, 10)

    page.get_by_role("link", name=translated(lang, "Retour aux imports")).click()
    expect(page.get_by_role("table").first).to_contain_text("bad_values.csv, autumn_iso_cp1252.csv")


def test_a_file_of_no_known_format_is_refused_with_a_french_message(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, tmp_path: Any
) -> None:
    wrong = tmp_path / "prix.csv"
    wrong.write_text("nom;prix\npomme;3\n")
    page = signed_in(new_context(), live_server, manager)

    page.goto("/argentan/gestion/frequentation/imports/")
    page.get_by_label("Fichiers").set_input_files(wrong)
    page.get_by_role("button", name="Lancer l'import").click()

    expect(page.get_by_role("alert")).to_contain_text("« prix.csv » n'est pas d'un format reconnu")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_sites_charts_read_as_tables(
    new_context: NewContext, live_server: Any, argentan: Argentan, elected: User, lang: str
) -> None:
    demo_footfall_load(argentan.town, today=date(2026, 12, 5))
    site = CountingSite.objects.get(town=argentan.town, name="Rue de la Chaussée")
    page = signed_in(new_context(), live_server, elected, lang)

    page.goto("/argentan/gestion/frequentation/")
    expect(page.get_by_role("heading", level=2, name="Rue de la Chaussée")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rue de la Chaussée").click()

    def chart_table(title: str) -> Locator:
        name = f"{translated(lang, title)} ({translated(lang, 'passages')})"
        return page.get_by_role("table", name=name, exact=True)

    open_chart_tables(page)
    days = chart_table("Passages par jour")
    expect(days.get_by_role("columnheader")).to_have_count(3)
    expect(days.get_by_role("rowheader")).to_have_count(35)
    expect(chart_table("Passages par semaine").get_by_role("rowheader")).to_have_count(13)
    expect(chart_table("Passages par mois").get_by_role("rowheader")).to_have_count(13)
    expect(chart_table("Passages par mois et par canal").get_by_role("columnheader")).to_have_count(3)
    # « Vers la rue Saint-Martin » misses its first 9 hours one day in 151: those days are flagged.
    incomplete = page.get_by_role(
        "table", name=translated(lang, "Jours incomplets, les plus récents d'abord")
    )
    expect(incomplete).to_contain_text("Vers la rue Saint-Martin")
    expect(page.locator("figure.chart-block a[download]").first).to_be_visible()  # each chart's CSV
    assert_accessible(page)
    screenshot(page, f"footfall-site-{lang}")

    phone = signed_in(new_context(viewport=NARROW), live_server, elected, lang)
    phone.goto(f"/argentan/gestion/frequentation/sites/{site.pk}/")
    assert_fits(phone)
    assert_accessible(phone)


def test_without_javascript_the_charts_are_their_tables(
    new_context: NewContext, live_server: Any, argentan: Argentan, elected: User
) -> None:
    import_files(argentan.town, source("spring_fr_bom.csv"))
    site = CountingSite.objects.get(town=argentan.town)
    page = signed_in(new_context(java_script_enabled=False), live_server, elected)

    page.goto(f"/argentan/gestion/frequentation/sites/{site.pk}/?au=2023-03-27")

    days = page.get_by_role("table", name="Passages par jour")
    expect(days.get_by_role("row", name="dim 26 mars 2023")).to_contain_text("504")
    expect(days.get_by_role("row", name="lun 27 mars 2023 — données incomplètes")).to_contain_text("15")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_places_a_counter_on_the_map(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, lang: str
) -> None:
    import_files(argentan.town, source("daily_fr.csv"))
    site = CountingSite.objects.get(town=argentan.town)
    page = signed_in(new_context(), live_server, manager, lang)
    page.goto(f"/argentan/gestion/frequentation/sites/{site.pk}/")

    page.get_by_role(
        "link", name=translated(lang, "Modifier le compteur : nom, type, adresse, position")
    ).click()
    assert_accessible(page)
    page.get_by_label(translated(lang, "latitude")).fill("48.7445")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        translated(lang, "Donnez la latitude et la longitude du compteur, ou aucune des deux.")
    )
    assert_accessible(page)
    page.get_by_label(translated(lang, "longitude")).fill("-0.0203")
    page.get_by_label(translated(lang, "adresse")).fill("Rue de la Chaussée")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(site.name)
    expect(page.get_by_text(translated(lang, "Le compteur est enregistré."))).to_be_visible()
    site.refresh_from_db()
    assert (str(site.latitude), str(site.longitude), site.address) == (
        "48.744500",
        "-0.020300",
        "Rue de la Chaussée",
    )
    screenshot(page, f"footfall-site-placed-{lang}")
