"""Training sessions for the town's merchants: registering, the waiting list, attendance, follow-up tasks,
reminders; and the summary of each shop's training the town's follow-up page reads.

Every write is one transaction. Lock order: the session's row first (`select_for_update`), then the
registrations it reads or changes, in rank order; a follow-up task's row alone when it is ticked. Holding
the session's lock is what keeps a session from ever having more confirmed registrations than seats when
many people register or cancel at the same moment: each of them counts the seats after the one before has
committed.

Messages (a seat freed for someone waiting, a session cancelled, the reminder the day before) are queued
after the transaction commits, and written out by the worker (`training_messages.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import FollowUpTask, Registration, RegistrationStatus, SessionStatus, TrainingSession

logger = logging.getLogger(__name__)

# The reminder goes out within the 24 hours before a session starts (24 real hours, whatever the clock
# change in between).
REMINDER_BEFORE = timedelta(hours=24)
# The town's feed shows sessions that ended up to this long ago, and every session to come.
FEED_RECENT = timedelta(days=90)
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)

# Kinds of message (`notifications.Notification.kind`).
PROMOTED = "training_promoted"
SESSION_CANCELLED = "training_cancelled"
SESSION_CHANGED = "training_changed"
REMINDER = "training_reminder"


def local_date(value: datetime, town: Town) -> date:
    return timezone.localtime(value, ZoneInfo(town.timezone)).date()


# --- Sessions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    """What an adviser types about a session."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    description: str = ""
    trainer: str = ""
    place: str = ""
    video_url: str = ""
    suggested_tasks: str = ""


# Changes that calendars must take in (their SEQUENCE goes up).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "description", "place", "video_url")
# Changes the people registered or waiting are told of by e-mail.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "place", "video_url")


def _check_session(data: SessionData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Donnez un thème à la session.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("La fin doit être après le début.")
    if data.capacity < 1:
        errors["capacity"] = _("Une session a au moins une place.")
    if not data.place.strip() and not data.video_url.strip():
        errors["place"] = _("Indiquez le lieu de la session, ou le lien de la visioconférence.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(*, town: Town, data: SessionData, actor: User | None) -> TrainingSession:
    """A new session of the town, open to registrations until it starts."""
    _check_session(data)
    session = TrainingSession(town=town, created_by=actor, status=SessionStatus.SCHEDULED)
    for name, value in _values(data).items():
        setattr(session, name, value)
    session.full_clean()
    session.save()
    return session


def _values(data: SessionData) -> dict[str, Any]:
    return {
        "title": data.title.strip(),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "capacity": data.capacity,
        "description": data.description.strip(),
        "trainer": data.trainer.strip(),
        "place": data.place.strip(),
        "video_url": data.video_url.strip(),
        "suggested_tasks": data.suggested_tasks.strip(),
    }


def _lock(session: TrainingSession) -> TrainingSession:
    """The session's row under lock (not its town's, read with it)."""
    return TrainingSession.objects.select_for_update(of=("self",)).select_related("town").get(pk=session.pk)


@transaction.atomic
def session_update(*, session: TrainingSession, data: SessionData, at: datetime) -> TrainingSession:
    """Change a session; its capacity as `session_change_capacity` does. A change of time or place raises its
    calendar version and is told to everyone registered or waiting, and a new time sends the reminder again
    before the new date."""
    _check_session(data)
    locked = _lock(session)
    if locked.is_cancelled:
        raise ValidationError(_("Cette session est annulée : elle ne peut plus être modifiée."))
    values = _values(data)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    capacity = values.pop("capacity")
    for name, value in values.items():
        setattr(locked, name, value)
    if any(name in CALENDAR_FIELDS for name in changed):
        locked.sequence += 1
    locked.full_clean()
    locked.save()
    if "starts_at" in changed:
        locked.registrations.filter(status=RegistrationStatus.CONFIRMED).update(reminded_at=None)
    if any(name in ANNOUNCED_FIELDS for name in changed) and locked.ends_at > at:
        told = locked.registrations.filter(status__in=ACTIVE).order_by("rank").values_list("pk", flat=True)
        _notify_later(SESSION_CHANGED, list(told))
    if capacity != locked.capacity:
        _change_capacity(locked, capacity, at=at)
    return locked


@transaction.atomic
def session_change_capacity(*, session: TrainingSession, capacity: int, at: datetime) -> TrainingSession:
    """Give a session more seats (the first people waiting take them, and are told) or fewer (never fewer
    than the people already confirmed)."""
    locked = _lock(session)
    if locked.is_cancelled:
        raise ValidationError(_("Cette session est annulée : elle ne peut plus être modifiée."))
    _change_capacity(locked, capacity, at=at)
    return locked


def _change_capacity(session: TrainingSession, capacity: int, *, at: datetime) -> None:
    """Under the session's lock."""
    if capacity < 1:
        raise ValidationError({"capacity": _("Une session a au moins une place.")})
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "Une personne est déjà inscrite : la session ne peut pas avoir moins d'une place. "
                    "Désinscrivez-la d'abord.",
                    "%(confirmed)s personnes sont déjà inscrites : la session ne peut pas avoir moins de "
                    "%(confirmed)s places. Désinscrivez d'abord quelqu'un.",
                    confirmed,
                )
                % {"confirmed": confirmed}
            }
        )
    session.capacity = capacity
    session.save(update_fields=["capacity", "updated_at"])
    _promote(session, free=capacity - confirmed, at=at)


