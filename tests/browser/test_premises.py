"""Commercial units in a browser: the town manager records a unit's change of state and proposes a vacant unit
to a business project; an elected official reads the vacancy page and the map, each with its table; French and
English, axe-clean.

Map tiles never load here (every host but 127.0.0.1 is unresolvable): the map must work without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.premises.models import BusinessProject, CommercialUnit, Occupancy, Proposal, UnitState
from centreville.premises.tests.factories import BusinessProjectFactory, unit_with_history

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, open_chart_tables, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

OCC, VAC, WORKS = UnitState.OCCUPIED, UnitState.VACANT, UnitState.WORKS


@dataclass(frozen=True)
class Units:
    vacant: CommercialUnit
    occupied: CommercialUnit
    project: BusinessProject
    manager: User
    elected: User


@pytest.fixture
def units(argentan: Argentan) -> Units:
    """Three units of Argentan's rue de la République (one vacant, one occupied by the bakery, one in works)
    and one on place Mahé without a surface; an open project that fits the vacant unit."""
    town = argentan.town
    vacant = unit_with_history(
        town,
        [(OCC, date(2019, 1, 1), date(2023, 12, 31)), (VAC, date(2024, 1, 1), None)],
        reference="REP-27",
        street_number="27",
        street="rue de la République",
        surface=Decimal(85),
        latitude=Decimal("48.744600"),
        longitude=Decimal("-0.020100"),
        owner_name="SCI des Halles",
    )
    occupied = unit_with_history(
        town,
        [(OCC, date(2020, 3, 1), None)],
        reference="REP-31",
        street_number="31",
        street="rue de la République",
        surface=Decimal(60),
        latitude=Decimal("48.744300"),
        longitude=Decimal("-0.020500"),
    )
    Occupancy.objects.filter(unit=occupied).update(shop=argentan.bakery, occupant_name=argentan.bakery.name)
    unit_with_history(
        town,
        [(VAC, date(2022, 1, 1), date(2024, 5, 31)), (WORKS, date(2024, 6, 1), None)],
        reference="REP-40",
        street_number="40",
        street="rue de la République",
        surface=Decimal(120),
        latitude=Decimal("48.744900"),
        longitude=Decimal("-0.019800"),
    )
    unit_with_history(
        town,
        [(VAC, date(2021, 6, 1), None)],
        reference="MAH-3",
        street_number="3",
        street="place Mahé",
        surface=None,
    )
    project = BusinessProjectFactory.create(
        town=town,
        title="Épicerie vrac",
        contact_name="Inès Marchand",
        surface_min=Decimal(50),
        surface_max=Decimal(100),
        wanted_streets=["rue de la République"],
    )
    return Units(
        vacant=vacant,
        occupied=occupied,
        project=project,
        manager=TownRoleFactory.create(town=town, role=Role.MANAGER).user,
        elected=TownRoleFactory.create(town=town, role=Role.ELECTED).user,
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_records_a_change_of_state_through_the_form(
    new_context: NewContext, live_server: Any, argentan: Argentan, units: Units, lang: str
) -> None:
    page = signed_in(new_context(), live_server, units.manager, lang)
    page.goto(f"/argentan/gestion/locaux/{units.vacant.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("REP-27")
    assert_accessible(page)

    form = page.locator("form.state-form")
    # A date before the current state began is refused, in words, and nothing is recorded.
    form.get_by_role("radio", name=translated(lang, "En travaux")).check()
    form.get_by_label(translated(lang, "Depuis le")).fill("2023-06-01")
    form.get_by_role("button", name=translated(lang, "Enregistrer le nouvel état")).click()
    expect(page.get_by_role("alert").first).to_contain_text("1 janvier 2024" if lang == "fr" else "2024")
    assert_accessible(page)

    form = page.locator("form.state-form")
    form.get_by_role("radio", name=translated(lang, "Occupé")).check()
    form.get_by_label(translated(lang, "Depuis le")).fill("2025-06-02")
    form.get_by_label(translated(lang, "Commerce de la plateforme")).select_option(
        label="Librairie des Halles"
    )
    form.get_by_role("button", name=translated(lang, "Enregistrer le nouvel état")).click()

    expect(page.get_by_role("status")).to_be_visible()
    history = page.get_by_role("table")
    expect(history.get_by_role("row")).to_have_count(4)  # header and three periods
    expect(history.get_by_role("row").nth(1)).to_contain_text("Librairie des Halles")
    current = Occupancy.objects.get(unit=units.vacant, end__isnull=True)
    assert (current.state, current.start, current.shop_id) == (OCC, date(2025, 6, 2), argentan.bookshop.pk)
    assert Occupancy.objects.get(unit=units.vacant, start=date(2024, 1, 1)).end == date(2025, 6, 1)
    assert_accessible(page)
    screenshot(page, f"premises-unit-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_vacancy_page_reads_as_figures_method_and_tables(
    new_context: NewContext, live_server: Any, units: Units, lang: str
) -> None:
    page = signed_in(new_context(), live_server, units.elected, lang)
    page.goto("/argentan/gestion/locaux/vacance/?date=2025-06-30")

    # 30 June 2025: four units in the centre, two vacant (REP-27, MAH-3), one in works: 50 %.
    # By surface: 85 m² vacant of 85 + 60 + 120 = 265 m² (MAH-3 has none): 32.1 %.
    expect(
        page.get_by_role(
            "region", name=translated(lang, "Taux de vacance du centre-ville, en nombre de locaux")
        )
    ).to_contain_text("50,0 %" if lang == "fr" else "50.0")
    expect(
        page.get_by_role("region", name=translated(lang, "Taux de vacance du centre-ville, en surface"))
    ).to_contain_text("32,1 %" if lang == "fr" else "32.1")
    expect(
        page.get_by_text(translated(lang, "Taux de vacance en nombre = locaux vacants ÷ locaux comptés."))
    ).to_be_visible()
    open_chart_tables(page)
    streets = page.locator("#tableau-vacance-par-rue")
    expect(streets.locator("caption")).to_contain_text("30 juin 2025" if lang == "fr" else "30 June 2025")
    expect(streets.get_by_role("row")).to_have_count(3)  # header, place Mahé, rue de la République
    months = page.locator("#tableau-vacance-par-mois")
    expect(months.get_by_role("row").last).to_contain_text("50,0" if lang == "fr" else "50.0")
    link = page.locator("a[href*='csv=vacance-par-rue']")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "vacance-argentan-vacance-par-rue.csv"
    assert "SCI des Halles" not in page.content()
    assert_accessible(page)
    screenshot(page, f"premises-vacancy-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_map_shows_units_by_state_and_links_its_table_alternative(
    new_context: NewContext, live_server: Any, units: Units, lang: str
) -> None:
    page = signed_in(new_context(), live_server, units.elected, lang)
    page.goto("/argentan/gestion/locaux/carte/")

    legend = page.locator(".map-legend")
    for label in ("Occupé", "Vacant", "En travaux", "Réservé"):
        expect(legend).to_contain_text(translated(lang, label))
    pins = page.locator("#carte-locaux a.unit-pin")
    expect(pins).to_have_count(3)  # MAH-3 has no coordinates
    expect(page.locator("#carte-locaux a.unit-pin.unit-state-vacant")).to_have_count(1)
    expect(
        page.get_by_role("link", name="REP-27, 27 rue de la République — " + translated(lang, "Vacant"))
    ).to_have_attribute("href", f"/argentan/gestion/locaux/{units.vacant.pk}/")
    expect(page.get_by_text(translated(lang, "La carte a besoin de JavaScript."))).to_be_hidden()
    assert_accessible(page)
    screenshot(page, f"premises-map-{lang}")

    page.get_by_role(
        "link", name=translated(lang, "Version en tableau : la liste des locaux et de leur état")
    ).click()
    table = page.locator("table.unit-table")
    expect(table.locator("caption")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_role("row", name="REP-27")).to_contain_text(translated(lang, "Vacant"))
    expect(table.get_by_role("row", name="REP-31")).to_contain_text("Boulangerie du Marché")
    assert "SCI des Halles" not in page.content()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_proposes_a_vacant_unit_to_a_project_and_records_the_visit(
    new_context: NewContext, live_server: Any, units: Units, lang: str
) -> None:
    page = signed_in(new_context(), live_server, units.manager, lang)
    page.goto(f"/argentan/gestion/locaux/{units.vacant.pk}/")

    projects = page.locator("section").filter(
        has=page.get_by_role("heading", name=translated(lang, "Porteurs de projet"))
    )
    expect(projects).to_contain_text("Épicerie vrac")
    projects.get_by_label(translated(lang, "Remarque")).fill("Visite mardi")
    projects.get_by_role("button", name=translated(lang, "Proposer ce local") + " : Épicerie vrac").click()

    expect(page.get_by_role("status")).to_contain_text("REP-27")
    proposal = Proposal.objects.get(project=units.project, unit=units.vacant)
    assert proposal.note == "Visite mardi"
    assert_accessible(page)

    page.get_by_role("link", name="Épicerie vrac").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Épicerie vrac")
    expect(page.get_by_text("Inès Marchand")).to_be_visible()
    row = page.locator(f"#proposition-{proposal.pk}")
    row.get_by_label(translated(lang, "Suite donnée")).select_option(translated(lang, "Visité"))
    row.get_by_role("button").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(f"#proposition-{proposal.pk}")).to_contain_text(translated(lang, "Visité"))
    assert_accessible(page)
    screenshot(page, f"premises-project-{lang}")
