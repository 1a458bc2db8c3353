"""The training pages over HTTP: a merchant registers, waits, cancels and ticks tasks; an adviser programmes
sessions, records attendance and gives follow-up tasks; who may see what; French form errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.support import training
from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, TrainingSession
from centreville.support.training import TaskData
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories_training import TrainingSessionFactory, merchant_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _clock(page_clock: Callable[[datetime], None]) -> None:
    page_clock(NOW)


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def adviser(town: Town) -> Client:
    client = Client()
    client.force_login(TownRoleFactory.create(town=town, role=Role.ADVISER).user)
    return client


def merchant_client(town: Town) -> tuple[Client, User, Any]:
    user, shop = merchant_of(town)
    client = Client()
    client.force_login(user)
    return client, user, shop


def merchant_url(town: Town, name: str, *args: Any) -> str:
    return reverse(f"support_merchant:{name}", args=[town.slug, *args])


def manage_url(town: Town, name: str, *args: Any) -> str:
    return reverse(f"support_manage:{name}", args=[town.slug, *args])


def text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_a_merchant_registers_then_someone_else_joins_the_waiting_list_and_sees_their_position(
    town: Town,
) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3), capacity=1)
    client, user, shop = merchant_client(town)
    page = text(client.get(merchant_url(town, "training_list")))
    assert session.title in page
    assert "1 place libre" in page
    assert "M'inscrire" in page

    response = client.post(merchant_url(town, "training_register", session.pk), follow=True)
    assert "Vous êtes inscrit à" in text(response)
    assert Registration.objects.get(session=session, user=user).shop == shop

    other, other_user, _shop = merchant_client(town)
    page = text(other.get(merchant_url(town, "training_list")))
    assert "complet" in page
    assert "Rejoindre la liste d'attente" in page
    page = text(other.post(merchant_url(town, "training_register", session.pk), follow=True))
    assert "vous êtes sur la liste d&#x27;attente, en position 1" in page
    assert "liste d'attente, position 1" in page

    registration = Registration.objects.get(session=session, user=user)
    page = text(client.post(merchant_url(town, "training_cancel", registration.pk), follow=True))
    assert "Vous êtes désinscrit de" in page
    assert Registration.objects.get(session=session, user=other_user).status == RegistrationStatus.CONFIRMED


def test_a_merchant_with_two_shops_says_which_one_in_french(town: Town) -> None:
    from centreville.shops.tests.factories import ShopMembershipFactory

    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3))
    client, user, _shop = merchant_client(town)
    ShopMembershipFactory.create(user=user, shop__town=town)
    assert 'name="shop"' in client.get(merchant_url(town, "training_list")).content.decode()
    page = text(client.post(merchant_url(town, "training_register", session.pk), follow=True))
    assert "Choisissez le commerce pour lequel vous vous inscrivez." in page
    assert not Registration.objects.exists()


def test_a_started_session_refuses_registration_with_a_french_message(town: Town) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW - timedelta(minutes=5))
    client, _user, _shop = merchant_client(town)
    page = text(client.post(merchant_url(town, "training_register", session.pk), follow=True))
    assert "Les inscriptions sont closes : la session a commencé." in page


def test_a_merchant_ticks_their_follow_up_task_but_not_someone_else_s(town: Town) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW - timedelta(days=3))
    client, user, shop = merchant_client(town)
    registration = Registration.objects.create(
        town=town, session=session, user=user, shop=shop, rank=1, status=RegistrationStatus.CONFIRMED
    )
    (task,) = training.tasks_add(
        session=session, tasks=[TaskData(registration.pk, "Ajouter trois photos")], actor=None
    )
    page = text(client.get(merchant_url(town, "training_list")))
    assert "Mes tâches de suivi" in page
    assert "Ajouter trois photos" in page
    assert "Mes sessions passées" in page
    page = text(client.post(merchant_url(town, "training_task", task.pk), {"done": "1"}, follow=True))
    assert "Bravo" in page
    assert "Remettre à faire" in page
    assert FollowUpTask.objects.get(pk=task.pk).done_at == NOW

    stranger, _u, _s = merchant_client(town)
    assert stranger.post(merchant_url(town, "training_task", task.pk), {"done": "0"}).status_code == 404
    assert stranger.post(merchant_url(town, "training_cancel", registration.pk)).status_code == 404


def test_only_merchants_and_the_town_team_reach_the_merchant_page_and_only_the_team_manages(
    town: Town,
) -> None:
    resident = Client()
    resident.force_login(UserFactory.create())
    assert resident.get(merchant_url(town, "training_list")).status_code == 403
    client, _user, _shop = merchant_client(town)
    assert client.get(manage_url(town, "training_sessions")).status_code == 403
    elsewhere = TownFactory.create()
    assert client.get(merchant_url(elsewhere, "training_list")).status_code == 403


def test_an_adviser_programmes_a_session_with_french_errors_first(town: Town, adviser: Client) -> None:
    url = manage_url(town, "training_session_create")
    assert adviser.get(url).status_code == 200
    response = adviser.post(
        url, {"title": "", "day": "32/13/2026", "start": "25h", "end": "10:00", "capacity": "0"}
    )
    assert response.status_code == 422
    page = text(response)
    for error in (
        "Donnez un thème à la session.",
        "Date illisible : écrivez-la sous la forme 31/12/2026.",
        "Heure illisible : écrivez-la sous la forme 14:30.",
        "Une session a au moins une place.",
        "Indiquez le lieu de la session, ou le lien de la visioconférence.",
    ):
        assert error in page
    response = adviser.post(
        url,
        {"title": "Vendre en Click & Collect", "day": "2026-12-10", "start": "14:00", "end": "13:00",
         "capacity": "8", "place": "Mairie"},
    )  # fmt: skip
    assert "La fin doit être après le début." in text(response)
    response = adviser.post(
        url,
        {"title": "Être visible sur Google Maps", "day": "10/12/2026", "start": "14:00", "end": "16:00",
         "capacity": "8", "place": "Mairie, salle 2",
         "suggested_tasks": "Compléter sa fiche\nAjouter des photos"},
    )  # fmt: skip
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert session.starts_at == datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)
    assert session.town == town
    assert session.capacity == 8


def test_an_hour_skipped_by_the_clock_change_is_refused(town: Town, adviser: Client) -> None:
    response = adviser.post(
        manage_url(town, "training_session_create"),
        {"title": "Nuit blanche", "day": "2026-03-29", "start": "02:30", "end": "04:00", "capacity": "8",
         "place": "Mairie"},
    )  # fmt: skip
    assert "Cette heure n&#x27;existe pas ce jour-là (passage à l&#x27;heure d&#x27;été)." in text(response)


def test_fewer_seats_than_registrants_is_refused_on_the_edit_form(town: Town, adviser: Client) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3), capacity=3)
    for _ in range(2):
        user, shop = merchant_of(town)
        training.registration_create(session=session, user=user, shop=shop, at=NOW)
    data = {"title": session.title, "day": "2026-12-04", "start": "10:00", "end": "12:00", "capacity": "1",
            "place": session.place}  # fmt: skip
    response = adviser.post(manage_url(town, "training_session_edit", session.pk), data)
    assert response.status_code == 422
    assert "2 personnes sont déjà inscrites" in text(response)


def test_an_adviser_records_attendance_then_gives_prefilled_tasks(town: Town, adviser: Client) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW - timedelta(hours=3), capacity=2)
    registrations = []
    for _ in range(3):
        user, shop = merchant_of(town)
        registrations.append(
            training.registration_create(session=session, user=user, shop=shop, at=NOW - timedelta(days=2))
        )
    came, missed, waiting = registrations
    page = text(adviser.get(manage_url(town, "training_session", session.pk)))
    assert "Enregistrer les présences" in page
    assert "Liste d'attente" in page
    assert waiting.user.email in page

    response = adviser.post(
        manage_url(town, "training_attendance", session.pk), {f"r{came.pk}": "yes", f"r{missed.pk}": "no"}
    )
    assert response["Location"] == manage_url(town, "training_tasks", session.pk)
    assert Registration.objects.get(pk=came.pk).attended is True
    assert Registration.objects.get(pk=missed.pk).attended is False

    form = adviser.get(manage_url(town, "training_tasks", session.pk))
    page = form.content.decode()
    assert f'name="t{came.pk}"' in page
    assert f'name="t{missed.pk}"' not in page
    assert 'value="Compléter sa fiche Google"' in page  # the first suggestion, prefilled
    response = adviser.post(
        manage_url(town, "training_tasks", session.pk),
        {f"t{came.pk}": "Ajouter trois photos", "due_on": "2026-12-15"},
    )
    assert response.status_code == 302
    task = FollowUpTask.objects.get()
    assert (task.title, task.shop_id, str(task.due_on)) == (
        "Ajouter trois photos",
        came.shop_id,
        "2026-12-15",
    )
    page = text(adviser.get(manage_url(town, "training_session", session.pk)))
    assert "Ajouter trois photos" in page


def test_the_registrants_spreadsheet(town: Town, adviser: Client) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3), capacity=1)
    for _ in range(2):
        user, shop = merchant_of(town, name="=Boutique")
        training.registration_create(session=session, user=user, shop=shop, at=NOW)
    response = adviser.get(manage_url(town, "training_registrants_csv", session.pk))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Ordre d'arrivée;Nom;E-mail;Commerce;Statut")
    assert ";'=Boutique;Inscrit;" in lines[1]
    assert ";'=Boutique;En liste d'attente;" in lines[2]


def test_cancelling_a_session_from_its_page(town: Town, adviser: Client) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3))
    assert "Annuler la session" in text(adviser.get(manage_url(town, "training_session_cancel", session.pk)))
    adviser.post(manage_url(town, "training_session_cancel", session.pk))
    page = text(adviser.get(manage_url(town, "training_session", session.pk), follow=True))
    assert "Session annulée le" in page


def test_a_session_of_another_town_is_not_found_by_its_team(town: Town, adviser: Client) -> None:
    session = TrainingSessionFactory.create()
    assert adviser.get(manage_url(town, "training_session", session.pk)).status_code == 404


def test_the_merchant_page_costs_the_same_queries_with_more_sessions(town: Town) -> None:
    client, user, shop = merchant_client(town)
    for day in range(1, 8):
        session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=day), capacity=1)
        training.registration_create(session=session, user=user, shop=shop, at=NOW)
    client.get(merchant_url(town, "training_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(merchant_url(town, "training_list"))
    for day in range(8, 15):
        session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=day), capacity=1)
        training.registration_create(session=session, user=user, shop=shop, at=NOW)
    with CaptureQueriesContext(connection) as many:
        client.get(merchant_url(town, "training_list"))
    assert len(many) == len(few) <= 15


def test_a_merchant_sees_that_a_session_they_registered_for_was_cancelled(town: Town) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3))
    client, user, shop = merchant_client(town)
    training.registration_create(session=session, user=user, shop=shop, at=NOW)
    training.session_cancel(session=session, at=NOW)
    page = text(client.get(merchant_url(town, "training_list")))
    assert f"{session.title} — vendredi 4 décembre, 10:00 — <strong>annulée par la ville</strong>" in page


def test_an_adviser_unregisters_someone_and_the_first_person_waiting_gets_the_seat(
    town: Town, adviser: Client
) -> None:
    session = TrainingSessionFactory.create(town=town, starts_at=NOW + timedelta(days=3), capacity=1)
    registrations = []
    for _ in range(2):
        user, shop = merchant_of(town)
        registrations.append(training.registration_create(session=session, user=user, shop=shop, at=NOW))
    first, second = registrations
    page = text(adviser.post(manage_url(town, "training_unregister", session.pk, first.pk), follow=True))
    assert f"{first.user.get_full_name()} est désinscrit." in page.replace("&#x27;", "'")
    assert Registration.objects.get(pk=second.pk).status == RegistrationStatus.CONFIRMED
    other = TrainingSessionFactory.create(town=town)
    assert adviser.post(manage_url(town, "training_unregister", other.pk, second.pk)).status_code == 404


def test_a_person_s_export_holds_their_training_and_erasure_takes_it_away(town: Town) -> None:
    import json

    from centreville.accounts.tests.factories import DEFAULT_PASSWORD

    session = TrainingSessionFactory.create(town=town, starts_at=NOW - timedelta(days=2))
    client, user, shop = merchant_client(town)
    registration = Registration.objects.create(
        town=town, session=session, user=user, shop=shop, rank=1, status=RegistrationStatus.CONFIRMED
    )
    training.tasks_add(session=session, tasks=[TaskData(registration.pk, "Ajouter trois photos")], actor=None)
    data = json.loads(client.get("/compte/espace/mes-donnees/").content)
    (row,) = data["formations"]
    assert (row["formation"], row["commerce"], row["statut"]) == (session.title, shop.name, "confirmed")
    assert row["taches_de_suivi"][0]["tache"] == "Ajouter trois photos"

    client.post("/compte/espace/supprimer/", {"password": DEFAULT_PASSWORD})
    assert not Registration.objects.filter(user_id=user.pk).exists()
    assert not FollowUpTask.objects.exists()
