"""What the agenda's forms share: dates and times on the town's clock, price, image; French errors."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Event


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


DATE_ERRORS = {
    "invalid": gettext_lazy("Date illisible : écrivez-la sous la forme 31/12/2026."),
    "required": gettext_lazy("Indiquez la date."),
}
TIME_ERRORS = {
    "invalid": gettext_lazy("Heure illisible : écrivez-la sous la forme 14:30."),
    "required": gettext_lazy("Indiquez l'heure."),
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        input_formats=DATE_FORMATS,
        help_text=help_text,
    )


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=TimeInput(),
        error_messages=TIME_ERRORS,
        input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
    )


def local_datetime(day: datetime.date, time: datetime.time, tz: ZoneInfo) -> datetime.datetime | None:
    """`day` at `time` on the town's clock; None when that time does not exist that day (the hour skipped
    when clocks go forward). A time the autumn change repeats is its first pass (summer time)."""
    moment = datetime.datetime.combine(day, time, tzinfo=tz)
    back = moment.astimezone(datetime.UTC).astimezone(tz)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


class DatesMixin(forms.Form):
    """A first day, a start and an end time (or « toute la journée »), and an optional last day.

    `clean()` leaves `starts_at` and `ends_at` (aware, on the town's clock) in `cleaned_data`."""

    day = date_field(gettext_lazy("Date"))
    all_day = forms.BooleanField(label=gettext_lazy("Toute la journée"), required=False)
    start_time = time_field(gettext_lazy("Heure de début"))
    end_time = time_field(gettext_lazy("Heure de fin"))
    end_day = date_field(
        gettext_lazy("Dernier jour"),
        required=False,
        help_text=gettext_lazy("Seulement si elle dure plusieurs jours d'affilée."),
    )

    tz: ZoneInfo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, end_day = data.get("day"), data.get("end_day")
        if day is None:
            return data
        last = end_day or day
        if end_day is not None and end_day < day:
            self.add_error("end_day", _("Le dernier jour doit venir après le premier."))
            return data
        if data.get("all_day"):
            data["starts_at"] = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)
            data["ends_at"] = datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.tz
            )
            return data
        start, end = data.get("start_time"), data.get("end_time")
        if start is None and "start_time" not in self.errors:
            self.add_error("start_time", _("Indiquez l'heure de début, ou cochez « Toute la journée »."))
        if end is None and "end_time" not in self.errors:
            self.add_error("end_time", _("Indiquez l'heure de fin, ou cochez « Toute la journée »."))
        if start is None or end is None:
            return data
        starts_at = local_datetime(day, start, self.tz)
        ends_at = local_datetime(last, end, self.tz)
        skipped = _(
            "%(time)s n'existe pas le %(date)s : cette nuit-là, on passe de 2:00 à 3:00 (heure d'été). "
            "Choisissez une autre heure."
        )
        if starts_at is None:
            self.add_error(
                "start_time", skipped % {"time": f"{start:%H:%M}", "date": day.strftime("%d/%m/%Y")}
            )
        if ends_at is None:
            self.add_error("end_time", skipped % {"time": f"{end:%H:%M}", "date": last.strftime("%d/%m/%Y")})
        if starts_at is None or ends_at is None:
            return data
        if ends_at <= starts_at:
            self.add_error(
                "end_time",
                _(
                    "La fin doit venir après le début. Pour finir après minuit, indiquez le lendemain comme "
                    "dernier jour."
                ),
            )
            return data
        data["starts_at"], data["ends_at"] = starts_at, ends_at
        return data

    @staticmethod
    def dates_initial(event: Event, tz: ZoneInfo) -> dict[str, Any]:
        starts, ends = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
        if event.all_day:
            last = (ends - datetime.timedelta(microseconds=1)).date()
            return {"day": starts.date(), "all_day": True, "end_day": last if last != starts.date() else None}
        return {
            "day": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "end_day": ends.date() if ends.date() != starts.date() else None,
        }


class PriceMixin(forms.Form):
    is_free = forms.BooleanField(label=gettext_lazy("Gratuit"), required=False)
    price = forms.DecimalField(
        label=gettext_lazy("Prix à partir de (€)"),
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": gettext_lazy("Écrivez un prix, par exemple 4,50."),
            "min_value": gettext_lazy("Un prix n'est pas négatif."),
            "max_decimal_places": gettext_lazy("Deux chiffres après la virgule au plus."),
        },
    )

    def clean_price(self) -> Decimal | None:
        price: Decimal | None = self.cleaned_data.get("price")
        if price is not None and self.cleaned_data.get("is_free") and price > 0:
            raise forms.ValidationError(_("Une offre gratuite n'a pas de prix : décochez « Gratuit »."))
        return price


class ImageMixin(forms.Form):
    image = forms.ImageField(
        label=gettext_lazy("Image"),
        required=False,
        help_text=gettext_lazy("Facultative. JPEG, PNG ou WebP ; elle est recadrée et allégée pour vous."),
        error_messages={"invalid_image": gettext_lazy("Ce fichier n'est pas une image lisible.")},
    )
    image_alt = forms.CharField(
        label=gettext_lazy("Ce que montre l'image"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Pour les personnes qui ne la voient pas."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Dites en quelques mots ce que montre l'image."))
        return data


URL_ERRORS = {"invalid": gettext_lazy("Adresse web illisible : copiez le lien complet.")}
