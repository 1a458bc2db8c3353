"""Training sessions in a browser: a merchant on a 320 px phone registers for a session, joins the waiting
list of a full one, sees their place in it, cancels and ticks a follow-up task; an adviser records who came
and gives each attendee a follow-up task. French and English, axe-clean, and the phone page works without
JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.support import training
from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, TrainingSession
from centreville.support.tests.factories_training import TrainingSessionFactory, merchant_of

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Sessions:
    open: TrainingSession
    full: TrainingSession
    past: TrainingSession
    merchant: User
    adviser: User


@pytest.fixture
def sessions(argentan: Argentan) -> Sessions:
    """A session with seats, a full one (two people already waiting), and one that ended this morning with
    three people registered; the bakery's merchant is registered for none of them yet."""
    town, now = argentan.town, timezone.now()
    merchant = ShopMembershipFactory.create(shop=argentan.bakery).user
    open_session = TrainingSessionFactory.create(
        town=town,
        title="Être trouvé sur Google Maps",
        starts_at=now + timedelta(days=4),
        capacity=8,
    )
    full = TrainingSessionFactory.create(
        town=town,
        title="Réseaux sociaux en 15 minutes par semaine",
        starts_at=now + timedelta(days=9),
        capacity=2,
        place="",
        video_url="https://visio.example.fr/reseaux",
    )
    for _ in range(4):
        user, shop = merchant_of(town)
        training.registration_create(session=full, user=user, shop=shop, at=now)
    past = TrainingSessionFactory.create(
        town=town,
        title="Vendre en Click & Collect",
        starts_at=now - timedelta(hours=5),
        capacity=5,
        suggested_tasks="Mettre en ligne dix produits\nOuvrir les créneaux de retrait",
    )
    for user, shop in [(merchant, argentan.bakery), *(merchant_of(town) for _ in range(2))]:
        training.registration_create(session=past, user=user, shop=shop, at=now - timedelta(days=3))
    return Sessions(
        open=open_session,
        full=full,
        past=past,
        merchant=merchant,
        adviser=TownRoleFactory.create(town=town, role=Role.ADVISER).user,
    )


def card(page: Page, session: TrainingSession) -> Any:
    return page.locator(f"#session-{session.pk}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_on_a_phone_registers_waits_cancels_and_ticks_a_task(
    new_context: NewContext, live_server: Any, sessions: Sessions, lang: str
) -> None:
    page = signed_in(new_context(viewport=NARROW, is_mobile=True), live_server, sessions.merchant, lang)
    page.goto("/argentan/espace-commercant/accompagnement/formations/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Formations au numérique"))
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"training-merchant-list-{lang}")

    card(page, sessions.open).get_by_role("button", name=translated(lang, "M'inscrire")).click()
    expect(page.get_by_role("status")).to_contain_text(sessions.open.title)
    expect(card(page, sessions.open)).to_contain_text(translated(lang, "Vous êtes inscrit."))
    assert Registration.objects.get(session=sessions.open).status == RegistrationStatus.CONFIRMED

    card(page, sessions.full).get_by_role(
        "button", name=translated(lang, "Rejoindre la liste d'attente")
    ).click()
    expect(card(page, sessions.full)).to_contain_text("3")
    assert (
        training.waiting_position(Registration.objects.get(session=sessions.full, user=sessions.merchant))
        == 3
    )
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"training-merchant-waiting-{lang}")

    card(page, sessions.open).get_by_role("button", name=translated(lang, "Me désinscrire")).click()
    expect(
        card(page, sessions.open).get_by_role("button", name=translated(lang, "M'inscrire"))
    ).to_be_visible()
    assert Registration.objects.get(session=sessions.open).status == RegistrationStatus.CANCELLED

    registration = Registration.objects.get(session=sessions.past, user=sessions.merchant)
    (task,) = training.tasks_add(
        session=sessions.past,
        tasks=[training.TaskData(registration.pk, "Mettre en ligne dix produits")],
        actor=sessions.adviser,
    )
    page.reload()
    tasks = page.locator("#mes-taches").locator("xpath=..")
    tasks.get_by_role("button", name=translated(lang, "C'est fait")).click()
    expect(page.locator(f"#tache-{task.pk}")).to_contain_text(translated(lang, "Remettre à faire"))
    assert FollowUpTask.objects.get(pk=task.pk).done_at is not None
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"training-merchant-task-{lang}")


