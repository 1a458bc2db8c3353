"""What the town's follow-up reads of each shop's training: `training_by_shop` (three queries whatever the
number of shops) and `shop_training_followup` with its template."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory

from centreville.accounts.models import User
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.support import training
from centreville.support.models import FollowUpTask, Registration, RegistrationStatus, SessionStatus
from centreville.support.training import TaskData, TrainingSummary, shop_training_followup, training_by_shop
from centreville.towns.tests.factories import TownFactory

from .factories_training import TrainingSessionFactory, merchant_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 5, 9, 30, tzinfo=PARIS)


def attended_session(town: Any, user: Any, shop: Any, *, starts_at: datetime, came: bool) -> Registration:
    session = TrainingSessionFactory.create(town=town, starts_at=starts_at)
    registration = training.registration_create(
        session=session, user=user, shop=shop, at=starts_at - timedelta(days=3)
    )
    training.attendance_record(session=session, attended={registration.pk: came}, at=starts_at)
    return registration


@pytest.fixture
def world() -> dict[str, Any]:
    town, elsewhere = TownFactory.create(), TownFactory.create()
    user, shop = merchant_of(town)
    # Two sessions attended (the last on 1 December in Paris, 23:30 UTC on 30 November), one missed.
    first = attended_session(town, user, shop, starts_at=datetime(2026, 10, 2, 14, tzinfo=PARIS), came=True)
    attended_session(town, user, shop, starts_at=datetime(2026, 12, 1, 0, 30, tzinfo=PARIS), came=True)
    attended_session(town, user, shop, starts_at=datetime(2026, 11, 1, 14, tzinfo=PARIS), came=False)
    # One registration to come, one to a cancelled session.
    upcoming = TrainingSessionFactory.create(town=town, starts_at=AT + timedelta(days=3))
    training.registration_create(session=upcoming, user=user, shop=shop, at=AT)
    gone = TrainingSessionFactory.create(town=town, starts_at=AT + timedelta(days=4))
    training.registration_create(session=gone, user=user, shop=shop, at=AT)
    training.session_cancel(session=gone, at=AT)
    # Tasks: one overdue, one due later, one done.
    training.tasks_add(
        session=first.session,
        tasks=[
            TaskData(first.pk, "Compléter sa fiche Google", date(2026, 12, 4)),
            TaskData(first.pk, "Ajouter trois photos", date(2026, 12, 5)),
            TaskData(first.pk, "Répondre aux avis"),
        ],
        actor=None,
    )
    done = FollowUpTask.objects.get(title="Répondre aux avis")
    training.task_set_done(task=done, done=True, at=AT)
    # A shop with nothing, and a shop of another town that trained.
    idle = ShopFactory.create(town=town)
    other_user, other_shop = merchant_of(elsewhere)
    attended_session(elsewhere, other_user, other_shop, starts_at=AT - timedelta(days=1), came=True)
    return {"town": town, "shop": shop, "idle": idle, "other_shop": other_shop}


def test_each_shop_of_the_town_with_training_has_its_summary(world: dict[str, Any]) -> None:
    summaries = training_by_shop(town_id=world["town"].pk, at=AT)
    assert summaries == {
        world["shop"].pk: TrainingSummary(
            sessions_attended=2,
            last_attended_on=date(2026, 12, 1),
            registered_upcoming=1,
            open_tasks=2,
            overdue_tasks=1,
        )
    }


def test_the_summary_costs_three_queries_whatever_the_number_of_shops(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    town = world["town"]
    for _ in range(15):
        user, shop = merchant_of(town)
        attended_session(town, user, shop, starts_at=AT - timedelta(days=2), came=True)
    with django_assert_max_num_queries(3):
        summaries = training_by_shop(town_id=town.pk, at=AT)
    assert len(summaries) == 16


def test_an_unknown_town_has_no_summary() -> None:
    assert training_by_shop(town_id=999999, at=AT) == {}


def test_one_shop_s_follow_up_lists_its_sessions_and_tasks(world: dict[str, Any]) -> None:
    context = shop_training_followup(shop=world["shop"], at=AT)
    assert context["training_summary"] == training_by_shop(town_id=world["town"].pk, at=AT)[world["shop"].pk]
    assert [r.session.starts_at.astimezone(PARIS).date() for r in context["training_past"]] == [
        date(2026, 12, 1),
        date(2026, 11, 1),
        date(2026, 10, 2),
    ]
    assert len(context["training_upcoming"]) == 1
    assert [t.title for t in context["training_tasks"]] == [
        "Compléter sa fiche Google",
        "Ajouter trois photos",
        "Répondre aux avis",
    ]
    request = RequestFactory().get("/")
    html = render_to_string(
        "support/training/_shop_followup.html", {**context, "space": world["town"]}, request=request
    )
    assert '<h2 id="suivi-formations">Formations</h2>' in html
    assert "2 sessions suivies" in html
    assert "1 en retard" in html
    assert "Compléter sa fiche Google" in html


def test_a_shop_without_training_has_an_empty_follow_up(world: dict[str, Any]) -> None:
    context = shop_training_followup(shop=world["idle"], at=AT)
    assert context["training_summary"] == TrainingSummary(0, None, 0, 0, 0)
    assert context["training_past"] == context["training_tasks"] == []
    assert SessionStatus.CANCELLED  # the cancelled session counted nowhere


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="timed on PostgreSQL")
def test_two_thousand_shops_are_summed_up_in_three_quick_queries(django_assert_max_num_queries: Any) -> None:
    town = TownFactory.create()
    category = ShopFactory.create(town=town).category
    shops = Shop.objects.bulk_create(
        Shop(town=town, name=f"Commerce {n}", slug=f"commerce-{n}", category=category, street_address="1 rue",
             postcode="61200", city=town.name, status=ShopStatus.PUBLISHED)
        for n in range(2000)
    )  # fmt: skip
    users = User.objects.bulk_create(User(email=f"commercant{n}@example.fr") for n in range(2000))
    registrations: list[Registration] = []
    for days in (-30, -10, 5):
        session = TrainingSessionFactory.create(town=town, starts_at=AT + timedelta(days=days), capacity=2000)
        registrations += Registration.objects.bulk_create(
            Registration(town=town, session=session, user=user, shop=shop, rank=n + 1,
                         status=RegistrationStatus.CONFIRMED, attended=True if days < 0 else None)
            for n, (user, shop) in enumerate(zip(users, shops, strict=True))
        )  # fmt: skip
    FollowUpTask.objects.bulk_create(
        FollowUpTask(town=town, session_id=r.session_id, registration=r, shop_id=r.shop_id, title="Photos",
                     due_on=date(2026, 12, 1))
        for r in registrations[:4000]
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    training_by_shop(town_id=town.pk, at=AT)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with django_assert_max_num_queries(3):
            summaries = training_by_shop(town_id=town.pk, at=AT)
        best = min(best, time.perf_counter() - started)
    assert len(summaries) == 2000
    assert summaries[shops[0].pk] == TrainingSummary(2, date(2026, 11, 25), 1, 2, 2)
    assert best < 0.15  # about 25 ms here; the bound leaves room for a busy machine