@transaction.atomic
def session_cancel(*, session: TrainingSession, at: datetime) -> TrainingSession:
    """Cancel a session: it stays in calendars as cancelled, and everyone registered or waiting is told."""
    locked = _lock(session)
    if locked.is_cancelled:
        return locked
    if locked.ends_at <= at:
        raise ValidationError(_("Cette session a déjà eu lieu : elle ne peut plus être annulée."))
    locked.status = SessionStatus.CANCELLED
    locked.cancelled_at = at
    locked.sequence += 1
    locked.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    told = list(locked.registrations.filter(status__in=ACTIVE).order_by("rank").values_list("pk", flat=True))
    _notify_later(SESSION_CANCELLED, told)
    return locked


# --- Registrations ----------------------------------------------------------------------------------------


def shops_run_in_town(user: User, town: Town) -> QuerySet[Shop]:
    """The shops of the town this person runs (those they may register for)."""
    return Shop.objects.filter(town=town, memberships__user=user).order_by("name", "pk")


def _check_open(session: TrainingSession, at: datetime) -> None:
    if session.is_cancelled:
        raise ValidationError(_("Cette session est annulée."))
    if session.starts_at <= at:
        raise ValidationError(_("Les inscriptions sont closes : la session a commencé."))


@transaction.atomic
def registration_create(
    *, session: TrainingSession, user: User, shop: Shop | None, at: datetime
) -> Registration:
    """Register someone for a session, for one of the shops they run: a seat if one is free, else the end
    of the waiting list."""
    locked = _lock(session)
    _check_open(locked, at)
    if shop is not None:
        if not shops_run_in_town(user, locked.town).filter(pk=shop.pk).exists():
            raise ValidationError(
                {"shop": _("Choisissez l'un des commerces que vous gérez dans cette ville.")}
            )
    elif shops_run_in_town(user, locked.town).exists():
        raise ValidationError({"shop": _("Choisissez le commerce pour lequel vous vous inscrivez.")})
    registrations = locked.registrations.all()
    if registrations.filter(user=user, status__in=ACTIVE).exists():
        raise ValidationError(_("Vous êtes déjà inscrit à cette session ou sur sa liste d'attente."))
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    last_rank = registrations.aggregate(last=Max("rank"))["last"] or 0
    seat_free = confirmed < locked.capacity
    registration = Registration(
        town_id=locked.town_id,
        session=locked,
        user=user,
        shop=shop,
        rank=last_rank + 1,
        status=RegistrationStatus.CONFIRMED if seat_free else RegistrationStatus.WAITING,
        confirmed_at=at if seat_free else None,
    )
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, at: datetime) -> Registration:
    """Cancel a registration before the session starts; a seat it frees goes to the first person waiting,
    who is told."""
    locked = _lock(registration.session)
    _check_open(locked, at)
    current = locked.registrations.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return current
    was_confirmed = current.status == RegistrationStatus.CONFIRMED
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = at
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_confirmed:
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        _promote(locked, free=locked.capacity - confirmed, at=at)
    return current


