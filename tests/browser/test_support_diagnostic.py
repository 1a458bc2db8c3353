"""The self-diagnostic in a browser: a merchant takes the whole platform questionnaire on a 320 px phone, one
area a page, and reads the result with the town's average, the weak areas' sheets and the progress since the
previous diagnostic; the same without JavaScript; an adviser reads and edits the town's questionnaire. French
and English, axe-clean on every step and on the result.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support import services_diagnostic
from centreville.support.diagnostic_content import AREAS
from centreville.support.models import Diagnostic
from centreville.support.tests.factories_diagnostic import completed_diagnostic

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"viewport": NARROW, "has_touch": True, "is_mobile": True}


@pytest.fixture
def baker(argentan: Argentan) -> User:
    """The bakery's merchant, who took the diagnostic three months ago with poor answers; five other shops of
    the town took it too, so the town's average shows."""
    services_diagnostic.platform_questionnaire_ensure(at=timezone.now() - timedelta(days=200))
    user: User = ShopMembershipFactory.create(shop=argentan.bakery, user__email="baker@example.fr").user
    before = timezone.now() - timedelta(days=90)
    lowest: dict[str, list[int | None]] = {code: [0, 0, 0, 0] for code, *_rest in AREAS}
    completed_diagnostic(shop=argentan.bakery, user=user, chosen=lowest, started=before, completed=before)
    for number in range(5):
        shop = ShopFactory.create(town=argentan.town, name=f"Commerce {number}")
        completed_diagnostic(shop=shop, user=user, started=before, completed=before)
    return user


def _answer_every_question(page: Page, *, best: bool) -> None:
    questions = page.locator("fieldset.diag-question")
    for index in range(questions.count()):
        labels = questions.nth(index).locator("label")
        # the best answer is the last one before « not concerned », if the question offers it
        target = labels.first
        if best:
            target = labels.nth(labels.count() - 1)
            if "pas concerné" in (target.text_content() or "") or "not concerned" in (
                target.text_content() or ""
            ):
                target = labels.nth(labels.count() - 2)
        target.click()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_takes_the_whole_diagnostic_on_a_phone(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    page = signed_in(new_context(**PHONE), live_server, baker, lang)
    page.goto("/argentan/espace-commercant/")
    page.get_by_role(
        "link", name=translated(lang, "Autodiagnostic numérique : mon score et mes pistes")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boulangerie du Marché")
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"diagnostic-shop-{lang}")
    page.get_by_role("button", name=translated(lang, "Refaire le diagnostic")).click()

    for step in range(1, 8):
        expect(page.locator(".diag-progress p")).to_have_text(
            translated(lang, "Étape %(step)s sur %(steps)s") % {"step": step, "steps": 7}
        )
        assert page.locator("fieldset.diag-question").count() == 4
        if step == 2:  # « Suivant » with nothing chosen: told what is missing, on the same step
            page.get_by_role("button", name=translated(lang, "Suivant")).click()
            expect(page.get_by_role("alert").first).to_be_visible()
            expect(page.locator(".field-errors").first).to_contain_text(
                translated(lang, "Choisissez une réponse.")
            )
            assert_accessible(page)
            screenshot(page, f"diagnostic-error-{lang}")
        assert_accessible(page)
        assert_fits(page)
        if step == 1:
            screenshot(page, f"diagnostic-step-{lang}")
        # the bakery progressed everywhere but on payment and data protection
        _answer_every_question(page, best=step not in (4, 7))
        last = step == 7
        page.get_by_role("button", name=translated(lang, "Voir mon résultat" if last else "Suivant")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"\d"))
    taken = Diagnostic.objects.filter(shop=argentan.bakery).order_by("-completed_at").first()
    assert taken is not None
    assert taken.completed_at is not None
    assert not taken.with_adviser
    expect(page.locator(".diag-score")).to_have_text(f"{taken.score}/100")
    weak = page.get_by_role("heading", name=translated(lang, "Pour progresser"))
    expect(weak).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(translated(lang, "Paiement en ligne")))).to_be_visible()
    expect(page.get_by_text(re.compile(r"\+\d+ points"))).not_to_have_count(0)
    town_average = translated(lang, "Moyenne de la ville : %(score)s/100").split(" %")[0]
    expect(page.get_by_text(re.compile(town_average))).not_to_have_count(0)
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"diagnostic-result-{lang}")
    page.get_by_role("link", name=re.compile(translated(lang, "Paiement en ligne"))).click()
    expect(page).to_have_url(re.compile(r"/paiement/$"))


