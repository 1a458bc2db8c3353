"""Coaching programmes: writes, reads, and the summary the town's follow-up page relies on.

A programme pairs experts with shops, each pair on one concrete action (`CoachingAction`) with its
milestones, its 15-minute meetings booked in the merchant's quiet hours (`quiet_hours.py`), the short note
the expert writes after each meeting, and an end review that closes it.

**Who may write what.** The action's expert, or someone who follows merchants up (`support.follow_up`:
digital advisers, the town manager, platform administrators), runs the action: milestones, meetings,
notes, end review. An expert reaches only the actions they are paired on (`actions_for_coach`). The
merchant (a member of the shop) books, confirms or cancels a meeting, states their quiet moment and gives
their part of the end review.

**Stalled.** A running action is stalled, at a day `today`, when
- none of its meetings was held and none of its milestones was done in the last 14 days (`STALL_DAYS`):
  its last activity (the latest of the day it started, its last held meeting, its last milestone done) is
  more than 14 days before `today`; or
- one of its milestones not done yet was due more than 7 days before `today` (`OVERDUE_DAYS`).
Planned, finished and abandoned actions are never stalled.

**Action steps.** planned → running (its first meeting held, or started by hand) → done (the end review)
or abandoned (from planned or running). Meetings: booked → held, missed or cancelled.

**Locks.** Booking a meeting locks the open actions of the expert and of the shop (the action itself among
them) in primary-key order, then reads their meetings: two bookings that could clash take turns, and the
second is refused in French when its slot was taken meanwhile. Every other write locks its action's row.
Every function takes the moment it speaks about (`at` or `today`); nothing here reads the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, DateTimeField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from centreville.accounts.models import Role, TownRole, User
from centreville.core.channels import Channel
from centreville.core.links import absolute_url
from centreville.notifications.messages import Message
from centreville.notifications.models import Audience
from centreville.notifications.services import notifications_queue
from centreville.shops.models import Shop, ShopClosure, ShopMembership
from centreville.towns.models import Town

from . import quiet_hours
from .models.coaching import (
    MEETING_DURATION,
    NEXT_STEP_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    CoachingAction,
    CoachingEndReview,
    CoachingMeeting,
    CoachingMilestone,
    CoachingProgramme,
    MeetingStatus,
    ProgrammeStatus,
    ReviewOutcome,
)

logger = logging.getLogger(__name__)

STALL_DAYS = 14
OVERDUE_DAYS = 7
BUSY_STATUSES = (MeetingStatus.BOOKED, MeetingStatus.HELD)

ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.PLANNED: (ActionStatus.RUNNING, ActionStatus.ABANDONED),
    ActionStatus.RUNNING: (ActionStatus.DONE, ActionStatus.ABANDONED),
    ActionStatus.DONE: (),
    ActionStatus.ABANDONED: (),
}
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingStatus.BOOKED: (MeetingStatus.HELD, MeetingStatus.MISSED, MeetingStatus.CANCELLED),
    MeetingStatus.HELD: (),
    MeetingStatus.MISSED: (),
    MeetingStatus.CANCELLED: (),
}


def town_tz(town: Town) -> ZoneInfo:
    return ZoneInfo(town.timezone)


def local_day(at: datetime, town: Town) -> date:
    return at.astimezone(town_tz(town)).date()


def moment_in_words(moment: datetime, town: Town) -> str:
    """« mardi 8 décembre, 09:00 » on the town's clock, in the active language."""
    return formats.date_format(moment.astimezone(town_tz(town)), "l j F, H:i")


# --- Who may do what ------------------------------------------------------------------------------------


def follows_up(user: Any, town: Town) -> bool:
    """Whether the person follows every merchant of the town up (and so every coaching action)."""
    return bool(user.has_perm("support.follow_up", town))


def may_coach(user: Any, action: CoachingAction) -> bool:
    """The action's expert, or someone who follows merchants up."""
    return action.expert_id == user.pk or follows_up(user, action.town)


def runs_shop(user: Any, shop_id: int) -> bool:
    return ShopMembership.objects.filter(user_id=user.pk, shop_id=shop_id).exists()


def _require_coach(user: Any, action: CoachingAction) -> None:
    if not may_coach(user, action):
        raise PermissionDenied(_("Seuls l'expert de cette action et les conseillers peuvent faire cela."))


def _require_merchant_or_coach(user: Any, action: CoachingAction) -> None:
    if not (runs_shop(user, action.shop_id) or may_coach(user, action)):
        raise PermissionDenied(_("Seuls le commerçant, son expert et les conseillers peuvent faire cela."))


