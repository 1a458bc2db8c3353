"""A producer joins the exchange on a 360 px phone: a SIRET failing its check digit is refused in words,
the right one accepted, then a pickup place added; the town team then shows the producer on its space.
French and English, axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.enterprises.models import Enterprise, PickupPlace, SpaceProducer
from centreville.enterprises.tests.factories import valid_siret, vat_number_of

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
BAD_SIRET = "73282932000075"  # 73282932000074 with its check digit changed
SIRET_REFUSAL = "« %(value)s » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle comprise)."


def test_a_producer_registers_adds_a_pickup_place_and_a_town_shows_it(
    new_context: NewContext, live_server: Any, lang: str, argentan: Argentan
) -> None:
    producer = UserFactory.create(email="claire@example.fr")
    page = signed_in(new_context(viewport=PHONE), live_server, producer, lang)

    page.goto("/pro/")
    page.get_by_role("link", name=translated(lang, "Inscrire mon exploitation")).click()
    page.wait_for_url("**/pro/inscription/?type=producteur")
    main = page.get_by_role("main")
    expect(main.locator("input[name=kind][value=producer]")).to_be_checked()
    main.locator("[name=name]").fill("Ferme des Saules")
    main.locator("[name=siret]").fill(BAD_SIRET)
    main.locator("[name=legal_form]").select_option("earl")
    main.locator("[name=vat_regime]").select_option("flat_rate_farmer")
    main.locator("[name=street_address]").fill("Les Saules")
    main.locator("[name=postcode]").fill("61200")
    main.locator("[name=city]").fill("Sarceaux")
    main.locator("[name=latitude]").fill("48,73" if lang == "fr" else "48.73")
    main.locator("[name=longitude]").fill("-0,06" if lang == "fr" else "-0.06")
    main.locator("input[name=labels][value=ab]").check()
    assert_accessible(page)
    main.get_by_role("button", name=translated(lang, "Inscrire l'entreprise")).click()

    error = main.locator("#id_siret_error")
    expect(error).to_contain_text(translated(lang, SIRET_REFUSAL) % {"value": BAD_SIRET})
    assert not Enterprise.objects.exists()
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"enterprise-bad-siret-{lang}")

    siret = valid_siret(77)
    main.locator("[name=siret]").fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    main.locator("[name=vat_number]").fill(vat_number_of(siret))
    main.locator("[name=vat_regime]").select_option("registered")
    main.get_by_role("button", name=translated(lang, "Inscrire l'entreprise")).click()
    page.wait_for_url("**/pro/ferme-des-saules/")
    enterprise = Enterprise.objects.get()
    assert (enterprise.siret, enterprise.labels) == (siret, ["ab"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Ferme des Saules")
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "Gérer les lieux de retrait")).click()
    page.wait_for_url("**/pro/ferme-des-saules/lieux/")
    main = page.get_by_role("main")
    main.locator("[name=name]").fill("Hangar de la ferme")
    main.locator("[name=opening_hours]").fill("Tu,Fr 17:00-19:00; Sa 09:00-12:00")
    main.get_by_role("button", name=translated(lang, "Ajouter le lieu")).click()
    page.wait_for_url("**/pro/ferme-des-saules/lieux/")
    card = page.get_by_role("main").locator(".card").filter(has_text="Hangar de la ferme")
    expect(card).to_contain_text("17:00")
    expect(card).to_contain_text("12:00")
    assert PickupPlace.objects.get().enterprise == enterprise
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"enterprise-places-{lang}")

    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    team = signed_in(new_context(viewport=PHONE), live_server, manager, lang)
    team.goto("/argentan/gestion/producteurs/")
    assert_fits(team)
    nearby = team.locator(f"#autour-{enterprise.pk}")
    expect(nearby).to_contain_text("3,3 km" if lang == "fr" else "3.3 km")
    nearby.get_by_role("button", name=translated(lang, "Montrer sur notre espace")).click()
    team.wait_for_url("**/argentan/gestion/producteurs/")
    shown = team.locator(f"#montre-{enterprise.pk}")
    expect(shown).to_contain_text("Ferme des Saules")
    assert SpaceProducer.objects.get().town == argentan.town
    assert_accessible(team)
    assert_fits(team)
    screenshot(team, f"enterprise-town-producers-{lang}")
