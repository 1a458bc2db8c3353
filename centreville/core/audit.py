"""The audit trail of what a town would have to justify: its settings, fulfilment rules and prices.

django-auditlog records who changed which field, when, with the value before and after: the person comes
from the request (`AuditActorMiddleware`); changes made by commands and the worker record nobody. A model
takes part by mixing in `TownAudited` and naming the fields worth a trace in `audited_fields`; every entry
keeps the id of the town it concerns, so that the town's history page lists them without knowing the apps
that own them.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from operator import attrgetter
from typing import Any, ClassVar

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.apps import apps

# The key of the town in each entry's additional data.
TOWN_KEY = "town_id"


class TownAudited:
    """Mixed into a model whose changes to `audited_fields` go to one town's history."""

    audited_fields: ClassVar[tuple[str, ...]] = ()
    # Where a row finds the id of its town, e.g. "shop.town_id" ("pk" for the town itself).
    audit_town: ClassVar[str] = "town_id"
    # Whether the rows created and deleted are recorded too, with their values. Not for rows that come and
    # go by the thousand with imports (products): a new row's first values are in the row itself.
    audit_creations: ClassVar[bool] = True

    def get_additional_data(self) -> dict[str, Any]:
        """What django-auditlog keeps with each entry besides the change: the town it concerns."""
        return {TOWN_KEY: attrgetter(self.audit_town)(self)}


def recorded_if_audited(model: type, fields: Iterable[str]) -> AbstractContextManager[Any]:
    """Around a save of `fields` only: django-auditlog reads the row back before each save to compare it,
    a query for nothing when none of these fields is recorded (a product's stock, say)."""
    if set(getattr(model, "audited_fields", ())) & set(fields):
        return nullcontext()
    return disable_auditlog()


def register_audited_models() -> None:
    """Have django-auditlog record the changes of every TownAudited model (called once, at start-up)."""
    for model in apps.get_models():
        if issubclass(model, TownAudited):
            if not model.audited_fields:
                raise TypeError(f"{model.__name__} is TownAudited but names no audited_fields")
            auditlog.register(model, include_fields=list(model.audited_fields))
    pre_log.connect(_only_changes_where_asked, dispatch_uid="centreville.core.audit")


def _only_changes_where_asked(sender: type, action: int, **kwargs: Any) -> bool:
    """False (django-auditlog then records nothing) for a row created or deleted that is not to be."""
    creation_or_deletion = action in (LogEntry.Action.CREATE, LogEntry.Action.DELETE)
    return not (creation_or_deletion and not getattr(sender, "audit_creations", True))
