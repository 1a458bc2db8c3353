"""The town team's pages and a person's account pages in a real browser, axe-clean in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from centreville.accounts.models import Role, TownRole, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.models import ShopStatus

from .conftest import Argentan
from .helpers import assert_accessible, signed_in, translated

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(argentan: Argentan) -> User:
    return TownRoleFactory.create(
        town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example"
    ).user


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_walks_through_the_town_pages(
    context: BrowserContext, live_server: Any, argentan: Argentan, manager: User, lang: str
) -> None:
    page = signed_in(context, live_server, manager, lang)

    page.goto("/argentan/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Réglages de la ville"))
    assert_accessible(page)

    for path, heading in [
        ("/argentan/gestion/roles/", "Rôles de l'équipe"),
        ("/argentan/gestion/commerces/", "Les commerces de la ville"),
        ("/argentan/tableau-de-bord/", None),
        ("/argentan/revendications/gestion/", None),
        ("/argentan/gestion/imports/", None),
    ]:
        page.goto(path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, heading))
        assert_accessible(page)


def test_the_manager_gives_a_role_without_leaving_the_page(
    context: BrowserContext, live_server: Any, argentan: Argentan, manager: User
) -> None:
    UserFactory.create(email="elue@argentan.example")
    page = signed_in(context, live_server, manager)
    page.goto("/argentan/gestion/roles/")

    page.get_by_label("Adresse e-mail de la personne").fill("elue@argentan.example")
    page.get_by_label("Rôle", exact=False).and_(page.locator("select")).select_option("elected")
    page.get_by_role("button", name="Donner le rôle").click()

    expect(page.get_by_role("status")).to_contain_text("elue@argentan.example")
    expect(page.get_by_role("list", name="Qui fait quoi")).to_contain_text("Élu·e")
    assert TownRole.objects.filter(user__email="elue@argentan.example", role=Role.ELECTED).exists()
    assert_accessible(page)

    page.get_by_label("Adresse e-mail de la personne").fill("personne@nulle-part.example")
    page.get_by_role("button", name="Donner le rôle").click()
    expect(page.get_by_role("alert")).to_contain_text("doit d'abord créer son compte")
    assert_accessible(page)


def test_the_manager_publishes_a_shop_awaiting_validation(
    context: BrowserContext, live_server: Any, argentan: Argentan, manager: User
) -> None:
    argentan.draft.status = ShopStatus.SUBMITTED
    argentan.draft.save()
    page = signed_in(context, live_server, manager)
    page.goto("/argentan/gestion/commerces/")

    page.get_by_role("button", name="Publier « Atelier en préparation »").click()

    expect(page.get_by_role("status")).to_contain_text("Atelier en préparation")
    argentan.draft.refresh_from_db()
    assert argentan.draft.status == ShopStatus.PUBLISHED
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_person_reaches_every_account_page(
    context: BrowserContext, live_server: Any, marie: User, lang: str
) -> None:
    page = signed_in(context, live_server, marie, lang)

    for path in (
        "/compte/espace/",
        "/compte/password/change/",
        "/compte/email/",
        "/compte/espace/supprimer/",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_accessible(page)
