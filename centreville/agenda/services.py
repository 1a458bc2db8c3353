"""Writes of the agenda: town events and shops' offers, their status, their way to publication, their image,
and the town's agenda settings.

Each function is one transaction, takes the time as `at=` and, after writing an event's dates, rewrites its
occurrences (`recurrence.refresh_occurrences`) and expires the town's public pages
(`core.pagecache.town_public_data_changed`, after commit). Lock order: the town's settings row (read only),
then the event's row; a parent event is read, never locked (it only has to exist, published and not over).

Publication (`TRANSITIONS`): a town event written by the town team is published (or kept as a draft); an
organiser's event and a merchant's offer are published directly or wait for the town team's check, as the
town chose in its `AgendaSettings`. A rejected entry changed by its author goes back to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core import images
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import (
    OFFER_KINDS,
    Accessibility,
    AgendaSettings,
    Audience,
    Event,
    EventPhoto,
    EventStatus,
    PlaceKind,
    Publication,
)
from .recurrence import parse_rule, refresh_occurrences

# Publication moves: (from, to) → what the move is called in the refusal message.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Publication.DRAFT, Publication.PUBLISHED): "publish",
    (Publication.DRAFT, Publication.PENDING): "submit",
    (Publication.REJECTED, Publication.PENDING): "submit",
    (Publication.PENDING, Publication.PUBLISHED): "approve",
    (Publication.PENDING, Publication.REJECTED): "reject",
    (Publication.PUBLISHED, Publication.DRAFT): "unpublish",
    (Publication.REJECTED, Publication.PUBLISHED): "approve",
}
# Fields whose change a calendar that imported the event must notice (RFC 5545 SEQUENCE).
DATE_FIELDS = ("starts_at", "ends_at", "all_day", "rrule", "exdates", "timings")
MAX_REASON = 250


@dataclass(frozen=True)
class EventData:
    """What a form says of an event or an offer; dates aware, on the town's clock."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    all_day: bool = False
    rrule: str = ""
    exdates: tuple[str, ...] = ()
    place_kind: str = PlaceKind.VENUE
    venue_name: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_free: bool = True
    price: Decimal | None = None
    price_details: str = ""
    registration_url: str = ""
    organiser_name: str = ""
    parent: Event | None = None
    # Who it is for (`Audience` values) and its accessibility (`Accessibility` codes, and in words); None
    # leaves them as they are (the merchant's offer form does not ask).
    audiences: tuple[str, ...] | None = None
    accessibility: tuple[str, ...] | None = None
    accessibility_details: str | None = None


def agenda_settings(town: Town) -> AgendaSettings:
    """The town's agenda settings, unsaved defaults when it never changed them."""
    found = AgendaSettings.objects.filter(town=town).first()
    return found or AgendaSettings(town=town)


@transaction.atomic
def agenda_settings_update(
    *, town: Town, offers_need_approval: bool, organiser_events_need_approval: bool
) -> AgendaSettings:
    """Save the town's choices; entries already waiting stay in the queue until someone decides."""
    settings, _created = AgendaSettings.objects.select_for_update().get_or_create(town=town)
    settings.offers_need_approval = offers_need_approval
    settings.organiser_events_need_approval = organiser_events_need_approval
    settings.full_clean()
    settings.save()
    return settings


def current_parents(town: Town, *, at: datetime) -> Any:
    """The town events an offer may join: the town's own, published, not cancelled, not over."""
    return (
        Event.objects.for_town(town)
        .filter(shop__isnull=True, publication=Publication.PUBLISHED)
        .exclude(status=EventStatus.CANCELLED)
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=at))
        .order_by("starts_at", "pk")
    )


def _check_parent(parent: Event | None, *, town: Town, event: Event | None, at: datetime) -> None:
    if parent is None:
        return
    if event is not None and parent.pk == event.pk:
        raise ValidationError({"parent": _("Un événement ne peut pas se rattacher à lui-même.")})
    if not current_parents(town, at=at).filter(pk=parent.pk).exists():
        raise ValidationError(
            {
                "parent": _(
                    "On ne peut se rattacher qu'à un événement de la ville publié, ni annulé ni terminé."
                )
            }
        )


def _check_exdates(values: tuple[str, ...]) -> list[str]:
    cleaned = []
    for value in values:
        text = value.strip()
        try:
            if "T" in text:
                datetime.fromisoformat(text)
            else:
                date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                {"exdates": _("Date exclue illisible : « %(value)s ».") % {"value": value}}
            ) from None
        cleaned.append(text)
    return sorted(set(cleaned))