def _lock_action(action: CoachingAction) -> CoachingAction:
    return (
        CoachingAction.objects.select_for_update()
        .select_related("town", "shop", "programme")
        .get(pk=action.pk)
    )


def _require_open(action: CoachingAction) -> None:
    if not action.is_open:
        raise ValidationError(
            _("Cette action est %(status)s : elle ne change plus.")
            % {"status": ActionStatus(action.status).label.lower()},
            code="closed",
        )


def _move_action(action: CoachingAction, to: str, *, today: date) -> None:
    if to not in ACTION_TRANSITIONS[action.status]:
        raise ValidationError(
            _("Une action %(from)s ne peut pas passer à « %(to)s ».")
            % {"from": ActionStatus(action.status).label.lower(), "to": ActionStatus(to).label},
            code="transition",
        )
    action.status = to
    if to == ActionStatus.RUNNING and action.started_on is None:
        action.started_on = today
    if to in (ActionStatus.DONE, ActionStatus.ABANDONED):
        action.ended_on = today
    action.save(update_fields=["status", "started_on", "ended_on", "updated_at"])


# --- Programmes and pairings -------------------------------------------------------------------------------


def town_experts(town: Town) -> QuerySet[User]:
    """The people holding the expert role in the town, by name."""
    ids = TownRole.objects.filter(town=town, role=Role.EXPERT).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "email")


@transaction.atomic
def programme_create(
    *,
    town: Town,
    name: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    experts: Iterable[User] = (),
    actor: User | None,
) -> CoachingProgramme:
    """A new running programme of the town, with its experts (each an expert of the town)."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("La fin du programme doit suivre son début.")}, code="dates")
    programme = CoachingProgramme(
        town=town,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        status=ProgrammeStatus.RUNNING,
        created_by=actor,
    )
    programme.full_clean()
    programme.save()
    experts = list(experts)
    if experts:
        programme_add_experts(programme=programme, experts=experts)
    return programme


@transaction.atomic
def programme_add_experts(*, programme: CoachingProgramme, experts: Iterable[User]) -> None:
    """Add experts of the programme's town to it (those already in stay)."""
    experts = list(experts)
    allowed = set(
        town_experts(programme.town).filter(pk__in=[e.pk for e in experts]).values_list("pk", flat=True)
    )
    refused = [str(expert) for expert in experts if expert.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "experts": _("%(names)s n'a pas le rôle d'expert dans la ville.")
                % {"names": ", ".join(refused)}
            },
            code="not_expert",
        )
    programme.experts.add(*experts)


