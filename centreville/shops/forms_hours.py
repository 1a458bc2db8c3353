"""Form fields to type opening hours day by day, for any form with an OpenStreetMap `opening_hours` field.

Each day is closed, open with one or two ranges (`<input type="time">`, no JavaScript needed), or « comme
la veille »; public holidays are open or closed. The table is written back into the form's raw expression
field by `shops.hours.week_table_expression`, so everything downstream still reads one expression. The raw
field stays in the form for the rare hours a table cannot show; when someone changes it, it wins.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .hours import (
    MAX_RANGES,
    WEEKDAY_NAMES,
    DayRanges,
    TimeRange,
    WeekTable,
    check_range,
    week_table_expression,
    week_table_or_reason,
)

EDITOR = "hours_editor"
HOLIDAYS = "hours_holidays"
CLOSED, OPEN, SAME = "closed", "open", "same"
STATE_CHOICES = (
    (CLOSED, gettext_lazy("Fermé")),
    (OPEN, gettext_lazy("Ouvert")),
    (SAME, gettext_lazy("Comme la veille")),
)
HOLIDAY_CHOICES = (
    ("open", gettext_lazy("Ouvert aux horaires habituels")),
    ("closed", gettext_lazy("Fermé les jours fériés")),
)
RANGE_LABELS = (
    (gettext_lazy("Ouverture"), gettext_lazy("Fermeture")),
    (gettext_lazy("Réouverture (facultatif)"), gettext_lazy("Fermeture")),
)


def _state(day: int) -> str:
    return f"hours_day{day}_state"


def _time(day: int, slot: int, end: bool) -> str:
    return f"hours_day{day}_{'close' if end else 'open'}{slot + 1}"


def _clock(minutes: int) -> time:
    return time((minutes // 60) % 24, minutes % 60)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _normalised(expression: Any) -> str:
    return " ".join(str(expression or "").split())


class TimeWidget(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M", attrs={"step": 60})


class WeeklyHoursMixin(forms.BaseForm):
    """Adds the day-by-day fields to a form whose `hours_field` holds an OpenStreetMap expression.

    Call `add_week_fields()` at the end of `__init__` and `clean_week(cleaned)` from `clean()`.
    """

    hours_field = "opening_hours"

    def add_week_fields(self) -> None:
        expression = _normalised(self.initial.get(self.hours_field))
        self.week_table, self.week_reason = week_table_or_reason(expression)
        # The table may fill an empty raw field: whether hours are required is checked once both are read.
        self.hours_required = self.fields[self.hours_field].required
        self.fields[self.hours_field].required = False
        table = self.week_table or WeekTable()
        self.fields[EDITOR] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.initial[EDITOR] = "week" if self.week_table is not None else ""
        for day, name in enumerate(WEEKDAY_NAMES):
            choices = STATE_CHOICES if day else STATE_CHOICES[:2]  # Monday has no day before it
            self.fields[_state(day)] = forms.ChoiceField(
                label=str(name).capitalize(), choices=choices, widget=forms.RadioSelect, required=False
            )
            ranges = table.days[day]
            same = day > 0 and bool(ranges) and ranges == table.days[day - 1]
            self.initial[_state(day)] = SAME if same else (OPEN if ranges else CLOSED)
            for slot in range(MAX_RANGES):
                for end in (False, True):
                    self.fields[_time(day, slot, end)] = forms.TimeField(
                        label=RANGE_LABELS[slot][end],
                        required=False,
                        widget=TimeWidget(),
                        error_messages={"invalid": gettext_lazy("Heure illisible (exemple : 09:30).")},
                    )
                    if slot < len(ranges) and not same:
                        minutes = ranges[slot].end if end else ranges[slot].start
                        self.initial[_time(day, slot, end)] = _clock(minutes)
        self.fields[HOLIDAYS] = forms.ChoiceField(
            label=gettext_lazy("Jours fériés"),
            choices=HOLIDAY_CHOICES,
            widget=forms.RadioSelect,
            required=False,
        )
        self.initial[HOLIDAYS] = "closed" if table.holidays_closed else "open"

    @property
    def week_field_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("hours_")]

    @property
    def shows_week(self) -> bool:
        """Whether the page shows the day-by-day table (else only the raw expression, and why)."""
        if self.is_bound:
            return self.data.get(self.add_prefix(EDITOR)) == "week"
        return self.week_table is not None

    def week_days(self) -> list[dict[str, Any]]:
        """The bound fields of each day, for the template."""
        return [
            {
                "name": str(name),
                "state": self[_state(day)],
                "ranges": [
                    (self[_time(day, slot, False)], self[_time(day, slot, True)])
                    for slot in range(MAX_RANGES)
                ],
            }
            for day, name in enumerate(WEEKDAY_NAMES)
        ]

    def non_week_fields(self) -> list[forms.BoundField]:
        """Every visible field but the day-by-day ones (for forms drawn field by field)."""
        return [bound for bound in self.visible_fields() if not bound.name.startswith("hours_")]

    def _day_ranges(self, cleaned: dict[str, Any], day: int, previous: DayRanges) -> DayRanges | None:
        name = str(WEEKDAY_NAMES[day])
        state = cleaned.get(_state(day)) or CLOSED
        if state == CLOSED:
            return ()
        if state == SAME:
            return previous
        ranges: list[TimeRange] = []
        failed = False
        for slot in range(MAX_RANGES):
            start, end = cleaned.get(_time(day, slot, False)), cleaned.get(_time(day, slot, True))
            if _time(day, slot, False) in self.errors or _time(day, slot, True) in self.errors:
                failed = True
                continue
            if start is None and end is None:
                continue
            if start is None or end is None:
                missing = _time(day, slot, end is None)
                self.add_error(
                    missing,
                    _("%(day)s : indiquez l'heure d'ouverture et l'heure de fermeture.")
                    % {"day": name.capitalize()},
                )
                failed = True
                continue
            try:
                ranges.append(check_range(_minutes(start), _minutes(end)))
            except ValueError:
                self.add_error(
                    _time(day, slot, True),
                    _("%(day)s : la fermeture (%(end)s) ne vient pas après l'ouverture (%(start)s).")
                    % {
                        "day": name.capitalize(),
                        "start": start.strftime("%H:%M"),
                        "end": end.strftime("%H:%M"),
                    },
                )
                failed = True
        if failed:
            return None
        if not ranges:
            self.add_error(
                _time(day, 0, False),
                _("%(day)s : indiquez les heures d'ouverture, ou choisissez « Fermé ».")
                % {"day": name.capitalize()},
            )
            return None
        if len(ranges) == 2 and not (ranges[0].start < ranges[0].end <= ranges[1].start):
            self.add_error(
                _time(day, 1, False),
                _("%(day)s : la réouverture doit venir après la première fermeture.")
                % {"day": name.capitalize()},
            )
            return None
        return tuple(ranges)

    def clean_week(self, cleaned: dict[str, Any]) -> None:
        """Write the table into the raw expression, unless the table is not in use or the raw field was
        changed (the person then meant the expression they typed); the day fields leave `cleaned`."""
        use_table = cleaned.get(EDITOR) == "week" and _normalised(
            cleaned.get(self.hours_field)
        ) == _normalised(self.initial.get(self.hours_field))
        if use_table:
            days: list[DayRanges] = []
            complete = True
            for day in range(len(WEEKDAY_NAMES)):
                ranges = self._day_ranges(cleaned, day, days[-1] if days else ())
                complete = complete and ranges is not None
                days.append(ranges or ())
            if complete:
                table = WeekTable(days=tuple(days), holidays_closed=cleaned.get(HOLIDAYS) == "closed")
                cleaned[self.hours_field] = week_table_expression(table)
                if self.hours_required and not cleaned[self.hours_field]:
                    self.add_error(None, _("Indiquez au moins un jour d'ouverture."))
        elif self.hours_required and self.hours_field in cleaned and not cleaned[self.hours_field]:
            self.add_error(self.hours_field, _("Indiquez les horaires d'ouverture."))
        for name in self.week_field_names:
            cleaned.pop(name, None)
