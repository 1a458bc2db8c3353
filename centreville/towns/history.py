"""The history of a town's settings, fulfilment rules and prices, as its team reads it.

The entries come from the audit trail (`centreville.core.audit`): each one is kept with the id of the town
it concerns, so this module lists them without knowing the apps whose rows they describe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.audit import TOWN_KEY

from .models import Town


@dataclass(frozen=True)
class FieldChange:
    label: str  # the field's name as its form shows it
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: User | None
    actor_email: str  # kept by the trail when the person's account is gone
    subject: str  # what was changed: « Zone de livraison : Centre-ville »
    changes: list[FieldChange]


def town_history(town: Town) -> QuerySet[LogEntry]:
    """The audit trail of `town`, newest first."""
    return (
        LogEntry.objects.filter(**{f"additional_data__{TOWN_KEY}": town.pk})
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def history_entry(entry: LogEntry) -> HistoryEntry:
    """One entry of the trail in words: the fields' names, and their values as the site writes them."""
    model = entry.content_type.model_class()
    # In the order of the model's fields, as its forms show them.
    position = {field.name: n for n, field in enumerate(model._meta.fields)} if model is not None else {}
    recorded = sorted(
        entry.changes_dict.items(), key=lambda item: (position.get(item[0], len(position)), item[0])
    )
    changes = [
        FieldChange(label=capfirst(str(getattr(field, "verbose_name", name))), before=before, after=after)
        for name, values in recorded
        for field in [_field(model, name)]
        for before, after in [(_value_in_words(field, values[0]), _value_in_words(field, values[1]))]
        if before != after  # a row created with a field left empty
    ]
    return HistoryEntry(
        at=entry.timestamp,
        actor=entry.actor,
        actor_email=entry.actor_email or "",
        subject=_subject(model, entry),
        changes=changes,
    )


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since
        return None
    return field if isinstance(field, models.Field) else None


def _subject(model: type[models.Model] | None, entry: LogEntry) -> str:
    kind = capfirst(str(model._meta.verbose_name)) if model is not None else entry.content_type.model
    if entry.action == LogEntry.Action.CREATE:
        return _("%(kind)s : %(name)s (création)") % {"kind": kind, "name": entry.object_repr}
    if entry.action == LogEntry.Action.DELETE:
        return _("%(kind)s : %(name)s (suppression)") % {"kind": kind, "name": entry.object_repr}
    return _("%(kind)s : %(name)s") % {"kind": kind, "name": entry.object_repr}


def _value_in_words(field: models.Field[Any, Any] | None, value: Any) -> str:
    """A recorded value as the site writes it: « oui », « 12,50 », the label of a choice…"""
    if value is None or value in ("", [], "None"):
        return _("(vide)")
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("oui") if value in (True, "True") else _("non")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField):
        try:
            return formats.number_format(Decimal(str(value)), decimal_pos=field.decimal_places)
        except InvalidOperation:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, int):
        return formats.number_format(value)
    return str(value)