def _check_dates(data: EventData, zone: ZoneInfo) -> None:
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("EventData dates are aware")
    if data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": _("La fin doit venir après le début.")})
    if data.ends_at - data.starts_at > timedelta(days=92):
        raise ValidationError(
            {"ends_at": _("Une date dure au plus trois mois : pour plus, utilisez une récurrence.")}
        )
    if data.rrule:
        local_start = data.starts_at.astimezone(zone).replace(tzinfo=None)
        parse_rule(data.rrule, local_start=local_start)


def _check_place(data: EventData, *, shop: Shop | None) -> None:
    if data.place_kind not in PlaceKind.values:
        raise ValidationError({"place_kind": _("Choisissez un lieu.")})
    if data.place_kind == PlaceKind.SHOP and shop is None:
        raise ValidationError({"place_kind": _("Seule l'offre d'un commerce a lieu dans un commerce.")})
    if data.place_kind == PlaceKind.VENUE and not (data.venue_name.strip() or data.address.strip()):
        raise ValidationError({"venue_name": _("Indiquez le nom du lieu ou son adresse.")})
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(
            {"latitude": _("Indiquez la latitude et la longitude, ou ni l'une ni l'autre.")}
        )
    if data.latitude is not None and not Decimal(-90) <= data.latitude <= Decimal(90):
        raise ValidationError({"latitude": _("Une latitude est comprise entre -90 et 90.")})
    if data.longitude is not None and not Decimal(-180) <= data.longitude <= Decimal(180):
        raise ValidationError({"longitude": _("Une longitude est comprise entre -180 et 180.")})


def _check_price(data: EventData) -> None:
    if data.is_free and data.price is not None and data.price > 0:
        raise ValidationError({"price": _("Une offre gratuite n'a pas de prix : décochez « Gratuit ».")})


def _checked_codes(values: tuple[str, ...], choices: type[Audience | Accessibility], name: str) -> list[str]:
    """The codes in the order of their choices, each once; an unknown one is refused."""
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        raise ValidationError({name: _("Choix inconnu : « %(value)s ».") % {"value": ", ".join(unknown)}})
    return [code for code in choices.values if code in values]


def _apply(event: Event, data: EventData, *, town: Town, shop: Shop | None, at: datetime) -> list[str]:
    """Copy the data onto the event after checking it; the names of the fields that changed."""
    zone = ZoneInfo(town.timezone)
    if not data.title.strip():
        raise ValidationError({"title": _("Donnez un titre.")})
    if shop is not None and data.kind not in OFFER_KINDS:
        raise ValidationError({"kind": _("Choisissez le type de l'offre.")})
    _check_dates(data, zone)
    _check_place(data, shop=shop)
    _check_price(data)
    _check_parent(data.parent, town=town, event=event if event.pk else None, at=at)
    place_kind = data.place_kind
    values: dict[str, Any] = {
        "kind": data.kind,
        "title": data.title.strip(),
        "description": data.description.strip(),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "timezone": town.timezone,
        "all_day": data.all_day,
        "rrule": data.rrule.strip().removeprefix("RRULE:"),
        "exdates": _check_exdates(data.exdates),
        "place_kind": place_kind,
        "venue_name": data.venue_name.strip() if place_kind == PlaceKind.VENUE else "",
        "address": data.address.strip() if place_kind == PlaceKind.VENUE else "",
        "latitude": data.latitude if place_kind == PlaceKind.VENUE else None,
        "longitude": data.longitude if place_kind == PlaceKind.VENUE else None,
        "is_free": data.is_free,
        "price": None if data.is_free else data.price,
        "price_details": data.price_details.strip(),
        "registration_url": data.registration_url.strip(),
        "organiser_name": data.organiser_name.strip(),
        "parent": data.parent,
    }
    if data.audiences is not None:
        values["audiences"] = _checked_codes(data.audiences, Audience, "audiences")
    if data.accessibility is not None:
        values["accessibility"] = _checked_codes(data.accessibility, Accessibility, "accessibility")
    if data.accessibility_details is not None:
        values["accessibility_details"] = data.accessibility_details.strip()
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    for name, value in values.items():
        setattr(event, name, value)
    return changed


