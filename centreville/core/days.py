"""Days asked for in an address (`?jour=`, `?du=`, `?au=`): read the same way by pages and the API.

A date can be valid and still unusable: the day after 9999-12-31 does not exist, so the bounds of such a
day overflow. Days are taken between FIRST_DAY and LAST_DAY only; anything else gets a French error
(a 400 on the API, an error on the form), never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import AfterValidator

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def out_of_range_message() -> str:
    return _("Choisissez un jour entre le %(first)s et le %(last)s.") % {
        "first": date_format(FIRST_DAY, "SHORT_DATE_FORMAT"),
        "last": date_format(LAST_DAY, "SHORT_DATE_FORMAT"),
    }


def day_in_range(day: date) -> date:
    """`day` itself, or ValueError with the French message when it is outside FIRST_DAY…LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(out_of_range_message())
    return day


class DayField(forms.DateField):
    """A day typed or picked on a page (AAAA-MM-JJ or JJ/MM/AAAA), between FIRST_DAY and LAST_DAY."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(**kwargs)
        self.widget.attrs.update(min=FIRST_DAY.isoformat(), max=LAST_DAY.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(out_of_range_message(), code="out_of_range")


# A day in the API's query strings, with the same bounds and message (a 400 in the API's error shape).
ApiDay = Annotated[date, AfterValidator(day_in_range)]
