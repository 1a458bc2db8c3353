"""The agenda's import page in a browser: the town's manager sends an OpenAgenda export, the import runs in
the background, and the page lists it with its counts and why some events were left out. French and
English, axe-clean, with and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.agenda.models import Event, EventImport, ImportState

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

FILES = Path(__file__).parents[2] / "centreville" / "agenda" / "tests" / "files"


@pytest.mark.parametrize("javascript", [True, False])
def test_the_manager_sends_an_export_and_reads_the_outcome_of_the_import(
    new_context: NewContext, live_server: Any, lang: str, argentan: Argentan, javascript: bool
) -> None:
    argentan.town.insee_code = "61006"  # the export's events are in Argentan
    argentan.town.save()
    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    page = signed_in(new_context(java_script_enabled=javascript), live_server, manager, lang)

    page.goto("/argentan/gestion/agenda/imports/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated(lang, "Importer des événements"))
    expect(main).to_contain_text(translated(lang, "Aucun import pour l'instant."))
    if javascript:  # axe-core runs in the page
        assert_accessible(page)

    main.get_by_label(translated(lang, "Fichier")).set_input_files(str(FILES / "openagenda-argentan.json"))
    main.get_by_role("button", name=translated(lang, "Importer"), exact=True).click()

    run = main.get_by_role("article", name=re.compile(r"openagenda-argentan\.json"))
    expect(run).to_contain_text(translated(lang, "Terminé."))
    expect(run.get_by_role("definition")).to_have_text(["4", "0", "0", "5"])
    expect(run.get_by_role("table")).to_contain_text("deux dates se chevauchent")
    assert Event.objects.filter(town=argentan.town).count() == 4
    assert EventImport.objects.get(town=argentan.town).state == ImportState.DONE
    if javascript:
        assert_accessible(page)
    screenshot(page, f"agenda-imports-{lang}-{'js' if javascript else 'nojs'}")

    # The same export again: nothing new, and two runs of one file stay two distinct regions on the page.
    main.get_by_label(translated(lang, "Fichier")).set_input_files(str(FILES / "openagenda-argentan.json"))
    main.get_by_role("button", name=translated(lang, "Importer"), exact=True).click()
    runs = main.get_by_role("article", name=re.compile(r"openagenda-argentan\.json"))
    expect(runs).to_have_count(2)
    expect(runs.first.get_by_role("definition")).to_have_text(["0", "0", "4", "5"])
    assert Event.objects.filter(town=argentan.town).count() == 4
    if javascript:
        assert_accessible(page)