def _written(event: Event, *, at: datetime) -> Event:
    refresh_occurrences(event, at=at)
    town_public_data_changed(event.town_id)
    return event


def _needs_approval(*, town: Town, shop: Shop | None, reviewer: bool) -> bool:
    """Whether an entry written by this person waits for the town team's check."""
    if reviewer:
        return False
    settings = agenda_settings(town)
    return settings.offers_need_approval if shop is not None else settings.organiser_events_need_approval


@transaction.atomic
def event_create(
    *, town: Town, data: EventData, actor: User | None, reviewer: bool, draft: bool = False, at: datetime
) -> Event:
    """A town event. `reviewer`: written by the town team (published at once, or kept as a `draft`); else
    by an organiser (published, or pending when the town checks its organisers' events)."""
    event = Event(town=town, created_by=actor)
    _apply(event, data, town=town, shop=None, at=at)
    if draft:
        event.publication = Publication.DRAFT
    elif _needs_approval(town=town, shop=None, reviewer=reviewer):
        event.publication = Publication.PENDING
    else:
        event.publication = Publication.PUBLISHED
    event.full_clean()
    event.save()
    return _written(event, at=at)


@transaction.atomic
def offer_create(*, shop: Shop, data: EventData, actor: User | None, reviewer: bool, at: datetime) -> Event:
    """A shop's offer, at the shop unless told otherwise; published at once, or pending when the town checks
    its shops' offers (never for the town team itself)."""
    town = shop.town
    event = Event(town=town, shop=shop, created_by=actor)
    _apply(event, data, town=town, shop=shop, at=at)
    event.publication = (
        Publication.PENDING
        if _needs_approval(town=town, shop=shop, reviewer=reviewer)
        else Publication.PUBLISHED
    )
    event.full_clean()
    event.save()
    return _written(event, at=at)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("town", "shop").get(pk=event.pk)


@transaction.atomic
def event_update(*, event: Event, data: EventData, actor: User | None, reviewer: bool, at: datetime) -> Event:
    """Change an event or an offer. A change of dates raises its `sequence`; an entry its author changes
    after a refusal, or while the town checks such entries, goes back to the queue."""
    event = _locked(event)
    changed = _apply(event, data, town=event.town, shop=event.shop, at=at)
    if not changed:
        return event
    if any(name in DATE_FIELDS for name in changed):
        event.sequence += 1
    back_to_queue = event.publication == Publication.REJECTED or (
        event.publication == Publication.PUBLISHED
        and _needs_approval(town=event.town, shop=event.shop, reviewer=False)
    )
    if not reviewer and back_to_queue:
        event.publication = Publication.PENDING
        event.rejection_reason = ""
    event.full_clean()
    event.save()
    return _written(event, at=at)


STATUS_MOVES = {
    EventStatus.SCHEDULED: {EventStatus.CANCELLED, EventStatus.POSTPONED, EventStatus.FULL},
    EventStatus.FULL: {EventStatus.SCHEDULED, EventStatus.CANCELLED, EventStatus.POSTPONED},
    EventStatus.POSTPONED: {EventStatus.SCHEDULED, EventStatus.CANCELLED, EventStatus.FULL},
    EventStatus.CANCELLED: {EventStatus.SCHEDULED},
}


@transaction.atomic
def event_set_status(
    *,
    event: Event,
    status: str,
    at: datetime,
    new_starts_at: datetime | None = None,
    new_ends_at: datetime | None = None,
) -> Event:
    """Cancel, postpone (to new dates, or to a date to be announced), mark full, or schedule again.

    A postponed event keeps its former first date in `previous_starts_at`; its `sequence` is raised.
    """
    event = _locked(event)
    if status not in STATUS_MOVES:
        raise ValidationError({"status": _("Statut inconnu.")})
    if status == event.status and status != EventStatus.POSTPONED:
        raise ValidationError({"status": _("L'événement a déjà ce statut.")})
    if status != event.status and status not in STATUS_MOVES[EventStatus(event.status)]:
        raise ValidationError(
            {
                "status": _("Un événement « %(from)s » ne peut pas passer à « %(to)s ».")
                % {"from": event.get_status_display(), "to": EventStatus(status).label}
            }
        )
    if (new_starts_at is None) != (new_ends_at is None):
        raise ValidationError({"new_starts_at": _("Indiquez la nouvelle date de début et de fin.")})
    if new_starts_at is not None and status != EventStatus.POSTPONED:
        raise ValidationError({"new_starts_at": _("Seul un report change les dates.")})
    if new_starts_at is not None and new_ends_at is not None:
        if new_ends_at <= new_starts_at:
            raise ValidationError({"new_ends_at": _("La fin doit venir après le début.")})
        if event.previous_starts_at is None:
            event.previous_starts_at = event.starts_at
        event.starts_at, event.ends_at = new_starts_at, new_ends_at
    elif status == EventStatus.POSTPONED and event.previous_starts_at is None:
        event.previous_starts_at = event.starts_at
    event.status = status
    event.sequence += 1
    event.full_clean()
    event.save()
    return _written(event, at=at)