@transaction.atomic
def action_pair(
    *,
    programme: CoachingProgramme,
    expert: User,
    shop: Shop,
    kind: str,
    title: str = "",
    goal: str = "",
    actor: User | None,
) -> CoachingAction:
    """Pair an expert of the programme with a shop of its town on one action, planned."""
    if shop.town_id != programme.town_id:
        raise ValidationError({"shop": _("Ce commerce n'est pas dans la ville du programme.")}, code="town")
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("Ce programme est terminé : il ne reçoit plus de binôme."), code="closed")
    if not programme.experts.filter(pk=expert.pk).exists():
        raise ValidationError(
            {"expert": _("%(name)s ne fait pas partie des experts de ce programme.") % {"name": expert}},
            code="expert",
        )
    if kind == ActionKind.OTHER and not title.strip():
        raise ValidationError({"title": _("Donnez un intitulé à cette action.")}, code="title")
    if CoachingAction.objects.filter(
        programme=programme, shop=shop, status__in=OPEN_ACTION_STATUSES
    ).exists():
        raise ValidationError(
            {"shop": _("%(shop)s a déjà une action en cours dans ce programme.") % {"shop": shop.name}},
            code="already",
        )
    action = CoachingAction(
        town_id=programme.town_id,
        programme=programme,
        expert=expert,
        shop=shop,
        kind=kind,
        title=title.strip() if kind == ActionKind.OTHER else "",
        goal=goal.strip(),
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_start(*, action: CoachingAction, actor: User, today: date) -> CoachingAction:
    action = _lock_action(action)
    _require_coach(actor, action)
    _move_action(action, ActionStatus.RUNNING, today=today)
    return action


@transaction.atomic
def action_abandon(*, action: CoachingAction, actor: User, at: datetime) -> CoachingAction:
    """Stop an action that will not go further; its booked meetings are cancelled."""
    action = _lock_action(action)
    _require_coach(actor, action)
    _move_action(action, ActionStatus.ABANDONED, today=local_day(at, action.town))
    action.meetings.filter(status=MeetingStatus.BOOKED).update(status=MeetingStatus.CANCELLED)
    return action


@transaction.atomic
def action_set_preference(
    *, action: CoachingAction, weekday: int | None, start: time | None, end: time | None, actor: User
) -> CoachingAction:
    """The merchant's quiet moment for meetings (all three given), or none (all three empty)."""
    action = _lock_action(action)
    _require_merchant_or_coach(actor, action)
    values = (weekday, start, end)
    if any(value is not None for value in values):
        if weekday is None or start is None or end is None:
            raise ValidationError(
                _("Indiquez le jour, l'heure de début et l'heure de fin."), code="incomplete"
            )
        if end <= start:
            raise ValidationError({"end": _("L'heure de fin doit suivre l'heure de début.")}, code="order")
        if datetime.combine(date.min, end) - datetime.combine(date.min, start) < quiet_hours.SLOT:
            raise ValidationError({"end": _("Prévoyez au moins un quart d'heure.")}, code="short")
    action.preferred_weekday, action.preferred_start, action.preferred_end = values
    action.save(update_fields=["preferred_weekday", "preferred_start", "preferred_end", "updated_at"])
    return action


# --- Milestones -----------------------------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, action: CoachingAction, title: str, due_on: date, actor: User) -> CoachingMilestone:
    action = _lock_action(action)
    _require_coach(actor, action)
    _require_open(action)
    if not title.strip():
        raise ValidationError({"title": _("Nommez cette étape.")}, code="title")
    last = action.milestones.aggregate(last=Max("order"))["last"]
    milestone = CoachingMilestone(
        action=action, title=title.strip(), due_on=due_on, order=0 if last is None else last + 1
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: CoachingMilestone, actor: User, today: date) -> CoachingMilestone:
    """Mark a milestone done today (a running action's); a planned action starts with it."""
    action = _lock_action(milestone.action)
    _require_coach(actor, action)
    _require_open(action)
    milestone = CoachingMilestone.objects.get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise ValidationError(_("Cette étape est déjà faite."), code="done")
    milestone.done_on = today
    milestone.save(update_fields=["done_on", "updated_at"])
    if action.status == ActionStatus.PLANNED:
        _move_action(action, ActionStatus.RUNNING, today=today)
    return milestone


# --- Meetings -------------------------------------------------------------------------------------------


def _closures(shop_id: int, first: date) -> list[tuple[date, date]]:
    return list(
        ShopClosure.objects.filter(shop_id=shop_id, end_date__gte=first).values_list("start_date", "end_date")
    )


def _busy(action: CoachingAction, *, since: datetime) -> list[tuple[datetime, datetime]]:
    """The booked or held meetings of the action's expert and of its shop from `since`."""
    same_people = Q(action__shop_id=action.shop_id)
    if action.expert_id is not None:
        same_people |= Q(action__expert_id=action.expert_id)
    starts = CoachingMeeting.objects.filter(
        same_people,
        status__in=BUSY_STATUSES,
        starts_at__gte=since - MEETING_DURATION,
    ).values_list("starts_at", flat=True)
    return [(start, start + MEETING_DURATION) for start in starts]


def preference_of(action: CoachingAction) -> quiet_hours.Preference | None:
    if action.preferred_weekday is None or action.preferred_start is None or action.preferred_end is None:
        return None
    return quiet_hours.Preference(action.preferred_weekday, action.preferred_start, action.preferred_end)


def meeting_slots(*, action: CoachingAction, at: datetime, busy: bool = True) -> list[datetime]:
    """The 15-minute slots offered at `at` for the action's next meeting, in the town's time zone
    (`quiet_hours`): the shop's quiet hours over the next 14 days, clear of the expert's and the shop's
    meetings (all of them when `busy` is False, which says which slots are quiet at all)."""
    town, shop = action.town, action.shop
    return quiet_hours.quiet_slots(
        opening_hours=shop.opening_hours,
        tz_name=town.timezone,
        at=at,
        busy=_busy(action, since=at) if busy else (),
        closures=_closures(shop.pk, local_day(at, town)),
        preference=preference_of(action),
    )


def upcoming_meeting(action: CoachingAction) -> CoachingMeeting | None:
    return action.meetings.filter(status=MeetingStatus.BOOKED).order_by("starts_at").first()


@transaction.atomic
def meeting_book(
    *, action: CoachingAction, starts_at: datetime, actor: User, at: datetime
) -> CoachingMeeting:
    """Book the action's next meeting on one of the slots offered at `at`; refused, in French, when the
    slot is not a quiet one, or when someone took it meanwhile (see the lock order above)."""
    locked_ids = list(
        CoachingAction.objects.filter(
            Q(pk=action.pk)
            | Q(expert_id=action.expert_id or 0, status__in=OPEN_ACTION_STATUSES)
            | Q(shop_id=action.shop_id, status__in=OPEN_ACTION_STATUSES)
        )
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    assert action.pk in locked_ids
    action = CoachingAction.objects.select_related("town", "shop").get(pk=action.pk)
    _require_merchant_or_coach(actor, action)
    _require_open(action)
    booked = upcoming_meeting(action)
    if booked is not None:
        raise ValidationError(
            _("Un rendez-vous est déjà prévu %(when)s : annulez-le avant d'en réserver un autre.")
            % {"when": moment_in_words(booked.starts_at, action.town)},
            code="already_booked",
        )
    if starts_at not in meeting_slots(action=action, at=at, busy=False):
        raise ValidationError(
            _(
                "Ce créneau n'est pas proposé : choisissez un quart d'heure calme du commerce "
                "dans les 14 jours."
            ),
            code="not_quiet",
        )
    if starts_at not in meeting_slots(action=action, at=at):
        raise ValidationError(
            _("Ce créneau vient d'être pris par un autre rendez-vous : choisissez-en un autre."), code="taken"
        )
    meeting = CoachingMeeting(
        action=action,
        starts_at=starts_at,
        booked_by=actor,
        # The merchant who picks a slot has confirmed it.
        confirmed_at=at if runs_shop(actor, action.shop_id) else None,
    )
    meeting.full_clean()
    meeting.save()
    if meeting.confirmed_at is None:  # the expert (or an adviser) proposed it: the merchant is told
        transaction.on_commit(lambda: _announce_later(meeting.pk))
    return meeting


def _announce_later(meeting_id: int) -> None:
    from .tasks import announce_coaching_meeting

    try:
        announce_coaching_meeting.enqueue(meeting_id)
    except Exception:  # the meeting is booked and shown on the merchant's page whatever happens here
        logger.exception("Could not queue the announcement of coaching meeting %s", meeting_id)


def coaching_meeting_announce(*, meeting_id: int) -> int:
    """Tell the shop's people, by e-mail, that their expert proposed a meeting (run by the worker: the link
    is absolute); sent once per meeting and address. Returns how many messages were queued."""
    meeting = (
        CoachingMeeting.objects.filter(pk=meeting_id, status=MeetingStatus.BOOKED, confirmed_at__isnull=True)
        .select_related("action__shop", "action__town", "action__expert")
        .first()
    )
    if meeting is None:
        return 0
    action = meeting.action
    addresses = sorted(
        {
            email.lower()
            for email in ShopMembership.objects.filter(shop_id=action.shop_id, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        }
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "action": action,
            "when": moment_in_words(meeting.starts_at, action.town),
            "link": absolute_url(
                reverse("support_merchant:coaching_action", args=[action.town.slug, action.pk])
            ),
        }
        subject = _("Rendez-vous d'accompagnement proposé : %(when)s") % {"when": context["when"]}
        body = render_to_string("support/coaching/meeting_proposed_email.txt", context)
    messages = [
        Message(
            key=f"coaching-meeting:{meeting.pk}:proposed:email:{address}",
            kind="coaching_meeting",
            audience=Audience.MERCHANT,
            channel=Channel.EMAIL,
            recipient=address,
            subject=subject,
            body=body,
            order_id=None,
        )
        for address in addresses
    ]
    return notifications_queue(messages=messages) if messages else 0


def _lock_meeting(meeting: CoachingMeeting) -> tuple[CoachingAction, CoachingMeeting]:
    action = _lock_action(meeting.action)
    return action, CoachingMeeting.objects.get(pk=meeting.pk)


def _move_meeting(meeting: CoachingMeeting, to: str) -> None:
    if to not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(
            _("Ce rendez-vous est déjà %(status)s.")
            % {"status": MeetingStatus(meeting.status).label.lower()},
            code="transition",
        )
    meeting.status = to
    meeting.save(update_fields=["status", "updated_at"])


@transaction.atomic
def meeting_confirm(*, meeting: CoachingMeeting, actor: User, at: datetime) -> CoachingMeeting:
    """The merchant says the booked slot suits them."""
    action, meeting = _lock_meeting(meeting)
    if not runs_shop(actor, action.shop_id):
        raise PermissionDenied(_("Seul le commerçant confirme un rendez-vous."))
    if meeting.status != MeetingStatus.BOOKED:
        raise ValidationError(_("Ce rendez-vous n'est plus à confirmer."), code="status")
    meeting.confirmed_at = at
    meeting.save(update_fields=["confirmed_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: CoachingMeeting, actor: User) -> CoachingMeeting:
    action, meeting = _lock_meeting(meeting)
    _require_merchant_or_coach(actor, action)
    _move_meeting(meeting, MeetingStatus.CANCELLED)
    return meeting


def _require_started(meeting: CoachingMeeting, at: datetime) -> None:
    if meeting.starts_at > at:
        raise ValidationError(_("Ce rendez-vous n'a pas encore eu lieu."), code="future")


@transaction.atomic
def meeting_hold(*, meeting: CoachingMeeting, actor: User, at: datetime) -> CoachingMeeting:
    """The meeting took place; a planned action starts with its first one."""
    action, meeting = _lock_meeting(meeting)
    _require_coach(actor, action)
    _require_started(meeting, at)
    _move_meeting(meeting, MeetingStatus.HELD)
    if action.status == ActionStatus.PLANNED:
        _move_action(action, ActionStatus.RUNNING, today=local_day(meeting.starts_at, action.town))
    return meeting


@transaction.atomic
def meeting_miss(*, meeting: CoachingMeeting, actor: User, at: datetime) -> CoachingMeeting:
    action, meeting = _lock_meeting(meeting)
    _require_coach(actor, action)
    _require_started(meeting, at)
    _move_meeting(meeting, MeetingStatus.MISSED)
    return meeting


@transaction.atomic
def meeting_note(
    *, meeting: CoachingMeeting, note: str, next_step: str = "", actor: User, at: datetime
) -> CoachingMeeting:
    """The short note after a meeting, shared with the merchant (only the expert or an adviser writes it).
    A booked meeting whose time has come is held once its note is written."""
    action, meeting = _lock_meeting(meeting)
    _require_coach(actor, action)
    note, next_step = note.strip(), next_step.strip()
    if not note:
        raise ValidationError({"note": _("Écrivez ce qui s'est dit, en quelques lignes.")}, code="empty")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("La note tient en %(max)s caractères au plus (elle en a %(count)s).")
             % {"max": NOTE_MAX_LENGTH, "count": len(note)}},
            code="long",
        )  # fmt: skip
    if len(next_step) > NEXT_STEP_MAX_LENGTH:
        raise ValidationError(
            {
                "next_step": _("La prochaine étape tient en %(max)s caractères au plus.")
                % {"max": NEXT_STEP_MAX_LENGTH}
            },
            code="long",
        )
    if meeting.status == MeetingStatus.BOOKED:
        _require_started(meeting, at)
        _move_meeting(meeting, MeetingStatus.HELD)
        if action.status == ActionStatus.PLANNED:
            _move_action(action, ActionStatus.RUNNING, today=local_day(meeting.starts_at, action.town))
    elif meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _("Une note s'écrit après un rendez-vous tenu ; celui-ci est %(status)s.")
            % {"status": MeetingStatus(meeting.status).label.lower()},
            code="status",
        )
    meeting.note, meeting.next_step, meeting.note_by, meeting.note_at = note, next_step, actor, at
    meeting.save(update_fields=["status", "note", "next_step", "note_by", "note_at", "updated_at"])
    return meeting


# --- End review -----------------------------------------------------------------------------------------


@transaction.atomic
def end_review_write(
    *, action: CoachingAction, outcome: str, what_changed: str, actor: User, at: datetime
) -> CoachingEndReview:
    """The expert's (or an adviser's) end review: it closes the running action as done and cancels its
    booked meetings."""
    action = _lock_action(action)
    _require_coach(actor, action)
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choisissez le résultat de l'action.")}, code="outcome")
    if not what_changed.strip():
        raise ValidationError({"what_changed": _("Dites ce qui a changé pour le commerce.")}, code="empty")
    if action.status == ActionStatus.PLANNED:
        raise ValidationError(
            _("Cette action n'a pas commencé : tenez un premier rendez-vous, ou abandonnez-la."),
            code="planned",
        )
    _require_open(action)
    review, _created = CoachingEndReview.objects.get_or_create(action=action)
    review.outcome, review.what_changed, review.written_by = outcome, what_changed.strip(), actor
    review.full_clean()
    review.save()
    _move_action(action, ActionStatus.DONE, today=local_day(at, action.town))
    action.meetings.filter(status=MeetingStatus.BOOKED).update(status=MeetingStatus.CANCELLED)
    return review


@transaction.atomic
def end_review_merchant(
    *, action: CoachingAction, rating: int, comment: str, actor: User, at: datetime
) -> CoachingEndReview:
    """The merchant's part of the end review: a rating from 1 to 5 and a comment (given once the action
    has started; they may change it)."""
    action = _lock_action(action)
    if not runs_shop(actor, action.shop_id):
        raise PermissionDenied(_("Seul le commerçant donne son avis sur l'accompagnement."))
    if action.status == ActionStatus.PLANNED:
        raise ValidationError(
            _("Votre avis sera demandé quand l'accompagnement aura commencé."), code="planned"
        )
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Donnez une note de 1 à 5.")}, code="rating")
    review, _created = CoachingEndReview.objects.get_or_create(action=action)
    review.merchant_rating, review.merchant_comment, review.merchant_answered_at = rating, comment.strip(), at
    review.full_clean()
    review.save()
    return review


# --- Reads: progress and stalled ------------------------------------------------------------------------


def is_stalled(
    *,
    status: str,
    started_on: date | None,
    last_held_on: date | None,
    last_done_on: date | None,
    first_open_due_on: date | None,
    today: date,
) -> bool:
    """The stalled rule of the module's docstring."""
    if status != ActionStatus.RUNNING:
        return False
    if first_open_due_on is not None and first_open_due_on < today - timedelta(days=OVERDUE_DAYS):
        return True
    last = max((day for day in (started_on, last_held_on, last_done_on) if day is not None), default=None)
    return last is None or last < today - timedelta(days=STALL_DAYS)


def last_activity(started_on: date | None, *later: date | None) -> date | None:
    """An action's last activity: the latest of the day it started, its last held meeting, its last
    milestone done and the day it ended (those it has)."""
    return max((day for day in (started_on, *later) if day is not None), default=None)


def _with_progress(actions: QuerySet[CoachingAction]) -> QuerySet[CoachingAction]:
    """Actions with their last held meeting, last milestone done and first open milestone's due day, read
    in the same query (subqueries, no row multiplied)."""
    held = CoachingMeeting.objects.filter(action=OuterRef("pk"), status=MeetingStatus.HELD)
    milestones = CoachingMilestone.objects.filter(action=OuterRef("pk"))
    return actions.annotate(
        last_held_at=Subquery(
            held.order_by("-starts_at").values("starts_at")[:1], output_field=DateTimeField()
        ),
        last_done_on=Subquery(
            milestones.filter(done_on__isnull=False).order_by("-done_on").values("done_on")[:1],
            output_field=DateField(),
        ),
        first_open_due_on=Subquery(
            milestones.filter(done_on__isnull=True).order_by("due_on").values("due_on")[:1],
            output_field=DateField(),
        ),
    )


@dataclass(frozen=True)
class Progress:
    last_activity_on: date | None  # the latest of its start, last held meeting, last milestone done, end
    stalled: bool
    overdue: bool


def progress_of(action: CoachingAction, *, today: date, tz: ZoneInfo) -> Progress:
    """An action read through `_with_progress`: its last activity and whether it is stalled."""
    held_at: datetime | None = getattr(action, "last_held_at", None)
    held_on = held_at.astimezone(tz).date() if held_at else None
    done_on: date | None = getattr(action, "last_done_on", None)
    due_on: date | None = getattr(action, "first_open_due_on", None)
    last = last_activity(action.started_on, held_on, done_on, action.ended_on)
    stalled = is_stalled(
        status=action.status,
        started_on=action.started_on,
        last_held_on=held_on,
        last_done_on=done_on,
        first_open_due_on=due_on,
        today=today,
    )
    overdue = (
        action.status == ActionStatus.RUNNING
        and due_on is not None
        and due_on < today - timedelta(days=OVERDUE_DAYS)
    )
    return Progress(last_activity_on=last, stalled=stalled, overdue=overdue)


def actions_for_coach(user: Any, town: Town) -> QuerySet[CoachingAction]:
    """The town's actions the person may see as a coach: all of them for those who follow merchants up,
    else only the ones they are the expert of."""
    actions = CoachingAction.objects.for_town(town)
    return actions if follows_up(user, town) else actions.filter(expert_id=user.pk)


def programmes_for_coach(user: Any, town: Town) -> list[dict[str, Any]]:
    """The town's programmes (an expert's: those they take part in), each with its counts."""
    programmes = CoachingProgramme.objects.for_town(town)
    if not follows_up(user, town):
        programmes = programmes.filter(Q(experts=user) | Q(actions__expert=user)).distinct()
    today_actions = actions_for_coach(user, town).values_list("programme_id", "status")
    counts: dict[int, dict[str, int]] = {}
    for programme_id, status in today_actions:
        counts.setdefault(programme_id, {}).setdefault(status, 0)
        counts[programme_id][status] += 1
    return [
        {
            "programme": programme,
            "counts": counts.get(programme.pk, {}),
            "total": sum(counts.get(programme.pk, {}).values()),
        }
        for programme in programmes.prefetch_related("experts")
    ]


@dataclass(frozen=True)
class PairRow:
    action: CoachingAction
    progress: Progress
    next_meeting: CoachingMeeting | None


def programme_pairs(*, programme: CoachingProgramme, user: Any, at: datetime) -> list[PairRow]:
    """The programme's pairs the person may see, with their progress and next meeting (three queries)."""
    town = programme.town
    today, tz = local_day(at, town), town_tz(town)
    actions = list(
        _with_progress(actions_for_coach(user, town).filter(programme=programme))
        .select_related("shop", "expert", "end_review")
        .order_by("shop__name", "pk")
    )
    upcoming: dict[int, CoachingMeeting] = {}
    for meeting in CoachingMeeting.objects.filter(
        action__in=[a.pk for a in actions], status=MeetingStatus.BOOKED
    ).order_by("-starts_at"):
        upcoming[meeting.action_id] = meeting
    return [
        PairRow(action, progress_of(action, today=today, tz=tz), upcoming.get(action.pk))
        for action in actions
    ]


@dataclass
class ActionPage:
    """Everything shown about one action, to its coach or its merchant."""

    action: CoachingAction
    progress: Progress
    milestones: list[CoachingMilestone]
    meetings: list[CoachingMeeting]
    upcoming: CoachingMeeting | None
    notes: list[CoachingMeeting]
    review: CoachingEndReview | None
    to_write: list[CoachingMeeting] = field(default_factory=list)  # held or past, without a note yet


def action_page(action: CoachingAction, *, at: datetime) -> ActionPage:
    town = action.town
    annotated = _with_progress(CoachingAction.objects.filter(pk=action.pk)).get()
    progress = progress_of(annotated, today=local_day(at, town), tz=town_tz(town))
    milestones = list(action.milestones.all())
    meetings = list(action.meetings.select_related("note_by").order_by("-starts_at"))
    upcoming = min(
        (m for m in meetings if m.status == MeetingStatus.BOOKED), key=lambda m: m.starts_at, default=None
    )
    notes = [m for m in meetings if m.note]
    to_write = [
        m
        for m in meetings
        if not m.note
        and (m.status == MeetingStatus.HELD or (m.status == MeetingStatus.BOOKED and m.starts_at <= at))
    ]
    review = CoachingEndReview.objects.filter(action=action).first()
    return ActionPage(action, progress, milestones, meetings, upcoming, notes, review, to_write)


def merchant_actions(user: Any, town: Town) -> QuerySet[CoachingAction]:
    """The coaching actions of the shops the person runs in the town, open ones first."""
    shop_ids = ShopMembership.objects.filter(user_id=user.pk, shop__town=town).values("shop_id")
    return (
        CoachingAction.objects.for_town(town)
        .filter(shop_id__in=shop_ids)
        .select_related("programme", "expert", "shop", "town")
        .order_by("ended_on", "-created_at")
    )


def slot_days(slots: Sequence[datetime]) -> list[tuple[date, list[datetime]]]:
    """Slots grouped by their day (they are in the town's time zone already)."""
    days: dict[date, list[datetime]] = {}
    for slot in slots:
        days.setdefault(slot.date(), []).append(slot)
    return list(days.items())


# --- The contract of the town's follow-up page ------------------------------------------------------------


@dataclass(frozen=True)
class CoachingSummary:
    programme: str
    action: str
    expert: str
    status: str  # the human label
    last_activity_on: date | None
    stalled: bool
    ended: bool


def _current_first(action: CoachingAction) -> tuple[bool, int, int]:
    """Sort key: open actions before ended ones, then the latest."""
    return (not action.is_open, -(action.ended_on or action.started_on or date.min).toordinal(), -action.pk)


def coaching_by_shop(*, town_id: int, at: datetime) -> dict[int, CoachingSummary]:
    """Each coached shop of the town and its current action (or its last one when none is open): three
    queries whatever the number of shops (the actions, their last held meeting, their milestones' days),
    read as plain rows (no model built)."""
    rows = CoachingAction.objects.filter(town_id=town_id).values_list(
        "pk",
        "shop_id",
        "status",
        "kind",
        "title",
        "started_on",
        "ended_on",
        "programme__name",
        "expert_id",
        "expert__first_name",
        "expert__last_name",
        "expert__email",
        "town__timezone",
        named=True,
    )
    held_at = dict(
        CoachingMeeting.objects.filter(action__town_id=town_id, status=MeetingStatus.HELD)
        .values("action_id")
        .annotate(last=Max("starts_at"))
        .values_list("action_id", "last")
    )
    milestones = {
        action_id: (last_done, first_due)
        for action_id, last_done, first_due in CoachingMilestone.objects.filter(action__town_id=town_id)
        .values("action_id")
        .annotate(last_done=Max("done_on"), first_due=Min("due_on", filter=Q(done_on__isnull=True)))
        .values_list("action_id", "last_done", "first_due")
    }
    chosen: dict[int, tuple[tuple[bool, int, int], Any]] = {}
    for row in rows:
        key = (
            row.status not in OPEN_ACTION_STATUSES,
            -(row.ended_on or row.started_on or date.min).toordinal(),
            -row.pk,
        )
        held = chosen.get(row.shop_id)
        if held is None or key < held[0]:
            chosen[row.shop_id] = (key, row)
    kinds = {value: str(label) for value, label in ActionKind.choices}
    statuses = {value: str(label) for value, label in ActionStatus.choices}
    zones: dict[str, tuple[ZoneInfo, date]] = {}
    summaries = {}
    for shop_id, (_key, row) in chosen.items():
        if row.town__timezone not in zones:
            tz = ZoneInfo(row.town__timezone)
            zones[row.town__timezone] = (tz, at.astimezone(tz).date())
        tz, today = zones[row.town__timezone]
        last_held_at = held_at.get(row.pk)
        held_on = last_held_at.astimezone(tz).date() if last_held_at else None
        last_done_on, first_open_due_on = milestones.get(row.pk, (None, None))
        if row.expert_id is None:
            expert = _("expert parti")
        else:
            expert = f"{row.expert__first_name} {row.expert__last_name}".strip() or row.expert__email
        summaries[shop_id] = CoachingSummary(
            programme=row.programme__name,
            action=row.title if row.kind == ActionKind.OTHER and row.title else kinds[row.kind],
            expert=expert,
            status=statuses[row.status],
            last_activity_on=last_activity(row.started_on, held_on, last_done_on, row.ended_on),
            stalled=is_stalled(
                status=row.status,
                started_on=row.started_on,
                last_held_on=held_on,
                last_done_on=last_done_on,
                first_open_due_on=first_open_due_on,
                today=today,
            ),
            ended=row.status not in OPEN_ACTION_STATUSES,
        )
    return summaries


def shop_coaching_followup(*, shop: Shop, at: datetime) -> dict[str, Any]:
    """The context of `support/coaching/_shop_followup.html`: the shop's coaching actions, current first,
    each with its milestones, meetings and notes, progress and end review."""
    town = shop.town
    today, tz = local_day(at, town), town_tz(town)
    actions = sorted(
        _with_progress(CoachingAction.objects.filter(town_id=shop.town_id, shop=shop))
        .select_related("programme", "expert", "end_review")
        .prefetch_related("milestones", "meetings"),
        key=_current_first,
    )
    rows = []
    for action in actions:
        meetings = sorted(action.meetings.all(), key=lambda m: m.starts_at, reverse=True)
        rows.append(
            {
                "action": action,
                "progress": progress_of(action, today=today, tz=tz),
                "milestones": list(action.milestones.all()),
                "notes": [m for m in meetings if m.note],
                "upcoming": min(
                    (m for m in meetings if m.status == MeetingStatus.BOOKED and m.starts_at >= at),
                    key=lambda m: m.starts_at,
                    default=None,
                ),
                "held": sum(1 for m in meetings if m.status == MeetingStatus.HELD),
                "review": getattr(action, "end_review", None),
            }
        )
    return {"shop": shop, "coaching_actions": rows, "today": today}


def coaching_export(user: Any) -> dict[str, list[dict[str, Any]]]:
    """What a person wrote as an expert, for their data export: notes after meetings and end reviews."""
    notes = CoachingMeeting.objects.filter(note_by=user).select_related("action__shop").order_by("starts_at")
    reviews = CoachingEndReview.objects.filter(written_by=user).select_related("action__shop").order_by("pk")
    return {
        "notes_de_rendez_vous": [
            {
                "commerce": meeting.action.shop.name,
                "rendez_vous": meeting.starts_at.isoformat(),
                "note": meeting.note,
                "prochaine_etape": meeting.next_step,
            }
            for meeting in notes
        ],
        "bilans": [
            {
                "commerce": review.action.shop.name,
                "resultat": review.outcome,
                "ce_qui_a_change": review.what_changed,
            }
            for review in reviews
        ],
    }
