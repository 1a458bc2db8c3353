"""Opening hours of car parks, in OpenStreetMap `opening_hours` syntax, read with the opening-hours library
(the shops' helper is in a layer above this app: the library is used directly, the same way)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UNREADABLE: tuple[type[Exception], ...] = (getattr(opening_hours, "ParserError", SyntaxError), ValueError)


def valid_expression(expression: str) -> bool:
    return bool(opening_hours.validate(expression))


def validate_opening_hours(expression: str) -> None:
    """A model and form validator: the expression must be OpenStreetMap `opening_hours` syntax."""
    if expression and not valid_expression(expression):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un horaire au format OpenStreetMap "
                "(par exemple « Mo-Sa 07:00-21:00 »)."
            ),
            code="opening_hours",
            params={"value": expression},
        )


def is_open(expression: str, tz_name: str, *, at: datetime) -> bool | None:
    """Whether the hours say open at `at` on the town's clock; None without hours (or unreadable ones)."""
    if not expression:
        return None
    try:
        hours = opening_hours.OpeningHours(expression, timezone=ZoneInfo(tz_name))
        return bool(hours.is_open(at.astimezone(ZoneInfo(tz_name))))
    except UNREADABLE:
        return None
