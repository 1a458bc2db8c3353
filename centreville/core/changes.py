"""Writing only what an update changes.

The services that change a row take the new values as keyword arguments, checked against the names their
module allows (an unknown name is a mistake in the calling code: refused before anything is touched). They
then write only the columns whose value differs from the instance they were given: a change made meanwhile
to another column of the same row is kept, and an update that changes nothing writes nothing (so the audit
trail records nothing either).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from .audit import recorded_if_audited

_M = TypeVar("_M", bound=models.Model)


def refuse_unknown_fields(service: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise TypeError if `given` names a field that `service` does not change."""
    allowed = frozenset(allowed)
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise TypeError(
            f"{service}() cannot change {', '.join(unknown)}: it changes only {', '.join(sorted(allowed))}"
        )


def _columns(obj: models.Model) -> list[models.Field[Any, Any]]:
    return [field for field in obj._meta.concrete_fields if not field.primary_key]


class FieldChanges(Generic[_M]):
    """New values set on an instance, with its previous ones kept to tell (and save) what really changed."""

    def __init__(self, obj: _M, values: Mapping[str, Any]) -> None:
        self.obj = obj
        # Deferred columns are not read (it would cost a query each); one that is set counts as changed.
        deferred = obj.get_deferred_fields()
        self._before = {
            field.attname: copy.copy(getattr(obj, field.attname))
            for field in _columns(obj)
            if field.attname not in deferred
        }
        attnames = {field.name: field.attname for field in _columns(obj)}
        self._set_deferred = {attnames.get(name, name) for name in values} & deferred
        for name, value in values.items():
            setattr(obj, name, value)

    def changed(self) -> list[str]:
        """The columns (attribute names) whose value now differs from before."""
        differing = [name for name, old in self._before.items() if getattr(self.obj, name) != old]
        return [*differing, *sorted(self._set_deferred)]

    def undo(self) -> None:
        """Put the previous values back (after a refused change, the instance shows what is saved)."""
        for name, old in self._before.items():
            setattr(self.obj, name, old)

    @contextmanager
    def undone_if_refused(self) -> Iterator[None]:
        """Around the checks of the new values: if they raise ValidationError, undo() and let it through."""
        try:
            yield
        except ValidationError:
            self.undo()
            raise

    def save(self) -> list[str]:
        """Write the changed columns only (a new instance is inserted whole); return their names."""
        changed = self.changed()
        if self.obj._state.adding:
            self.obj.save()
        elif changed:
            stamps = [field.attname for field in _columns(self.obj) if getattr(field, "auto_now", False)]
            with recorded_if_audited(type(self.obj), changed):
                self.obj.save(update_fields=[*changed, *(name for name in stamps if name not in changed)])
        return changed
