"""Forms of the training pages; French errors throughout."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.shops.models import Shop

from .models import Registration, TrainingSession
from .training import SessionData, TaskData


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


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        error_messages=TIME_ERRORS,
        input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
    )


def local_datetime(day: datetime.date, time: datetime.time, tz: ZoneInfo) -> datetime.datetime | None:
    """The moment `day` at `time` on the town's clock; None when that time does not exist that day (the
    hour skipped when clocks go forward)."""
    moment = datetime.datetime.combine(day, time, tzinfo=tz)
    back = moment.astimezone(datetime.UTC).astimezone(tz)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


class SessionForm(forms.Form):
    """A session on one day, from one time to another, on the town's clock."""

    title = forms.CharField(
        label=gettext_lazy("Thème"),
        max_length=150,
        help_text=gettext_lazy("Par exemple « Être trouvé sur Google Maps »."),
        error_messages={"required": gettext_lazy("Donnez un thème à la session.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Ce que les commerçants y apprendront, à qui elle s'adresse, quoi apporter."),
    )
    trainer = forms.CharField(label=gettext_lazy("Formateur ou formatrice"), max_length=150, required=False)
    day = _date_field(gettext_lazy("Date"))
    start = _time_field(gettext_lazy("Début"))
    end = _time_field(gettext_lazy("Fin"))
    place = forms.CharField(
        label=gettext_lazy("Lieu"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Adresse de la salle, si elle a lieu sur place."),
    )
    video_url = forms.URLField(
        label=gettext_lazy("Lien de la visioconférence"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Si elle a lieu à distance."),
        error_messages={"invalid": gettext_lazy("Adresse web illisible : copiez le lien complet.")},
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de places"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": gettext_lazy("Indiquez le nombre de places."),
            "invalid": gettext_lazy("Écrivez un nombre entier."),
            "min_value": gettext_lazy("Une session a au moins une place."),
            "max_value": gettext_lazy("500 places au plus."),
        },
    )
    suggested_tasks = forms.CharField(
        label=gettext_lazy("Tâches de suivi suggérées"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Une par ligne ; après la session, elles préremplissent les tâches proposées à chaque "
            "participant."
        ),
    )

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    @classmethod
    def initial_from(cls, session: TrainingSession, tz: ZoneInfo) -> dict[str, Any]:
        starts, ends = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
        return {
            "title": session.title,
            "description": session.description,
            "trainer": session.trainer,
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "place": session.place,
            "video_url": session.video_url,
            "capacity": session.capacity,
            "suggested_tasks": session.suggested_tasks,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            starts_at, ends_at = local_datetime(day, start, self.tz), local_datetime(day, end, self.tz)
            if starts_at is None:
                self.add_error("start", _("Cette heure n'existe pas ce jour-là (passage à l'heure d'été)."))
            elif ends_at is None:
                self.add_error("end", _("Cette heure n'existe pas ce jour-là (passage à l'heure d'été)."))
            elif ends_at <= starts_at:
                self.add_error("end", _("La fin doit être après le début."))
            else:
                data["starts_at"], data["ends_at"] = starts_at, ends_at
        if (
            not data.get("place", "").strip()
            and not data.get("video_url", "").strip()
            and "video_url" in data
        ):
            self.add_error("place", _("Indiquez le lieu de la session, ou le lien de la visioconférence."))
        return data

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            description=data["description"],
            trainer=data["trainer"],
            place=data["place"],
            video_url=data["video_url"],
            suggested_tasks=data["suggested_tasks"],
        )


class ShopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RegisterForm(forms.Form):
    """For which shop a merchant registers; no question when they run one shop or none."""

    shop = ShopChoiceField(
        label=gettext_lazy("Pour le commerce"),
        queryset=Shop.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, shops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shop"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = shops
        field.error_messages["invalid_choice"] = _("Choisissez l'un des commerces que vous gérez.")
        self.shops = list(shops)
        if len(self.shops) > 1:
            field.required = True
            field.error_messages["required"] = _("Choisissez le commerce pour lequel vous vous inscrivez.")

    def chosen_shop(self) -> Shop | None:
        shop = self.cleaned_data.get("shop")
        if shop is None and len(self.shops) == 1:
            return self.shops[0]
        return shop


ATTENDANCE_CHOICES = [
    ("", gettext_lazy("Non noté")),
    ("yes", gettext_lazy("Présent")),
    ("no", gettext_lazy("Absent")),
]


class AttendanceForm(forms.Form):
    """One choice per confirmed registrant: present, absent, not recorded."""

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            name = f"r{registration.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(registration.user),
                choices=ATTENDANCE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial={True: "yes", False: "no"}.get(registration.attended, ""),  # type: ignore[arg-type]
                error_messages={"invalid_choice": _("Choisissez présent, absent ou non noté.")},
            )

    def rows(self) -> list[tuple[Registration, forms.BoundField]]:
        return [(registration, self[f"r{registration.pk}"]) for registration in self.registrations]

    def attended(self) -> dict[int, bool | None]:
        values = {"yes": True, "no": False, "": None}
        return {r.pk: values[self.cleaned_data.get(f"r{r.pk}") or ""] for r in self.registrations}


class TasksForm(forms.Form):
    """A task for each attendee, prefilled with the session's first suggestion, and one due date for all."""

    due_on = _date_field(gettext_lazy("À faire pour le"), required=False)

    def __init__(self, *args: Any, registrations: list[Registration], suggestion: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"t{registration.pk}"] = forms.CharField(
                label=str(registration.user),
                max_length=200,
                required=False,
                initial=suggestion,
                error_messages={"max_length": _("200 caractères au plus.")},
            )

    def rows(self) -> list[tuple[Registration, forms.BoundField]]:
        return [(registration, self[f"t{registration.pk}"]) for registration in self.registrations]

    def tasks(self) -> list[TaskData]:
        due_on = self.cleaned_data.get("due_on")
        return [
            TaskData(registration_id=r.pk, title=self.cleaned_data.get(f"t{r.pk}") or "", due_on=due_on)
            for r in self.registrations
        ]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de places"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": gettext_lazy("Indiquez le nombre de places."),
            "invalid": gettext_lazy("Écrivez un nombre entier."),
            "min_value": gettext_lazy("Une session a au moins une place."),
            "max_value": gettext_lazy("500 places au plus."),
        },
    )