def _promote(session: TrainingSession, *, free: int, at: datetime) -> list[int]:
    """Under the session's lock: confirm the first `free` people waiting, in their order, and tell them."""
    if free <= 0:
        return []
    promoted = list(
        session.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITING)
        .order_by("rank")
        .values_list("pk", flat=True)[:free]
    )
    if promoted:
        Registration.objects.filter(pk__in=promoted).update(
            status=RegistrationStatus.CONFIRMED, confirmed_at=at, updated_at=at
        )
        _notify_later(PROMOTED, promoted)
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """Where someone waiting stands in the list (1: next to get a seat); None for anyone else."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=RegistrationStatus.WAITING, rank__lt=registration.rank
    ).count()
    return ahead + 1


# --- Attendance and follow-up ------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, session: TrainingSession, attended: dict[int, bool | None], at: datetime) -> int:
    """Record who came (True), who did not (False) or unknown (None) among the confirmed registrations, once
    the session has started; returns how many changed."""
    locked = _lock(session)
    if locked.is_cancelled:
        raise ValidationError(_("Cette session est annulée : il n'y a pas de présences à noter."))
    if locked.starts_at > at:
        raise ValidationError(_("Les présences se notent une fois la session commencée."))
    changed = 0
    rows = locked.registrations.select_for_update().filter(
        status=RegistrationStatus.CONFIRMED, pk__in=list(attended)
    )
    for registration in rows.order_by("rank"):
        value = attended[registration.pk]
        if registration.attended != value:
            registration.attended = value
            registration.save(update_fields=["attended", "updated_at"])
            changed += 1
    return changed


@dataclass(frozen=True)
class TaskData:
    registration_id: int
    title: str
    due_on: date | None = None


@transaction.atomic
def tasks_add(
    *, session: TrainingSession, tasks: Sequence[TaskData], actor: User | None
) -> list[FollowUpTask]:
    """Give attendees of a session their follow-up tasks (blank titles are skipped)."""
    locked = _lock(session)
    registrations = {
        registration.pk: registration
        for registration in locked.registrations.filter(
            status=RegistrationStatus.CONFIRMED, pk__in=[task.registration_id for task in tasks]
        )
    }
    rows = []
    for task in tasks:
        title = task.title.strip()
        if not title:
            continue
        registration = registrations.get(task.registration_id)
        if registration is None:
            raise ValidationError(_("Les tâches de suivi sont données aux personnes inscrites à la session."))
        row = FollowUpTask(
            town_id=locked.town_id,
            session=locked,
            registration=registration,
            shop_id=registration.shop_id,
            title=title,
            due_on=task.due_on,
            created_by=actor,
        )
        row.full_clean()
        rows.append(row)
    return FollowUpTask.objects.bulk_create(rows)


@transaction.atomic
def task_set_done(*, task: FollowUpTask, done: bool, at: datetime) -> FollowUpTask:
    """Tick a follow-up task as done (or not done after all)."""
    locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    if done and locked.done_at is None:
        locked.done_at = at
    elif not done:
        locked.done_at = None
    locked.save(update_fields=["done_at", "updated_at"])
    return locked


@transaction.atomic
def task_delete(*, task: FollowUpTask) -> None:
    FollowUpTask.objects.filter(pk=task.pk).delete()


# --- Reminders --------------------------------------------------------------------------------------------


def training_send_reminders(*, at: datetime) -> int:
    """Remind each confirmed registrant, once, within the 24 hours before their session starts; returns how
    many were reminded. Safe to run twice (each registration is claimed by a conditional update) and one
    indexed query when there is nothing to do."""
    from .training_messages import training_messages

    # In UTC: adding 24 hours to a time on a clock that changes would add 23 or 25 real hours.
    at = at.astimezone(UTC)
    due = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=at,
            session__starts_at__lte=at + REMINDER_BEFORE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for registration_id in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration_id, reminded_at__isnull=True).update(
                reminded_at=at
            )
            if claimed:
                reminded += 1
                _queue(training_messages(kind=REMINDER, registration_ids=[registration_id]))
    return reminded


def _queue(messages: Iterable[Any]) -> None:
    from centreville.notifications.services import notifications_queue

    notifications_queue(messages=list(messages))


def _notify_later(kind: str, registration_ids: list[int]) -> None:
    """Once the transaction commits, have the worker write out and send these messages."""
    if registration_ids:
        transaction.on_commit(lambda: _enqueue(kind, registration_ids))


def _enqueue(kind: str, registration_ids: list[int]) -> None:
    from .tasks import send_training_messages

    try:
        send_training_messages.enqueue(kind, registration_ids)
    except Exception:  # the change is committed; a queue out of reach must not turn it into an error page
        logger.exception("Could not queue the training messages %s %r", kind, registration_ids)


def training_messages_send(*, kind: str, registration_ids: Sequence[int]) -> int:
    """Write out and queue the messages of this kind to these registrants (in the worker); how many were
    new (a message already written under its key is not written again)."""
    from centreville.notifications.services import notifications_queue

    from .training_messages import training_messages

    return notifications_queue(messages=training_messages(kind=kind, registration_ids=registration_ids))


# --- The town's follow-up of each shop -------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSummary:
    sessions_attended: int
    last_attended_on: date | None
    registered_upcoming: int
    open_tasks: int
    overdue_tasks: int


def training_by_shop(*, town_id: int, at: datetime) -> dict[int, TrainingSummary]:
    """Each shop of the town with any training: sessions attended (and the last one's date), registrations
    for sessions to come (seat or waiting list), follow-up tasks open and overdue (due before `at`'s day in
    the town). Three queries whatever the number of shops."""
    tz_name = Town.objects.filter(pk=town_id).values_list("timezone", flat=True).first()
    if tz_name is None:
        return {}
    tz = ZoneInfo(tz_name)
    today = timezone.localtime(at, tz).date()
    registrations = (
        Registration.objects.filter(town_id=town_id, shop__isnull=False)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values("shop_id")
        .annotate(
            n_attended=Count("pk", filter=Q(attended=True, status=RegistrationStatus.CONFIRMED)),
            last=Max("session__starts_at", filter=Q(attended=True, status=RegistrationStatus.CONFIRMED)),
            upcoming=Count("pk", filter=Q(status__in=ACTIVE, session__starts_at__gt=at)),
        )
        .order_by()
    )
    tasks = (
        FollowUpTask.objects.filter(town_id=town_id, shop__isnull=False, done_at__isnull=True)
        .values("shop_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    rows: dict[int, dict[str, Any]] = {}
    for row in registrations:
        rows[row["shop_id"]] = {
            "sessions_attended": row["n_attended"],
            "last_attended_on": timezone.localtime(row["last"], tz).date() if row["last"] else None,
            "registered_upcoming": row["upcoming"],
        }
    for row in tasks:
        rows.setdefault(row["shop_id"], {}).update(open_tasks=row["open"], overdue_tasks=row["overdue"])
    empty = {
        "sessions_attended": 0,
        "last_attended_on": None,
        "registered_upcoming": 0,
        "open_tasks": 0,
        "overdue_tasks": 0,
    }
    return {
        shop_id: TrainingSummary(**{**empty, **values})
        for shop_id, values in rows.items()
        if any(values.values())
    }


def shop_training_followup(*, shop: Shop, at: datetime) -> dict[str, Any]:
    """What the adviser's page of one shop shows of its training: its registrations (sessions to come, then
    past ones with attendance) and its follow-up tasks, open first."""
    registrations = list(
        Registration.objects.filter(town_id=shop.town_id, shop=shop)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session", "user")
        .order_by("-session__starts_at", "rank")
    )
    tasks = list(
        FollowUpTask.objects.filter(town_id=shop.town_id, shop=shop)
        .select_related("session")
        .order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )
    today = local_date(at, shop.town)
    upcoming = [r for r in registrations if r.session.starts_at > at and not r.session.is_cancelled]
    past = [r for r in registrations if r.session.starts_at <= at and not r.session.is_cancelled]
    open_tasks = [task for task in tasks if task.done_at is None]
    return {
        "training_shop": shop,
        "training_upcoming": upcoming[::-1],
        "training_past": past,
        "training_tasks": tasks,
        "training_summary": TrainingSummary(
            sessions_attended=sum(1 for r in past if r.attended and r.status == RegistrationStatus.CONFIRMED),
            last_attended_on=next(
                (
                    local_date(r.session.starts_at, shop.town)
                    for r in past
                    if r.attended and r.status == RegistrationStatus.CONFIRMED
                ),
                None,
            ),
            registered_upcoming=len(upcoming),
            open_tasks=len(open_tasks),
            overdue_tasks=sum(1 for task in open_tasks if task.due_on is not None and task.due_on < today),
        ),
        "training_today": today,
    }


def training_export(user: User) -> list[dict[str, Any]]:
    """A person's registrations, with their attendance and follow-up tasks, for their data export."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("session__town", "shop")
        .prefetch_related("tasks")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            "ville": registration.session.town.name,
            "formation": registration.session.title,
            "debut": registration.session.starts_at.isoformat(),
            "commerce": registration.shop.name if registration.shop else None,
            "statut": registration.status,
            "inscrit_le": registration.created_at.isoformat(),
            "present": registration.attended,
            "rappel_envoye_le": registration.reminded_at.isoformat() if registration.reminded_at else None,
            "taches_de_suivi": [
                {
                    "tache": task.title,
                    "pour_le": task.due_on.isoformat() if task.due_on else None,
                    "faite_le": task.done_at.isoformat() if task.done_at else None,
                }
                for task in registration.tasks.all()
            ],
        }
        for registration in registrations
    ]
