"""Registering for training sessions: seats, the waiting list moving up by itself, capacity, attendance,
follow-up tasks; every refusal in French."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from centreville.accounts.tests.factories import UserFactory
from centreville.notifications.models import Notification
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support import training
from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, SessionStatus
from centreville.support.training import SessionData, TaskData
from centreville.towns.tests.factories import TownFactory

from .factories_training import TrainingSessionFactory, merchant_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def register(session, n: int = 1) -> list[Registration]:
    made = []
    for _ in range(n):
        user, shop = merchant_of(session.town)
        made.append(training.registration_create(session=session, user=user, shop=shop, at=NOW))
    return made


def refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.messages[0]


def statuses(session) -> list[str]:
    return list(session.registrations.order_by("rank").values_list("status", flat=True))


def test_the_first_people_get_seats_and_the_next_wait_in_order() -> None:
    session = TrainingSessionFactory.create(capacity=2)
    registrations = register(session, 4)
    assert statuses(session) == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert [training.waiting_position(r) for r in registrations] == [None, None, 1, 2]
    assert registrations[0].confirmed_at == NOW
    assert registrations[2].confirmed_at is None


def test_a_cancelled_seat_goes_to_the_first_person_waiting_who_is_told(
    django_capture_on_commit_callbacks,
) -> None:
    session = TrainingSessionFactory.create(capacity=2)
    first, _second, third, fourth = register(session, 4)
    with django_capture_on_commit_callbacks(execute=True):
        training.registration_cancel(registration=first, at=NOW)
    assert statuses(session) == [CANCELLED, CONFIRMED, CONFIRMED, WAITING]
    assert training.waiting_position(Registration.objects.get(pk=fourth.pk)) == 1
    assert [message.to for message in mail.outbox] == [[third.user.email]]
    message = mail.outbox[0]
    assert "Une place s'est libérée" in message.subject
    assert session.title in message.subject
    assert f"http://testserver/{session.town.slug}/accompagnement/formations/{session.pk}.ics" in message.body
    assert "jeudi 10 décembre 2026, 10:00" in message.body  # 9:00 UTC, on the town's clock
    notification = Notification.objects.get()
    assert notification.kind == training.PROMOTED
    assert notification.order_id is None


def test_cancelling_a_place_in_the_waiting_list_moves_the_others_up_and_promotes_nobody() -> None:
    session = TrainingSessionFactory.create(capacity=1)
    _first, second, third = register(session, 3)
    training.registration_cancel(registration=second, at=NOW)
    assert statuses(session) == [CONFIRMED, CANCELLED, WAITING]
    assert training.waiting_position(Registration.objects.get(pk=third.pk)) == 1


def test_someone_registered_again_after_cancelling_goes_to_the_end() -> None:
    session = TrainingSessionFactory.create(capacity=1)
    first, second = register(session, 2)
    training.registration_cancel(registration=first, at=NOW)
    again = training.registration_create(session=session, user=first.user, shop=first.shop, at=NOW)
    assert again.status == WAITING
    assert again.rank == 3
    assert Registration.objects.get(pk=second.pk).status == CONFIRMED


def test_registering_twice_is_refused() -> None:
    session = TrainingSessionFactory.create()
    (registration,) = register(session)
    assert (
        refusal(
            training.registration_create,
            session=session,
            user=registration.user,
            shop=registration.shop,
            at=NOW,
        )
        == "Vous êtes déjà inscrit à cette session ou sur sa liste d'attente."
    )


def test_registration_closes_when_the_session_starts_and_a_cancelled_session_takes_nobody() -> None:
    session = TrainingSessionFactory.create(starts_at=NOW)
    user, shop = merchant_of(session.town)
    assert refusal(training.registration_create, session=session, user=user, shop=shop, at=NOW) == (
        "Les inscriptions sont closes : la session a commencé."
    )
    cancelled = TrainingSessionFactory.create(town=session.town, status=SessionStatus.CANCELLED)
    assert refusal(training.registration_create, session=cancelled, user=user, shop=shop, at=NOW) == (
        "Cette session est annulée."
    )


def test_a_merchant_registers_for_a_shop_they_run_and_must_say_which() -> None:
    session = TrainingSessionFactory.create()
    user, _shop = merchant_of(session.town)
    ShopMembershipFactory.create(user=user, shop__town=session.town)
    other_shop = ShopFactory.create(town=session.town)
    assert refusal(training.registration_create, session=session, user=user, shop=None, at=NOW) == (
        "Choisissez le commerce pour lequel vous vous inscrivez."
    )
    assert refusal(training.registration_create, session=session, user=user, shop=other_shop, at=NOW) == (
        "Choisissez l'un des commerces que vous gérez dans cette ville."
    )


def test_an_adviser_who_runs_no_shop_registers_without_one() -> None:
    session = TrainingSessionFactory.create()
    registration = training.registration_create(session=session, user=UserFactory.create(), shop=None, at=NOW)
    assert registration.status == CONFIRMED
    assert registration.shop is None


def test_more_seats_confirm_the_first_people_waiting(django_capture_on_commit_callbacks) -> None:
    session = TrainingSessionFactory.create(capacity=1)
    register(session, 4)
    with django_capture_on_commit_callbacks(execute=True):
        training.session_change_capacity(session=session, capacity=3, at=NOW)
    assert statuses(session) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]
    assert len(mail.outbox) == 2


def test_fewer_seats_than_people_confirmed_is_refused_in_french() -> None:
    session = TrainingSessionFactory.create(capacity=4)
    register(session, 3)
    assert refusal(training.session_change_capacity, session=session, capacity=2, at=NOW) == (
        "3 personnes sont déjà inscrites : la session ne peut pas avoir moins de 3 places. "
        "Désinscrivez d'abord quelqu'un."
    )
    training.session_change_capacity(session=session, capacity=3, at=NOW)
    session.refresh_from_db()
    assert session.capacity == 3


def _data(session, **changes) -> SessionData:
    values = {
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "description": session.description,
        "trainer": session.trainer,
        "place": session.place,
        "video_url": session.video_url,
        "suggested_tasks": session.suggested_tasks,
    }
    return SessionData(**{**values, **changes})


def test_a_new_time_raises_the_calendar_version_and_reminds_again_but_new_seats_alone_do_not() -> None:
    session = TrainingSessionFactory.create(capacity=1)
    first, _second = register(session, 2)
    Registration.objects.filter(pk=first.pk).update(reminded_at=NOW)
    updated = training.session_update(session=session, data=_data(session, capacity=2), at=NOW)
    assert updated.sequence == 0
    assert statuses(session) == [CONFIRMED, CONFIRMED]
    later = session.starts_at + timedelta(days=1)
    updated = training.session_update(
        session=session,
        data=_data(session, starts_at=later, ends_at=later + timedelta(hours=1), capacity=2),
        at=NOW,
    )
    assert updated.sequence == 1
    assert Registration.objects.get(pk=first.pk).reminded_at is None


def test_a_session_needs_a_place_or_a_link_and_ends_after_it_starts() -> None:
    session = TrainingSessionFactory.create()
    with pytest.raises(ValidationError) as caught:
        training.session_create(
            town=session.town,
            data=_data(session, place="", video_url="", ends_at=session.starts_at),
            actor=None,
        )
    assert caught.value.message_dict == {
        "ends_at": ["La fin doit être après le début."],
        "place": ["Indiquez le lieu de la session, ou le lien de la visioconférence."],
    }


def test_cancelling_a_session_tells_everyone_registered_or_waiting(
    django_capture_on_commit_callbacks,
) -> None:
    session = TrainingSessionFactory.create(capacity=1)
    first, second, third = register(session, 3)
    training.registration_cancel(registration=third, at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = training.session_cancel(session=session, at=NOW)
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert all("Formation annulée" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        training.session_cancel(session=session, at=NOW)  # again: nothing more
    assert len(mail.outbox) == 2


def test_attendance_is_recorded_once_the_session_has_started() -> None:
    session = TrainingSessionFactory.create(capacity=2, starts_at=NOW + timedelta(hours=1))
    first, second, waiting = register(session, 3)
    assert (
        refusal(training.attendance_record, session=session, attended={first.pk: True}, at=NOW)
        == "Les présences se notent une fois la session commencée."
    )
    later = NOW + timedelta(hours=2)
    changed = training.attendance_record(
        session=session, attended={first.pk: True, second.pk: False, waiting.pk: True}, at=later
    )
    assert changed == 2
    assert dict(session.registrations.values_list("pk", "attended")) == {
        first.pk: True,
        second.pk: False,
        waiting.pk: None,  # only confirmed people attend
    }


def test_follow_up_tasks_go_to_registrants_and_are_ticked() -> None:
    session = TrainingSessionFactory.create(capacity=2)
    first, second = register(session, 2)
    tasks = training.tasks_add(
        session=session,
        tasks=[
            TaskData(first.pk, "Compléter sa fiche Google", date(2026, 12, 20)),
            TaskData(second.pk, "  "),
        ],
        actor=None,
    )
    assert [(t.title, t.shop_id, t.town_id) for t in tasks] == [
        ("Compléter sa fiche Google", first.shop_id, session.town_id)
    ]
    done = training.task_set_done(task=tasks[0], done=True, at=NOW)
    assert done.done_at == NOW
    assert training.task_set_done(task=tasks[0], done=False, at=NOW).done_at is None
    other = TrainingSessionFactory.create(town=session.town)
    assert (
        refusal(
            training.tasks_add, session=other, tasks=[TaskData(first.pk, "Ajouter trois photos")], actor=None
        )
        == "Les tâches de suivi sont données aux personnes inscrites à la session."
    )
    assert FollowUpTask.objects.count() == 1


def test_a_session_of_another_town_is_not_reached_through_a_shop_of_this_one() -> None:
    here, elsewhere = TownFactory.create(), TownFactory.create()
    session = TrainingSessionFactory.create(town=elsewhere)
    user, shop = merchant_of(here)
    assert refusal(training.registration_create, session=session, user=user, shop=shop, at=NOW) == (
        "Choisissez l'un des commerces que vous gérez dans cette ville."
    )


def test_a_new_place_or_time_is_told_to_everyone_registered_or_waiting(
    django_capture_on_commit_callbacks,
) -> None:
    session = TrainingSessionFactory.create(capacity=1, starts_at=NOW + timedelta(days=3))
    first, second = register(session, 2)
    with django_capture_on_commit_callbacks(execute=True):
        training.session_update(session=session, data=_data(session, description="Plus de détails"), at=NOW)
    assert mail.outbox == []  # a new description is not worth an e-mail
    with django_capture_on_commit_callbacks(execute=True):
        training.session_update(session=session, data=_data(session, place="Médiathèque, salle 2"), at=NOW)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert mail.outbox[0].subject == f"Formation modifiée : « {session.title} »"
    assert "Lieu : Médiathèque, salle 2" in mail.outbox[0].body
