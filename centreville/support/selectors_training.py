"""Reads of the training pages: plain data, the town always given, a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from centreville.accounts.models import User
from centreville.towns.models import Town

from .models import FollowUpTask, Registration, RegistrationStatus, SessionStatus, TrainingSession
from .training import ACTIVE, FEED_RECENT


def _with_counts(sessions: QuerySet[TrainingSession]) -> Any:
    return sessions.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True
        ),
    )


def town_session(town: Town, session_id: int) -> TrainingSession | None:
    return _with_counts(TrainingSession.objects.for_town(town)).filter(pk=session_id).first()


@dataclass(frozen=True)
class OpenSession:
    session: TrainingSession
    seats_left: int
    mine: Registration | None
    position: int | None  # in the waiting list, when `mine` waits


def open_sessions(town: Town, user: User, *, at: datetime) -> list[OpenSession]:
    """The town's sessions to come (not cancelled), with their seats left and this person's registration."""
    sessions = list(
        _with_counts(TrainingSession.objects.for_town(town))
        .filter(status=SessionStatus.SCHEDULED, starts_at__gt=at)
        .order_by("starts_at", "pk")
    )
    mine = _mine(user, [session.pk for session in sessions])
    return [
        OpenSession(
            session=session,
            seats_left=max(session.capacity - session.confirmed_count, 0),
            mine=mine.get(session.pk),
            position=_position(mine.get(session.pk)),
        )
        for session in sessions
    ]


def _mine(user: User, session_ids: list[int]) -> dict[int, Registration]:
    """This person's active registration in each of these sessions, with their place in the waiting list."""
    registrations = (
        Registration.objects.filter(user=user, session_id__in=session_ids, status__in=ACTIVE)
        .annotate(
            ahead=Count(
                "session__registrations",
                filter=Q(
                    session__registrations__status=RegistrationStatus.WAITING,
                    session__registrations__rank__lt=F("rank"),
                ),
            )
        )
        .select_related("shop")
    )
    return {registration.session_id: registration for registration in registrations}


def _position(registration: Registration | None) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITING:
        return None
    return int(registration.ahead) + 1  # type: ignore[attr-defined]


def my_cancelled_sessions(town: Town, user: User, *, at: datetime) -> list[Registration]:
    """This person's registrations for sessions to come that the town cancelled."""
    return list(
        Registration.objects.for_town(town)
        .filter(
            user=user, status__in=ACTIVE, session__status=SessionStatus.CANCELLED, session__starts_at__gt=at
        )
        .select_related("session")
        .order_by("session__starts_at")
    )


def my_past_registrations(town: Town, user: User, *, at: datetime) -> list[Registration]:
    """This person's sessions that have started, most recent first (confirmed ones only)."""
    return list(
        Registration.objects.for_town(town)
        .filter(user=user, status=RegistrationStatus.CONFIRMED, session__starts_at__lte=at)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session", "shop")
        .order_by("-session__starts_at")[:20]
    )


def my_tasks(town: Town, user: User) -> list[FollowUpTask]:
    """The follow-up tasks given to this person, or to a shop of theirs; open ones first."""
    shop_ids = list(user.shop_memberships.filter(shop__town=town).values_list("shop_id", flat=True))
    return list(
        FollowUpTask.objects.for_town(town)
        .filter(Q(registration__user=user) | Q(shop_id__in=shop_ids))
        .select_related("session", "shop")
        .order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )


def my_task(town: Town, user: User, task_id: int) -> FollowUpTask | None:
    shop_ids = list(user.shop_memberships.filter(shop__town=town).values_list("shop_id", flat=True))
    return (
        FollowUpTask.objects.for_town(town)
        .filter(Q(registration__user=user) | Q(shop_id__in=shop_ids), pk=task_id)
        .first()
    )


def my_registration(town: Town, user: User, registration_id: int) -> Registration | None:
    return (
        Registration.objects.for_town(town)
        .filter(user=user, pk=registration_id)
        .select_related("session")
        .first()
    )


def manage_sessions(town: Town, *, at: datetime) -> tuple[list[Any], list[Any]]:
    """The town's sessions to come (soonest first) and past ones (latest first)."""
    sessions = _with_counts(TrainingSession.objects.for_town(town)).annotate(
        attended_count=Count(
            "registrations",
            filter=Q(registrations__attended=True, registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
        task_count=Count("tasks", distinct=True),
    )
    upcoming = list(sessions.filter(ends_at__gt=at).order_by("starts_at", "pk"))
    past = list(sessions.filter(ends_at__lte=at).order_by("-starts_at", "-pk")[:100])
    return upcoming, past


def session_registrations(session: TrainingSession) -> list[Registration]:
    """Every registration of a session in order of arrival, with its person, shop and tasks."""
    return list(
        Registration.objects.filter(session=session)
        .select_related("user", "shop")
        .prefetch_related("tasks")
        .order_by("rank")
    )


def feed_sessions(town: Town, *, at: datetime) -> list[TrainingSession]:
    """The town's sessions for its calendar feed: every one to come and those of the last 90 days."""
    return list(
        TrainingSession.objects.for_town(town)
        .filter(ends_at__gte=at.astimezone(UTC) - FEED_RECENT)
        .order_by("starts_at", "pk")
    )