def test_the_diagnostic_works_without_javascript(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = signed_in(new_context(java_script_enabled=False, **PHONE), live_server, baker)
    page.goto(f"/argentan/espace-commercant/accompagnement/diagnostic/{argentan.bakery.slug}/")
    page.get_by_role("button", name="Refaire le diagnostic").click()
    _answer_every_question(page, best=True)
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator(".diag-progress p")).to_have_text("Étape 2 sur 7")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_role("button", name="Reprendre le diagnostic")).to_be_visible()
    page.get_by_role("button", name="Reprendre le diagnostic").click()
    expect(page.locator(".diag-progress p")).to_have_text("Étape 2 sur 7")
    page.get_by_role("button", name="Précédent").click()
    expect(page.locator("fieldset.diag-question input:checked")).to_have_count(4)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_adviser_edits_the_towns_questionnaire(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    adviser = TownRoleFactory.create(town=argentan.town, role=Role.ADVISER).user
    page = signed_in(new_context(), live_server, adviser, lang)
    page.goto("/argentan/gestion/accompagnement/diagnostic/questionnaire/")
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Adapter le questionnaire pour la ville")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Brouillon du questionnaire"))
    assert_accessible(page)
    screenshot(page, f"diagnostic-editor-{lang}")
    page.get_by_role("link", name=re.compile(translated(lang, "Ajouter une question"))).first.click()
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()  # nothing filled
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"diagnostic-question-errors-{lang}")
    page.get_by_label(re.compile("^" + translated(lang, "question").capitalize())).fill(
        "Avez-vous un site web ?"
    )
    page.locator("#id_choix-0-label").fill("Non")
    page.locator("#id_choix-0-points").fill("0")
    page.locator("#id_choix-1-label").fill("Oui")
    page.locator("#id_choix-1-points").fill("2")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(
        page.get_by_role("paragraph").filter(has_text=re.compile(r"^Avez-vous un site web \?$"))
    ).to_be_visible()
    page.get_by_role("button", name=translated(lang, "Publier cette version")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(lang, "Autodiagnostic : questionnaire et fiches")
    )
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_adviser_takes_the_diagnostic_with_a_merchant_on_a_phone(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    adviser = TownRoleFactory.create(town=argentan.town, role=Role.ADVISER).user
    page = signed_in(new_context(**PHONE), live_server, adviser, lang)
    page.goto("/argentan/espace-commercant/accompagnement/diagnostic/")
    page.get_by_role("button", name=translated(lang, "Ouvrir")).click()  # no shop chosen
    expect(page.locator(".field-errors")).to_contain_text(translated(lang, "Choisissez un commerce."))
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"diagnostic-adviser-home-{lang}")
    page.locator("#id_commerce").select_option(label="Librairie des Halles")
    page.get_by_role("button", name=translated(lang, "Ouvrir")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Librairie des Halles")
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Commencer le diagnostic")).click()
    expect(page.locator(".diag-progress p")).to_have_text(
        translated(lang, "Étape %(step)s sur %(steps)s") % {"step": 1, "steps": 7}
    )
    taken = Diagnostic.objects.get(shop=argentan.bookshop)
    assert taken.with_adviser
    assert taken.taken_by == adviser
