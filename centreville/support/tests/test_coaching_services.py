"""Coaching writes and reads under fixed clocks: pairing, milestones, booking (quiet slots, conflicts, French
errors), notes (only the expert or an adviser), the end review that closes an action, the stalled rule."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.support import coaching
from centreville.support.models.coaching import ActionKind, ActionStatus, MeetingStatus
from centreville.towns.tests.factories import TownFactory

from .factories_coaching import (
    CoachingActionFactory,
    CoachingMeetingFactory,
    CoachingMilestoneFactory,
    CoachingProgrammeFactory,
    expert_in,
    expert_of,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Monday 2 March 2026, 08:00 in Argentan; the shop opens Tuesday to Saturday, 09:00-12:30 and 14:00-19:00.
AT = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)
TUESDAY_9 = datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Programmes and pairs ---------------------------------------------------------------------------------


def test_a_programme_pairs_its_experts_with_shops_of_its_town() -> None:
    town = TownFactory.create()
    expert = expert_of(town)
    programme = coaching.programme_create(
        town=town, name="Connect un commerçant", starts_on=date(2026, 3, 2), ends_on=date(2026, 4, 27),
        experts=[expert], actor=None,
    )  # fmt: skip
    shop = ShopFactory.create(town=town)
    action = coaching.action_pair(
        programme=programme,
        expert=expert,
        shop=shop,
        kind=ActionKind.CATALOGUE,
        goal="20 produits",
        actor=None,
    )
    assert action.status == ActionStatus.PLANNED
    assert action.label == "Construire le catalogue de produits"
    with pytest.raises(ValidationError) as again:
        coaching.action_pair(programme=programme, expert=expert, shop=shop, kind=ActionKind.OTHER, actor=None)
    assert "intitulé" in _messages(again.value)
    with pytest.raises(ValidationError) as twice:
        coaching.action_pair(
            programme=programme, expert=expert, shop=shop, kind=ActionKind.SOCIAL_PAGE, actor=None
        )
    assert "déjà une action en cours" in _messages(twice.value)


def test_only_experts_of_the_town_join_and_only_the_programmes_experts_pair() -> None:
    town = TownFactory.create()
    stranger = UserFactory.create()
    with pytest.raises(ValidationError) as refused:
        coaching.programme_create(
            town=town, name="P", starts_on=date(2026, 3, 2), ends_on=date(2026, 4, 27), experts=[stranger],
            actor=None,
        )  # fmt: skip
    assert "n'a pas le rôle d'expert" in _messages(refused.value)
    programme = CoachingProgrammeFactory.create(town=town)
    with pytest.raises(ValidationError) as outside:
        coaching.action_pair(
            programme=programme, expert=expert_of(town), shop=ShopFactory.create(town=town),
            kind=ActionKind.CATALOGUE, actor=None,
        )  # fmt: skip
    assert "ne fait pas partie des experts" in _messages(outside.value)
    with pytest.raises(ValidationError) as dates:
        coaching.programme_create(
            town=town, name="P", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 1), actor=None
        )
    assert "doit suivre son début" in _messages(dates.value)


# --- Booking ----------------------------------------------------------------------------------------------


def test_a_merchant_books_a_quiet_slot_and_it_is_confirmed() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    slots = coaching.meeting_slots(action=action, at=AT)
    assert slots[0] == TUESDAY_9
    meeting = coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=merchant, at=AT)
    assert meeting.status == MeetingStatus.BOOKED
    assert meeting.confirmed_at == AT
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=15)
    # The action now has its next meeting: no slot is offered until it is held or cancelled.
    with pytest.raises(ValidationError) as again:
        coaching.meeting_book(
            action=action, starts_at=TUESDAY_9 + timedelta(minutes=15), actor=merchant, at=AT
        )
    assert "déjà prévu" in _messages(again.value)


def test_a_slot_outside_quiet_hours_is_refused_in_french() -> None:
    action = CoachingActionFactory.create()
    with pytest.raises(ValidationError) as refused:
        coaching.meeting_book(
            action=action, starts_at=datetime(2026, 3, 3, 11, 0, tzinfo=PARIS), actor=expert_in(action), at=AT
        )
    assert "n'est pas proposé" in _messages(refused.value)


def test_a_slot_the_expert_took_for_another_shop_meanwhile_is_refused() -> None:
    first = CoachingActionFactory.create()
    second = CoachingActionFactory.create(programme=first.programme, expert=first.expert)
    assert TUESDAY_9 in coaching.meeting_slots(action=second, at=AT)
    coaching.meeting_book(action=first, starts_at=TUESDAY_9, actor=expert_in(first), at=AT)
    with pytest.raises(ValidationError) as taken:
        coaching.meeting_book(action=second, starts_at=TUESDAY_9, actor=expert_in(second), at=AT)
    assert "vient d'être pris" in _messages(taken.value)
    assert TUESDAY_9 not in coaching.meeting_slots(action=second, at=AT)


def test_a_slot_the_shop_took_with_another_expert_is_refused() -> None:
    first = CoachingActionFactory.create()
    other_programme = CoachingProgrammeFactory.create(town=first.town)
    second = CoachingActionFactory.create(programme=other_programme, shop=first.shop)
    coaching.meeting_book(action=first, starts_at=TUESDAY_9, actor=expert_in(first), at=AT)
    with pytest.raises(ValidationError) as taken:
        coaching.meeting_book(action=second, starts_at=TUESDAY_9, actor=expert_in(second), at=AT)
    assert "vient d'être pris" in _messages(taken.value)


def test_a_cancelled_meeting_frees_its_slot_and_the_merchant_confirms_the_experts_booking() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    meeting = coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=expert_in(action), at=AT)
    assert meeting.confirmed_at is None
    coaching.meeting_confirm(meeting=meeting, actor=merchant, at=AT)
    meeting.refresh_from_db()
    assert meeting.confirmed_at == AT
    coaching.meeting_cancel(meeting=meeting, actor=merchant)
    again = coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=merchant, at=AT)
    assert again.pk != meeting.pk
    with pytest.raises(PermissionDenied):
        coaching.meeting_confirm(meeting=again, actor=expert_in(action), at=AT)


def test_nobody_else_books() -> None:
    action = CoachingActionFactory.create()
    with pytest.raises(PermissionDenied):
        coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=expert_of(action.town), at=AT)


# --- Notes, holding, end review ---------------------------------------------------------------------------


def test_the_note_is_written_after_the_meeting_by_the_expert_or_an_adviser_only() -> None:
    action = CoachingActionFactory.create(status=ActionStatus.PLANNED, started_on=None)
    meeting = CoachingMeetingFactory.create(action=action, starts_at=TUESDAY_9)
    before, after = TUESDAY_9 - timedelta(hours=1), TUESDAY_9 + timedelta(minutes=20)
    with pytest.raises(ValidationError) as early:
        coaching.meeting_note(meeting=meeting, note="Vu le site", actor=expert_in(action), at=before)
    assert "pas encore eu lieu" in _messages(early.value)
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    for outsider in (merchant, expert_of(action.town)):
        with pytest.raises(PermissionDenied):
            coaching.meeting_note(meeting=meeting, note="Vu le site", actor=outsider, at=after)
    with pytest.raises(ValidationError) as long:
        coaching.meeting_note(meeting=meeting, note="x" * 501, actor=expert_in(action), at=after)
    assert "500 caractères au plus" in _messages(long.value)
    coaching.meeting_note(
        meeting=meeting,
        note="Compte de paiement ouvert.",
        next_step="Tester un achat",
        actor=expert_in(action),
        at=after,
    )
    meeting.refresh_from_db()
    action.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.note_by == action.expert
    assert action.status == ActionStatus.RUNNING
    assert action.started_on == date(2026, 3, 3)
    adviser = TownRoleFactory.create(town=action.town, role=Role.ADVISER).user
    coaching.meeting_note(meeting=meeting, note="Complété par le conseiller.", actor=adviser, at=after)


def test_a_missed_meeting_takes_no_note() -> None:
    meeting = CoachingMeetingFactory.create(starts_at=TUESDAY_9)
    after = TUESDAY_9 + timedelta(hours=1)
    coaching.meeting_miss(meeting=meeting, actor=expert_in(meeting.action), at=after)
    with pytest.raises(ValidationError) as refused:
        coaching.meeting_note(meeting=meeting, note="?", actor=expert_in(meeting.action), at=after)
    assert "manqué" in _messages(refused.value)


def test_the_end_review_closes_the_action_and_cancels_what_was_booked() -> None:
    action = CoachingActionFactory.create()
    booked = coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=expert_in(action), at=AT)
    review = coaching.end_review_write(
        action=action,
        outcome="achieved",
        what_changed="Paiement en ligne actif.",
        actor=expert_in(action),
        at=AT,
    )
    action.refresh_from_db()
    booked.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.ended_on == date(2026, 3, 2)
    assert booked.status == MeetingStatus.CANCELLED
    assert review.outcome == "achieved"
    with pytest.raises(ValidationError) as closed:
        coaching.milestone_add(
            action=action, title="Encore", due_on=date(2026, 3, 9), actor=expert_in(action)
        )
    assert "terminée" in _messages(closed.value)
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    coaching.end_review_merchant(action=action, rating=5, comment="Très utile", actor=merchant, at=AT)
    review.refresh_from_db()
    assert (review.merchant_rating, review.outcome) == (5, "achieved")
    with pytest.raises(ValidationError) as rating:
        coaching.end_review_merchant(action=action, rating=6, comment="", actor=merchant, at=AT)
    assert "de 1 à 5" in _messages(rating.value)


def test_a_planned_action_is_not_reviewed() -> None:
    action = CoachingActionFactory.create(status=ActionStatus.PLANNED, started_on=None)
    with pytest.raises(ValidationError) as refused:
        coaching.end_review_write(
            action=action, outcome="not", what_changed="Rien", actor=expert_in(action), at=AT
        )
    assert "n'a pas commencé" in _messages(refused.value)


def test_the_merchants_preference_moves_the_slots() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    action = coaching.action_set_preference(
        action=action, weekday=3, start=time(10), end=time(10, 30), actor=merchant
    )
    slots = coaching.meeting_slots(action=action, at=AT)
    assert [slot.strftime("%a %H:%M") for slot in slots] == [
        "Thu 10:00",
        "Thu 10:15",
        "Thu 10:00",
        "Thu 10:15",
    ]
    with pytest.raises(ValidationError) as order:
        coaching.action_set_preference(action=action, weekday=3, start=time(11), end=time(10), actor=merchant)
    assert "doit suivre" in _messages(order.value)


# --- Stalled ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "held", "done", "due", "stalled"),
    [
        (date(2026, 3, 2), None, None, None, False),  # started today
        (date(2026, 2, 16), None, None, None, False),  # 14 days ago: not yet
        (date(2026, 2, 15), None, None, None, True),  # 15 days without anything
        (date(2026, 1, 5), date(2026, 2, 20), None, None, False),  # a meeting held 10 days ago
        (date(2026, 1, 5), None, date(2026, 2, 25), None, False),  # a milestone done 5 days ago
        (date(2026, 1, 5), date(2026, 2, 1), date(2026, 2, 2), None, True),
        (date(2026, 3, 1), None, None, date(2026, 2, 23), False),  # due 7 days ago: tolerated
        (date(2026, 3, 1), None, None, date(2026, 2, 22), True),  # due 8 days ago: overdue
    ],
)
def test_the_stalled_rule(
    started: date, held: date | None, done: date | None, due: date | None, stalled: bool
) -> None:
    today = date(2026, 3, 2)
    assert (
        coaching.is_stalled(
            status=ActionStatus.RUNNING, started_on=started, last_held_on=held, last_done_on=done,
            first_open_due_on=due, today=today,
        )
        is stalled
    )  # fmt: skip
    for status in (ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.ABANDONED):
        assert not coaching.is_stalled(
            status=status, started_on=started, last_held_on=held, last_done_on=done, first_open_due_on=due,
            today=today,
        )  # fmt: skip


def test_stalled_read_from_the_database() -> None:
    today_at = datetime(2026, 3, 30, 12, 0, tzinfo=PARIS)
    quiet = CoachingActionFactory.create(started_on=date(2026, 3, 2))
    busy = CoachingActionFactory.create(started_on=date(2026, 3, 2))
    CoachingMeetingFactory.create(
        action=busy, starts_at=datetime(2026, 3, 20, 9, 0, tzinfo=PARIS), status=MeetingStatus.HELD
    )
    late = CoachingActionFactory.create(started_on=date(2026, 3, 25))
    CoachingMilestoneFactory.create(action=late, due_on=date(2026, 3, 20))
    CoachingMilestoneFactory.create(action=busy, due_on=date(2026, 3, 1), done_on=date(2026, 3, 3))
    summaries = {
        action.pk: coaching.coaching_by_shop(town_id=action.town_id, at=today_at)[action.shop_id]
        for action in (quiet, busy, late)
    }
    assert summaries[quiet.pk].stalled
    assert summaries[quiet.pk].last_activity_on == date(2026, 3, 2)
    assert not summaries[busy.pk].stalled
    assert summaries[busy.pk].last_activity_on == date(2026, 3, 20)
    assert summaries[late.pk].stalled
    assert summaries[late.pk].last_activity_on == date(2026, 3, 25)


def test_an_expert_who_erases_their_account_leaves_the_history_unsigned() -> None:
    from centreville.accounts.services import user_erase

    action = CoachingActionFactory.create()
    CoachingMeetingFactory.create(action=action, status=MeetingStatus.HELD, note="Vu.", note_by=action.expert)
    user_erase(user=expert_in(action))
    action.refresh_from_db()
    assert action.expert is None
    assert action.expert_name == "expert parti"
    assert coaching.coaching_by_shop(town_id=action.town_id, at=AT)[action.shop_id].expert == "expert parti"
    assert TUESDAY_9 in coaching.meeting_slots(action=action, at=AT)


def test_the_merchant_is_told_by_email_when_their_expert_proposes_a_meeting(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any], settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://centreville.example"
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop, user__email="Boulangere@Example.fr").user
    with django_capture_on_commit_callbacks(execute=True):
        meeting = coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=expert_in(action), at=AT)
    assert [message.to for message in mailoutbox] == [["boulangere@example.fr"]]
    body = mailoutbox[0].body
    assert "mardi 3 mars, 09:00" in mailoutbox[0].subject
    assert (
        f"https://centreville.example/{action.town.slug}/espace-commercant/accompagnement/coaching/{action.pk}/"
        in body
    )
    assert coaching.coaching_meeting_announce(meeting_id=meeting.pk) == 0  # sent once
    coaching.meeting_cancel(meeting=meeting, actor=merchant)
    with django_capture_on_commit_callbacks(execute=True):
        coaching.meeting_book(action=action, starts_at=TUESDAY_9, actor=merchant, at=AT)
    assert len(mailoutbox) == 1  # the merchant who picks a slot needs no message
