"""The town team's and organisers' forms: an event with its recurrence, its status, a refusal, the settings.

The recurrence is a simple choice (none, every week on chosen days, every month on the same date or the same
weekday) with an « until » date and days excluded, written as an RFC 5545 RRULE; an advanced field takes a
raw RRULE instead."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms_dates import (
    DATE_FORMATS,
    URL_ERRORS,
    DatesMixin,
    ImageMixin,
    PriceMixin,
    date_field,
    local_datetime,
    time_field,
)
from .models import (
    TOWN_KINDS,
    Accessibility,
    AgendaSettings,
    Audience,
    Event,
    EventKind,
    EventStatus,
    PlaceKind,
)
from .recurrence import parse_rule
from .services import EventData

WEEKDAYS = [
    ("MO", gettext_lazy("lundi")),
    ("TU", gettext_lazy("mardi")),
    ("WE", gettext_lazy("mercredi")),
    ("TH", gettext_lazy("jeudi")),
    ("FR", gettext_lazy("vendredi")),
    ("SA", gettext_lazy("samedi")),
    ("SU", gettext_lazy("dimanche")),
]
NONE, WEEKLY, MONTHLY_DAY, MONTHLY_WEEKDAY = "none", "weekly", "monthly_day", "monthly_weekday"
REPEAT_CHOICES = [
    (NONE, gettext_lazy("Une seule fois")),
    (WEEKLY, gettext_lazy("Chaque semaine, les jours cochés")),
    (MONTHLY_DAY, gettext_lazy("Chaque mois, à la même date (par exemple le 12 de chaque mois)")),
    (
        MONTHLY_WEEKDAY,
        gettext_lazy("Chaque mois, le même jour de la semaine (par exemple le 2e samedi de chaque mois)"),
    ),
]
EVENT_KIND_CHOICES = [(kind.value, kind.label) for kind in EventKind if kind in TOWN_KINDS] + [
    (EventKind.BRADERIE.value, EventKind.BRADERIE.label)
]


def build_rrule(
    *, repeat: str, weekdays: list[str], until: datetime.date | None, start: datetime.date
) -> str:
    """The RRULE of a simple choice; UNTIL is the last moment of that day on the event's local clock."""
    if repeat == NONE:
        return ""
    if repeat == WEEKLY:
        days = weekdays or [WEEKDAYS[start.weekday()][0]]
        parts = ["FREQ=WEEKLY", "BYDAY=" + ",".join(code for code, _label in WEEKDAYS if code in days)]
    elif repeat == MONTHLY_DAY:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    else:
        rank = (start.day - 1) // 7 + 1
        parts = ["FREQ=MONTHLY", f"BYDAY={-1 if rank == 5 else rank}{WEEKDAYS[start.weekday()][0]}"]
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def read_rrule(rule: str) -> dict[str, Any] | None:
    """The simple choice a rule was built from, or None when only the advanced field can show it."""
    if not rule:
        return {"repeat": NONE}
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    until = None
    if "UNTIL" in parts:
        match = re.fullmatch(r"(\d{8})(T235959)?Z?", parts.pop("UNTIL"))
        if not match or not match.group(2):
            return None
        until = datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
    freq = parts.pop("FREQ", "")
    if freq == "WEEKLY" and set(parts) == {"BYDAY"}:
        days = parts["BYDAY"].split(",")
        if all(day in dict(WEEKDAYS) for day in days):
            return {"repeat": WEEKLY, "weekdays": days, "until": until}
    if freq == "MONTHLY" and set(parts) == {"BYMONTHDAY"}:
        return {"repeat": MONTHLY_DAY, "until": until}
    if freq == "MONTHLY" and set(parts) == {"BYDAY"} and re.fullmatch(r"-?\d[A-Z]{2}", parts["BYDAY"]):
        return {"repeat": MONTHLY_WEEKDAY, "until": until}
    return None


