"""The town manager's roles page and validation queue in a browser: focus after each change in place,
buttons named after their action, the shop's preview; French and English, axe-clean, 1280 and 360 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role, TownRole, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": PHONE}


@pytest.fixture
def manager(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(
        town=argentan.town,
        role=Role.MANAGER,
        user__email="manager@argentan.example",
        user__first_name="Paul",
        user__last_name="Leroy",
    ).user
    return user


def focused(page: Page) -> dict[str, Any]:
    """Where the keyboard focus is: the element's id, tag, text and whether it sits in the footer."""
    result: dict[str, Any] = page.evaluate(
        """() => { const el = document.activeElement;
                   return { id: el.id, tag: el.tagName, text: (el.textContent || '').trim(),
                            inFooter: !!el.closest('footer'), inPanel: !!el.closest('#roles-panel') }; }"""
    )
    return result


def test_after_giving_and_removing_a_role_the_focus_stays_on_what_changed(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User
) -> None:
    UserFactory.create(email="elue@argentan.example", first_name="Anne", last_name="Duval")
    page = signed_in(new_context(), live_server, manager)
    page.goto("/argentan/gestion/roles/")

    page.get_by_label("Adresse e-mail de la personne").fill("elue@argentan.example")
    page.get_by_label("Rôle", exact=False).and_(page.locator("select")).select_option("elected")
    page.get_by_role("button", name="Donner le rôle").click()

    status = page.locator("#roles-status")
    expect(status).to_contain_text("Anne Duval (elue@argentan.example) est désormais Élu·e.")
    expect(status).to_be_focused()
    expect(status).not_to_have_class(re.compile("htmx-added"))  # htmx has settled: it focuses no more
    page.keyboard.press("Tab")
    after_grant = focused(page)
    assert after_grant["inPanel"], after_grant
    assert not after_grant["inFooter"], after_grant
    assert after_grant["text"] == "Retirer le rôle Élu·e d'Anne Duval"
    assert_accessible(page)

    page.keyboard.press("Enter")  # removes the role the Tab landed on

    expect(status).to_contain_text("Le rôle Élu·e d'Anne Duval (elue@argentan.example) est retiré.")
    expect(status).to_be_focused()
    expect(status).not_to_have_class(re.compile("htmx-added"))  # htmx has settled: it focuses no more
    page.keyboard.press("Tab")
    after_removal = focused(page)
    assert after_removal["inPanel"], after_removal
    assert not after_removal["inFooter"], after_removal
    assert not TownRole.objects.filter(user__email="elue@argentan.example").exists()
    assert_accessible(page)


def test_a_refused_grant_puts_the_focus_on_the_address_to_correct(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User
) -> None:
    page = signed_in(new_context(), live_server, manager)
    page.goto("/argentan/gestion/roles/")

    email = page.get_by_label("Adresse e-mail de la personne")
    email.fill("personne@nulle-part.example")
    page.get_by_role("button", name="Donner le rôle").click()

    expect(page.get_by_role("alert")).to_contain_text("doit d'abord créer son compte")
    expect(page.get_by_label("Adresse e-mail de la personne")).to_be_focused()
    expect(page.get_by_label("Adresse e-mail de la personne")).to_have_value("personne@nulle-part.example")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_roles_page_names_people_and_keeps_ones_own_role(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, lang: str, viewport: str
) -> None:
    TownRoleFactory.create(
        town=argentan.town, role=Role.ELECTED, user__first_name="Anne", user__last_name="Duval"
    )
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, manager, lang)
    page.goto("/argentan/gestion/roles/")

    table = page.get_by_role("list", name=translated(lang, "Qui fait quoi"))
    expect(table).to_contain_text("Anne Duval")
    expect(table).to_contain_text("Paul Leroy")
    expect(table).to_contain_text(
        translated(lang, "C'est vous : un autre manager peut vous retirer ce rôle.")
    )
    expect(page.get_by_role("button", name=re.compile("Paul Leroy"))).to_have_count(0)
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"roles-{lang}-{viewport}")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_manager_previews_a_shop_then_publishes_it(
    new_context: NewContext, live_server: Any, argentan: Argentan, manager: User, lang: str, viewport: str
) -> None:
    shop = argentan.draft
    shop.status = ShopStatus.SUBMITTED
    shop.description = "Céramiques tournées sur place."
    shop.siret = "73282932000074"
    shop.save()
    ShopMembershipFactory.create(shop=shop, user__first_name="Léa", user__last_name="Martin")
    ProductFactory.create(shop=shop, title="Bol à café")
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, manager, lang)
    page.goto("/argentan/gestion/commerces/")

    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Atelier en préparation"))
    expect(card).to_contain_text("Céramiques tournées sur place.")
    expect(card).to_contain_text("73282932000074")
    expect(card).to_contain_text("Léa Martin")
    publish = translated(lang, "Publier « %(name)s »") % {"name": "Atelier en préparation"}
    expect(card.get_by_role("button", name=publish, exact=True)).to_be_visible()
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"queue-{lang}-{viewport}")

    card.get_by_role("link", name=re.compile("Atelier en préparation")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atelier en préparation")
    expect(page.get_by_role("main")).to_contain_text("Bol à café")
    expect(page.get_by_role("main")).to_contain_text("Vase pas encore en vente")
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"preview-{lang}-{viewport}")

    page.get_by_role("button", name=publish, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Atelier en préparation")
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PUBLISHED


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_claim_invitation_speaks_of_the_shop_with_one_wording(
    new_context: NewContext, live_server: Any, argentan: Argentan, lang: str, viewport: str
) -> None:
    from django.conf import settings

    context = new_context(viewport=VIEWPORTS[viewport])
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"/argentan/commerces/{argentan.bakery.slug}/")  # nobody runs the bakery yet

    invitation = page.get_by_role("complementary", name=translated(lang, "Vous tenez ce commerce ?"))
    expect(invitation).to_contain_text(
        translated(
            lang,
            "Ce commerce a été ajouté par la ville à partir de données publiques. Revendiquez-le pour tenir "
            "sa fiche à jour : horaires, photos, produits.",
        )
    )
    expect(invitation.get_by_role("link", name=translated(lang, "Revendiquer ce commerce"))).to_be_visible()
    assert_accessible(page)
    assert_fits(page)
