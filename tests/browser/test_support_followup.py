"""The town's follow-up of its merchants in a browser, as a digital adviser: the key figures, a filter, a
shop's whole follow-up, the spreadsheet; French and English, axe-clean."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.support.tests.factories_coaching import CoachingActionFactory, CoachingProgrammeFactory
from centreville.support.tests.factories_diagnostic import (
    completed_diagnostic,
    questionnaire_version,
    signals_for,
)

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)


@pytest.fixture
def adviser(argentan: Argentan, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The bakery diagnosed twice (25 then 75) and coached on an action stalled since May, no photo on its
    page; the bookshop run by someone, nothing done yet."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the live server's views read this clock
    town = argentan.town
    questionnaire_version(
        {"a": [(False, [0, 1, 2])], "b": [(False, [0, 2])]}, town=town, at=NOW - timedelta(200)
    )
    baker = ShopMembershipFactory.create(shop=argentan.bakery).user
    ShopMembershipFactory.create(shop=argentan.bookshop)
    answers: list[tuple[int, dict[str, list[int | None]]]] = [
        (120, {"a": [1], "b": [0]}),
        (20, {"a": [1], "b": [2]}),
    ]
    for days, chosen in answers:
        moment = NOW - timedelta(days=days)
        completed_diagnostic(
            shop=argentan.bakery, user=baker, chosen=chosen, started=moment, completed=moment
        )
    programme = CoachingProgrammeFactory.create(
        town=town, name="Connecte ton commerce", starts_on=date(2026, 5, 4)
    )
    CoachingActionFactory.create(programme=programme, shop=argentan.bakery, started_on=date(2026, 5, 4))
    signals_for(argentan.bakery, at=NOW, has_photo=False)
    signals_for(argentan.bookshop, at=NOW)
    return TownRoleFactory.create(town=town, role=Role.ADVISER).user


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_adviser_follows_merchants_up(
    new_context: NewContext, live_server: Any, argentan: Argentan, adviser: Any, lang: str
) -> None:
    page = signed_in(new_context(), live_server, adviser, lang)
    page.goto("/argentan/")
    page.get_by_role("link", name=translated(lang, "Accompagnement"), exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi des commerçants"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)  # header, the bakery, the bookshop
    bakery_row = table.get_by_role("row", name=argentan.bakery.name)
    expect(bakery_row).to_contain_text("25")
    expect(bakery_row).to_contain_text(translated(lang, "pas de photo"))
    assert_accessible(page)
    screenshot(page, f"support-followup-{lang}")

    page.get_by_role("link", name=translated(lang, "Actions en panne")).click()
    expect(page.get_by_role("link", name=translated(lang, "Actions en panne"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(table.get_by_role("row")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("link", name=translated(lang, "Télécharger cette liste (CSV)")).click()
    assert download.value.suggested_filename == "accompagnement-argentan.csv"
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2
    assert rows[1].startswith(argentan.bakery.name)

    page.get_by_role("searchbox", name=translated(lang, "Nom du commerce")).fill("librairie")
    page.get_by_role("button", name=translated(lang, "Filtrer la liste")).click()
    expect(page.get_by_text(translated(lang, "Aucun commerce ne répond à ces critères."))).to_be_visible()
    page.get_by_role("link", name=translated(lang, "Voir tous les commerces")).click()

    page.get_by_role("link", name=argentan.bakery.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(argentan.bakery.name)
    expect(page.get_by_text("75/100").first).to_be_visible()  # the diagnostic's section
    expect(page.get_by_text(translated(lang, "Pas de photo"))).to_be_visible()
    expect(page.get_by_text("Connecte ton commerce").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"support-followup-shop-{lang}")
