"""The town team's event form in a browser: who the event is for and its accessibility are ticked in their
own groups, saved, and found ticked again when editing. French and English, axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.agenda.models import Accessibility, Audience, Event

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, screenshot, signed_in, translated

pytestmark = pytest.mark.browser


def test_the_town_team_says_who_an_event_is_for_and_its_accessibility(
    new_context: NewContext, live_server: Any, lang: str, argentan: Argentan
) -> None:
    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    page = signed_in(new_context(), live_server, manager, lang)

    page.goto("/argentan/gestion/agenda/nouveau/")
    main = page.get_by_role("main")
    audiences = main.get_by_role("group", name=translated(lang, "Pour qui"))
    access = main.get_by_role("group", name=translated(lang, "Accessibilité"))
    expect(audiences.get_by_role("checkbox")).to_have_count(len(Audience.choices))
    expect(access.get_by_role("checkbox")).to_have_count(len(Accessibility.choices))
    expect(
        main.get_by_role(
            "radio", name=translated(lang, "Chaque mois, à la même date (par exemple le 12 de chaque mois)")
        )
    ).to_be_visible()
    assert_accessible(page)

    main.get_by_label(translated(lang, "Titre")).fill("Conte de Noël")
    main.locator("#id_day").fill("2027-12-18")
    main.get_by_label(translated(lang, "Heure de début")).fill("15:00")
    main.get_by_label(translated(lang, "Heure de fin")).fill("16:00")
    main.get_by_label(translated(lang, "Nom du lieu")).fill("Médiathèque")
    audiences.get_by_label(translated(lang, Audience.CHILDREN.label)).check()
    audiences.get_by_label(translated(lang, Audience.FAMILY.label)).check()
    access.get_by_label(translated(lang, Accessibility.MOBILITY.label)).check()
    screenshot(page, f"agenda-event-form-audiences-{lang}")
    main.get_by_role("button", name=translated(lang, "Publier")).click()
    page.wait_for_url("**/gestion/agenda/")

    event = Event.objects.get(title="Conte de Noël")
    assert event.audiences == [Audience.FAMILY, Audience.CHILDREN]
    assert event.accessibility == [Accessibility.MOBILITY]
    page.goto(f"/argentan/gestion/agenda/{event.pk}/modifier/")
    main = page.get_by_role("main")
    audiences = main.get_by_role("group", name=translated(lang, "Pour qui"))
    access = main.get_by_role("group", name=translated(lang, "Accessibilité"))
    expect(audiences.get_by_label(translated(lang, Audience.CHILDREN.label))).to_be_checked()
    expect(audiences.get_by_label(translated(lang, Audience.SENIORS.label))).not_to_be_checked()
    expect(access.get_by_label(translated(lang, Accessibility.MOBILITY.label))).to_be_checked()
    access.get_by_label(translated(lang, Accessibility.MOBILITY.label)).uncheck()
    access.get_by_label(translated(lang, Accessibility.HEARING.label)).check()
    main.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    page.wait_for_url("**/gestion/agenda/")

    event.refresh_from_db()
    assert event.accessibility == [Accessibility.HEARING]
    assert event.audiences == [Audience.FAMILY, Audience.CHILDREN]
    assert_accessible(page)
