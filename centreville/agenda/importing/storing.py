"""Writing imported events: one transaction per import, idempotent by the source's UID.

An event already imported from the same source (same town, source and UID) is updated when the source
says it changed (LAST-MODIFIED, updatedAt) and its content differs, and left unchanged otherwise; a new
UID creates a published town event. Each item is written under its own savepoint, so an item the database
refuses is reported and leaves nothing behind. Once written, an event's dates are expanded
(`recurrence.refresh_occurrences`) and the town's public pages expire after the commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town

from ..models import Event, PlaceKind, Publication
from ..recurrence import refresh_occurrences
from .base import (
    AUTO,
    CREATED,
    FORMATS,
    ICAL,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    EventData,
    ImportFailed,
    ImportReport,
    ItemOutcome,
    ReadItem,
    SourceFile,
    decode_text,
    detect_format,
)
from .ical import read_calendar
from .openagenda import read_export

# A calendar must notice a change of these (RFC 5545 SEQUENCE).
_SEQUENCED = {"starts_at", "ends_at", "timezone", "all_day", "rrule", "exdates", "timings", "status"}


def read_file(
    *, town: Town, source: SourceFile, file_format: str, default_kind: str
) -> tuple[str, list[ReadItem]]:
    """The format and the items of a file; ImportFailed (French) when it cannot be read at all."""
    text = decode_text(source)
    detected = detect_format(text)
    if file_format != AUTO and file_format != detected:
        raise ImportFailed(
            _("Ce fichier n'est pas au format choisi (%(chosen)s) : il ressemble à %(found)s.")
            % {"chosen": FORMATS[file_format], "found": FORMATS[detected]}
        )
    if detected == ICAL:
        return detected, read_calendar(text, town_timezone=town.timezone, default_kind=default_kind)
    return detected, read_export(
        text, town_timezone=town.timezone, town_insee=town.insee_code, default_kind=default_kind
    )


def import_file(
    *,
    town: Town,
    source: SourceFile,
    file_format: str = AUTO,
    default_kind: str,
    actor: User | None,
    at: datetime,
) -> ImportReport:
    """Read and store a file's events for `town`; ImportFailed (nothing written) when it is unreadable."""
    detected, items = read_file(town=town, source=source, file_format=file_format, default_kind=default_kind)
    report = ImportReport(file_name=source.name, format=detected)
    store_events(town=town, items=items, source=detected, actor=actor, at=at, report=report)
    return report


def _labels(names: list[str]) -> str:
    return ", ".join(str(getattr(Event._meta.get_field(name), "verbose_name", name)) for name in names)


def _clean(event: Event) -> None:
    event.clean_fields(exclude=["town", "shop", "parent", "created_by", "uid"])


@transaction.atomic
def store_events(
    *,
    town: Town,
    items: list[ReadItem],
    source: str,
    actor: User | None,
    at: datetime,
    report: ImportReport,
) -> ImportReport:
    """Write the items' events in one transaction and add each one's outcome to `report`."""
    uids = [item.uid for item in items if item.data is not None]
    existing = {
        event.source_uid: event
        for event in Event.objects.select_for_update()
        .filter(town=town, source=source, source_uid__in=uids)
        .order_by("pk")
    }
    seen: set[str] = set()
    for item in items:
        if item.data is None:
            report.add(ItemOutcome(uid=item.uid, title=item.title, outcome=SKIPPED, reason=item.skip))
            continue
        if item.uid in seen:
            report.add(
                ItemOutcome(
                    uid=item.uid,
                    title=item.title,
                    outcome=SKIPPED,
                    reason=_("même UID qu'un événement plus haut dans le fichier : lu une seule fois"),
                )
            )
            continue
        seen.add(item.uid)
        try:
            with transaction.atomic():
                outcome = _store(town, item.data, existing.get(item.uid), source=source, actor=actor, at=at)
        except ValidationError as error:
            outcome = ItemOutcome(
                uid=item.uid,
                title=item.title,
                outcome=SKIPPED,
                reason=_("refusé : %(errors)s") % {"errors": " ".join(error.messages)},
            )
        except (IntegrityError, DataError) as error:
            outcome = ItemOutcome(
                uid=item.uid,
                title=item.title,
                outcome=SKIPPED,
                reason=_("refusé par la base de données : %(error)s") % {"error": str(error).splitlines()[0]},
            )
        outcome.notes = item.data.notes + outcome.notes
        report.add(outcome)
    if report.created or report.updated:
        town_public_data_changed(town.pk)
    return report


def _store(
    town: Town, data: EventData, event: Event | None, *, source: str, actor: User | None, at: datetime
) -> ItemOutcome:
    fields: dict[str, Any] = data.fields()
    fields["place_kind"] = PlaceKind.VENUE if (data.venue_name or data.address) else PlaceKind.CENTRE
    if event is None:
        event = Event(
            town=town,
            source=source,
            source_uid=data.source_uid,
            source_updated_at=data.source_updated_at,
            publication=Publication.PUBLISHED,
            created_by=actor,
            **fields,
        )
        _clean(event)
        event.save()
        refresh_occurrences(event, at=at)
        return ItemOutcome(
            uid=data.source_uid, title=data.title, outcome=CREATED, reason=_("nouvel événement")
        )
    if (
        data.source_updated_at is not None
        and event.source_updated_at is not None
        and data.source_updated_at <= event.source_updated_at
    ):
        return ItemOutcome(
            uid=data.source_uid,
            title=data.title,
            outcome=UNCHANGED,
            reason=_("inchangé à la source depuis le dernier import (modifié le %(when)s)")
            % {"when": date_format(data.source_updated_at, "DATETIME_FORMAT")},
        )
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if not changed:
        if data.source_updated_at != event.source_updated_at:
            Event.objects.filter(pk=event.pk).update(source_updated_at=data.source_updated_at)
        return ItemOutcome(
            uid=data.source_uid,
            title=data.title,
            outcome=UNCHANGED,
            reason=_("inchangé : son contenu est celui déjà importé"),
        )
    for name in changed:
        setattr(event, name, fields[name])
    event.source_updated_at = data.source_updated_at
    if _SEQUENCED.intersection(changed):
        event.sequence += 1
    _clean(event)
    event.save()
    refresh_occurrences(event, at=at)
    return ItemOutcome(
        uid=data.source_uid,
        title=data.title,
        outcome=UPDATED,
        reason=_("modifié : %(fields)s") % {"fields": _labels(changed)},
    )