def _move(event: Event, to: str) -> None:
    if (event.publication, to) not in TRANSITIONS:
        raise ValidationError(
            _("Impossible : « %(title)s » est « %(state)s ».")
            % {"title": event.title, "state": event.get_publication_display()},
            code="publication",
        )
    event.publication = to


@transaction.atomic
def event_submit(*, event: Event, at: datetime) -> Event:
    """A draft or a refused entry sent to the town team, or published when the town does not check it."""
    event = _locked(event)
    to = (
        Publication.PENDING
        if _needs_approval(town=event.town, shop=event.shop, reviewer=False)
        else Publication.PUBLISHED
    )
    if event.publication == Publication.REJECTED and to == Publication.PUBLISHED:
        to = Publication.PENDING  # a refusal is lifted by the town team only
    _move(event, to)
    event.rejection_reason = ""
    event.save(update_fields=["publication", "rejection_reason", "updated_at"])
    return _written(event, at=at)


@transaction.atomic
def event_publish(*, event: Event, at: datetime) -> Event:
    """The town team publishes a draft, or approves a pending (or refused) entry."""
    event = _locked(event)
    _move(event, Publication.PUBLISHED)
    event.rejection_reason = ""
    event.save(update_fields=["publication", "rejection_reason", "updated_at"])
    return _written(event, at=at)


event_approve = event_publish


@transaction.atomic
def event_reject(*, event: Event, reason: str, at: datetime) -> Event:
    """The town team refuses a pending entry, saying why: its author reads the reason on their page."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Dites pourquoi : l'auteur lira ce motif.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("%(max)s caractères au plus.") % {"max": MAX_REASON}})
    event = _locked(event)
    _move(event, Publication.REJECTED)
    event.rejection_reason = reason
    event.save(update_fields=["publication", "rejection_reason", "updated_at"])
    return _written(event, at=at)


@transaction.atomic
def event_unpublish(*, event: Event, at: datetime) -> Event:
    """The town team takes a published entry out of the agenda (back to a draft)."""
    event = _locked(event)
    _move(event, Publication.DRAFT)
    event.save(update_fields=["publication", "updated_at"])
    return _written(event, at=at)


@transaction.atomic
def event_delete(*, event: Event) -> None:
    """Delete an event, its occurrences and its image; offers that joined it stay, on their own."""
    event = _locked(event)
    photo = EventPhoto.objects.filter(event=event).first()
    if photo is not None:
        images.delete_photo_files_on_commit([photo])
    town_id = event.town_id
    event.delete()
    town_public_data_changed(town_id)


def event_photo_set(*, event: Event, upload: File[bytes], alt_text: str) -> EventPhoto:
    """The event's image, replacing the one it had; checked and re-encoded first (nothing stored if refused).

    Errors are keyed `image` (the file) and `image_alt` (its description).
    """
    try:
        alt_text = images.clean_alt_text(alt_text)
    except ValidationError as error:
        raise ValidationError({"image_alt": error.messages}) from error
    try:
        # The slow part runs before the transaction, so no lock waits for it.
        processed = images.process_upload(upload)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    with transaction.atomic():
        event = _locked(event)
        old = EventPhoto.objects.filter(event=event).first()
        if old is not None:
            images.delete_photo_files_on_commit([old])
            old.delete()
        photo = EventPhoto(event=event, alt_text=alt_text)
        images.photo_store(photo, processed)
        town_public_data_changed(event.town_id)
    return photo


@transaction.atomic
def event_photo_remove(*, event: Event) -> None:
    photo = EventPhoto.objects.filter(event=event).first()
    if photo is not None:
        images.delete_photo_files_on_commit([photo])
        photo.delete()
        town_public_data_changed(event.town_id)
