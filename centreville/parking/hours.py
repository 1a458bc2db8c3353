"""Opening hours of car parks, in OpenStreetMap `opening_hours` syntax, read with the opening-hours library
(the shops' helper is in a layer above this app: the library is used directly, the same way)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


DAY_NAMES = (
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
)


def _clock(moment: datetime, day_end: datetime) -> str:
    return _("minuit") if moment == day_end else moment.strftime("%H:%M")


def _day_words(hours: opening_hours.OpeningHours, start: datetime, end: datetime) -> str:
    openings = [
        (max(low, start), min(high, end))
        for low, high, state, _comment in hours.intervals(start, end)
        if state == opening_hours.State.OPEN and min(high, end) > max(low, start)
    ]
    if not openings:
        return _("fermé")
    if openings == [(start, end)]:
        return _("24 h sur 24")
    parts = [_("%(start)s–%(end)s") % {"start": _clock(a, end), "end": _clock(b, end)} for a, b in openings]
    return ", ".join(parts)


def week_in_words(expression: str, tz_name: str, *, at: datetime) -> str:
    """The regular week of `at` in words, days with the same hours grouped: « du lundi au samedi : 07:00–
    20:00 ; dimanche : fermé », « 24 h sur 24, 7 jours sur 7 »; "" without hours (or unreadable ones)."""
    if not expression:
        return ""
    tz = ZoneInfo(tz_name)
    try:
        hours = opening_hours.OpeningHours(expression, timezone=tz)
        today = at.astimezone(tz).date()
        monday = today - timedelta(days=today.weekday())
        days = []
        for offset in range(7):
            start = datetime.combine(monday + timedelta(days=offset), time(), tzinfo=tz)
            end = datetime.combine(monday + timedelta(days=offset + 1), time(), tzinfo=tz)
            days.append(_day_words(hours, start, end))
    except UNREADABLE:
        return ""
    if all(words == days[0] for words in days) and days[0] == _("24 h sur 24"):
        return _("24 h sur 24, 7 jours sur 7")
    groups: list[tuple[int, int, str]] = []
    for index, words in enumerate(days):
        if groups and groups[-1][2] == words:
            groups[-1] = (groups[-1][0], index, words)
        else:
            groups.append((index, index, words))
    parts = []
    for first, last, words in groups:
        if first == last:
            when = str(DAY_NAMES[first])
        elif last == first + 1:
            when = _("%(first)s et %(last)s") % {"first": DAY_NAMES[first], "last": DAY_NAMES[last]}
        else:
            when = _("du %(first)s au %(last)s") % {"first": DAY_NAMES[first], "last": DAY_NAMES[last]}
        parts.append(f"{when} : {words}")
    return " ; ".join(parts)