def test_the_phone_page_works_without_javascript(
    new_context: NewContext, live_server: Any, sessions: Sessions
) -> None:
    context = new_context(viewport=NARROW, java_script_enabled=False)
    page = signed_in(context, live_server, sessions.merchant)
    page.goto("/argentan/espace-commercant/accompagnement/formations/")
    card(page, sessions.full).get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(card(page, sessions.full)).to_contain_text("en position 3")
    card(page, sessions.full).get_by_role("button", name="Quitter la liste d'attente").click()
    expect(
        card(page, sessions.full).get_by_role("button", name="Rejoindre la liste d'attente")
    ).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_adviser_records_attendance_and_gives_follow_up_tasks(
    new_context: NewContext, live_server: Any, sessions: Sessions, lang: str
) -> None:
    page = signed_in(new_context(), live_server, sessions.adviser, lang)
    page.goto("/argentan/gestion/accompagnement/formations/")
    assert_accessible(page)
    page.get_by_role("link", name=sessions.past.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sessions.past.title)
    assert_accessible(page)
    screenshot(page, f"training-adviser-session-{lang}")

    came, missed, also_came = sessions.past.registrations.order_by("rank")
    present, absent = translated(lang, "Présent"), translated(lang, "Absent")
    for registration, choice in ((came, present), (missed, absent), (also_came, present)):
        group = page.get_by_role("group", name=str(registration.user))
        group.get_by_role("radio", name=choice, exact=True).check()
    page.get_by_role("button", name=translated(lang, "Enregistrer les présences")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(sessions.past.title)
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)
    first_field = page.get_by_label(str(came.user), exact=False)
    expect(first_field).to_have_value("Mettre en ligne dix produits")
    page.get_by_label(str(also_came.user), exact=False).fill("Ouvrir les créneaux de retrait")
    page.get_by_label(translated(lang, "À faire pour le")).fill(
        (timezone.localdate() + timedelta(days=21)).isoformat()
    )
    screenshot(page, f"training-adviser-tasks-{lang}")
    page.get_by_role("button", name=translated(lang, "Donner ces tâches")).click()

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Ouvrir les créneaux de retrait")
    assert sorted(FollowUpTask.objects.values_list("registration_id", "title")) == [
        (came.pk, "Mettre en ligne dix produits"),
        (also_came.pk, "Ouvrir les créneaux de retrait"),
    ]
    assert list(sessions.past.registrations.order_by("rank").values_list("attended", flat=True)) == [
        True,
        False,
        True,
    ]
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_adviser_programmes_changes_and_cancels_a_session(
    new_context: NewContext, live_server: Any, sessions: Sessions, lang: str
) -> None:
    page = signed_in(new_context(), live_server, sessions.adviser, lang)
    page.goto("/argentan/gestion/accompagnement/formations/")
    page.get_by_role("link", name=translated(lang, "Programmer une session")).click()
    page.get_by_role("button", name=translated(lang, "Ouvrir les inscriptions")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(translated(lang, "Donnez un thème à la session."))
    assert_accessible(page)
    screenshot(page, f"training-adviser-form-errors-{lang}")

    day = (timezone.localdate() + timedelta(days=15)).isoformat()
    page.get_by_label(translated(lang, "Thème")).fill("Répondre aux avis clients")
    page.get_by_label(translated(lang, "Date")).fill(day)
    page.get_by_label(translated(lang, "Début")).fill("14:00")
    page.get_by_label(translated(lang, "Fin")).fill("15:30")
    page.get_by_label(translated(lang, "Lien de la visioconférence")).fill("https://visio.example.fr/avis")
    page.get_by_label(translated(lang, "Nombre de places")).fill("6")
    page.get_by_role("button", name=translated(lang, "Ouvrir les inscriptions")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Répondre aux avis clients")
    session = TrainingSession.objects.get(title="Répondre aux avis clients")
    assert (session.capacity, session.video_url) == (6, "https://visio.example.fr/avis")
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "Modifier la session")).click()
    page.get_by_label(translated(lang, "Nombre de places")).fill("10")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(page.locator("main")).to_contain_text("0 inscrits sur 10" if lang == "fr" else "10")

    page.get_by_role("link", name=translated(lang, "Annuler la session")).click()
    # The confirmation page is loaded once its button is there: axe must not run on the page being left.
    expect(page.get_by_role("button", name=translated(lang, "Annuler la session"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Annuler la session")).click()
    expect(page.get_by_role("status")).to_be_visible()
    session.refresh_from_db()
    assert (session.is_cancelled, session.sequence) == (True, 1)
    page.goto("/argentan/gestion/accompagnement/formations/")
    expect(page.get_by_role("row", name=session.title)).to_contain_text(translated(lang, "annulée"))
    assert_accessible(page)
    screenshot(page, f"training-adviser-list-{lang}")