class EventForm(ImageMixin, PriceMixin, DatesMixin):
    kind = forms.ChoiceField(label=gettext_lazy("Type d'événement"), choices=EVENT_KIND_CHOICES)
    title = forms.CharField(
        label=gettext_lazy("Titre"),
        max_length=140,
        error_messages={"required": gettext_lazy("Donnez un titre à l'événement.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    repeat = forms.ChoiceField(
        label=gettext_lazy("Répétition"), choices=REPEAT_CHOICES, widget=forms.RadioSelect, initial=NONE
    )
    weekdays = forms.MultipleChoiceField(
        label=gettext_lazy("Jours de la semaine"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Pour une répétition chaque semaine ; aucun coché : le jour de la première date."
        ),
    )
    until = date_field(gettext_lazy("Jusqu'au"), required=False, help_text=gettext_lazy("Vide : sans fin."))
    exceptions = forms.CharField(
        label=gettext_lazy("Sauf les"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Les jours sans l'événement, un par ligne, par exemple 26/12/2026."),
    )
    advanced_rrule = forms.CharField(
        label=gettext_lazy("Règle de récurrence avancée (RRULE)"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "Pour les cas que les choix ci-dessus ne couvrent pas, par exemple "
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA. Elle remplace la répétition choisie."
        ),
    )
    place_kind = forms.ChoiceField(
        label=gettext_lazy("Où"),
        choices=[
            (PlaceKind.VENUE.value, PlaceKind.VENUE.label),
            (PlaceKind.CENTRE.value, PlaceKind.CENTRE.label),
        ],
        widget=forms.RadioSelect,
        initial=PlaceKind.VENUE,
    )
    venue_name = forms.CharField(label=gettext_lazy("Nom du lieu"), max_length=150, required=False)
    address = forms.CharField(label=gettext_lazy("Adresse"), max_length=250, required=False)
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        error_messages={"invalid": gettext_lazy("Écrivez un nombre, par exemple 48.744.")},
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        error_messages={"invalid": gettext_lazy("Écrivez un nombre, par exemple -0.0197.")},
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Pour qui"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Cochez « Tout public » si chacun est le bienvenu."),
        error_messages={"invalid_choice": gettext_lazy("Choisissez un public dans la liste.")},
    )
    accessibility = forms.MultipleChoiceField(
        label=gettext_lazy("Accessibilité"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Cochez seulement ce que le lieu et l'organisation permettent vraiment."),
        error_messages={"invalid_choice": gettext_lazy("Choisissez une accessibilité dans la liste.")},
    )
    accessibility_details = forms.CharField(
        label=gettext_lazy("Précisions sur l'accessibilité"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Par exemple : rampe côté rue de la Poste, boucle magnétique à l'accueil."),
    )
    price_details = forms.CharField(label=gettext_lazy("Détail des tarifs"), max_length=250, required=False)
    registration_url = forms.URLField(
        label=gettext_lazy("Lien d'inscription ou de réservation"),
        required=False,
        assume_scheme="https",
        error_messages=URL_ERRORS,
    )
    organiser_name = forms.CharField(label=gettext_lazy("Organisateur"), max_length=150, required=False)

    field_order = [
        "kind",
        "title",
        "description",
        "day",
        "all_day",
        "start_time",
        "end_time",
        "end_day",
        "repeat",
        "weekdays",
        "until",
        "exceptions",
        "advanced_rrule",
        "place_kind",
        "venue_name",
        "address",
        "latitude",
        "longitude",
        "audiences",
        "accessibility",
        "accessibility_details",
        "is_free",
        "price",
        "price_details",
        "registration_url",
        "organiser_name",
        "image",
        "image_alt",
    ]

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    @classmethod
    def initial_from(cls, event: Event, tz: ZoneInfo) -> dict[str, Any]:
        initial = {
            **DatesMixin.dates_initial(event, tz),
            **{
                name: getattr(event, name)
                for name in (
                    "kind",
                    "title",
                    "description",
                    "place_kind",
                    "venue_name",
                    "address",
                    "latitude",
                    "longitude",
                    "is_free",
                    "price",
                    "price_details",
                    "registration_url",
                    "organiser_name",
                    "audiences",
                    "accessibility",
                    "accessibility_details",
                )
            },
            "exceptions": "\n".join(
                datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y") for value in event.exdates
            ),
        }
        simple = read_rrule(event.rrule)
        if simple is None:
            initial.update(repeat=NONE, advanced_rrule=event.rrule)
        else:
            initial.update(simple)
        return initial

    def clean_exceptions(self) -> list[str]:
        values = []
        for line in (self.cleaned_data.get("exceptions") or "").splitlines():
            text = line.strip()
            if not text:
                continue
            for pattern in DATE_FORMATS:
                try:
                    values.append(datetime.datetime.strptime(text, pattern).date().isoformat())
                    break
                except ValueError:
                    continue
            else:
                raise ValidationError(
                    _("Date illisible : « %(value)s ». Écrivez une date par ligne, par exemple 26/12/2026.")
                    % {"value": text}
                )
        return values

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("place_kind") == PlaceKind.VENUE and not (
            (data.get("venue_name") or "").strip() or (data.get("address") or "").strip()
        ):
            self.add_error("venue_name", _("Indiquez le nom du lieu ou son adresse."))
        day = data.get("day")
        if day is None or "starts_at" not in data:
            return data
        advanced = (data.get("advanced_rrule") or "").strip()
        if advanced:
            rule = advanced.removeprefix("RRULE:")
            field = "advanced_rrule"
        else:
            until = data.get("until")
            if until is not None and until < day:
                self.add_error(
                    "until", _("La date de fin de la répétition doit venir après la première date.")
                )
                return data
            rule = build_rrule(
                repeat=data.get("repeat") or NONE, weekdays=data.get("weekdays") or [], until=until, start=day
            )
            field = "repeat"
        if rule:
            try:
                parse_rule(rule, local_start=data["starts_at"].astimezone(self.tz).replace(tzinfo=None))
            except ValidationError as error:
                self.add_error(field, error)
                return data
        data["rrule"] = rule
        return data

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            kind=data["kind"],
            title=data["title"],
            description=data.get("description") or "",
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            all_day=bool(data.get("all_day")),
            rrule=data.get("rrule", ""),
            exdates=tuple(data.get("exceptions") or ()),
            place_kind=data["place_kind"],
            venue_name=data.get("venue_name") or "",
            address=data.get("address") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            is_free=bool(data.get("is_free")),
            price=data.get("price"),
            price_details=data.get("price_details") or "",
            registration_url=data.get("registration_url") or "",
            organiser_name=data.get("organiser_name") or "",
            audiences=tuple(data.get("audiences") or ()),
            accessibility=tuple(data.get("accessibility") or ()),
            accessibility_details=data.get("accessibility_details") or "",
        )


class StatusForm(forms.Form):
    """Cancel, postpone (optionally to new dates), mark full, or schedule again."""

    status = forms.ChoiceField(
        label=gettext_lazy("Nouveau statut"), choices=EventStatus.choices, widget=forms.RadioSelect
    )
    new_day = date_field(
        gettext_lazy("Nouvelle date (report)"),
        required=False,
        help_text=gettext_lazy("Vide : reporté à une date qui sera annoncée."),
    )
    new_start_time = time_field(gettext_lazy("Nouvelle heure de début"))
    new_end_time = time_field(gettext_lazy("Nouvelle heure de fin"))

    def __init__(self, *args: Any, tz: ZoneInfo, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz, self.event = tz, event

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("new_day")
        data["new_starts_at"] = data["new_ends_at"] = None
        if day is None:
            return data
        if data.get("status") != EventStatus.POSTPONED:
            self.add_error("new_day", _("Seul un report change la date."))
            return data
        old_start = self.event.starts_at.astimezone(self.tz)
        old_end = self.event.ends_at.astimezone(self.tz)
        start = data.get("new_start_time") or old_start.time()
        end = data.get("new_end_time") or old_end.time()
        end_day = day + (old_end.date() - old_start.date())
        starts_at, ends_at = local_datetime(day, start, self.tz), local_datetime(end_day, end, self.tz)
        if starts_at is None or ends_at is None:
            self.add_error(
                "new_start_time", _("Cette heure n'existe pas ce jour-là (passage à l'heure d'été).")
            )
        elif ends_at <= starts_at:
            self.add_error("new_end_time", _("La fin doit venir après le début."))
        else:
            data["new_starts_at"], data["new_ends_at"] = starts_at, ends_at
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("L'auteur le lira : dites ce qu'il faut changer."),
        error_messages={
            "required": gettext_lazy("Dites pourquoi : l'auteur lira ce motif."),
            "max_length": gettext_lazy("250 caractères au plus."),
        },
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AgendaSettings
        fields = ["offers_need_approval", "organiser_events_need_approval"]
