"""Forms of the coaching pages: what people type; the rules are in `coaching.py`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from centreville.accounts.models import User
from centreville.shops.hours import WEEKDAY_NAMES
from centreville.shops.models import Shop

from .models.coaching import NEXT_STEP_MAX_LENGTH, NOTE_MAX_LENGTH, ActionKind, ReviewOutcome

DEFAULT_WEEKS = 8


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ExpertChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ExpertsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Nom du programme"), max_length=120)
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Fin"), widget=DateInput(), help_text=_("Un programme dure souvent 8 semaines.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    experts = ExpertsChoice(
        label=_("Experts du programme"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les personnes qui ont le rôle « Expert bénévole » dans la ville."),
    )

    def __init__(self, *args: Any, experts: QuerySet[User], today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": today, "ends_on": today + timedelta(weeks=DEFAULT_WEEKS)})
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts  # type: ignore[attr-defined]


class AddExpertsForm(forms.Form):
    experts = ExpertsChoice(
        label=_("Experts à ajouter"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, experts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts  # type: ignore[attr-defined]


class ShopChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PairForm(forms.Form):
    expert = ExpertChoice(label=_("Expert"), queryset=User.objects.none(), empty_label=_("Choisir un expert"))
    shop = ShopChoice(label=_("Commerce"), queryset=Shop.objects.none(), empty_label=_("Choisir un commerce"))
    kind = forms.ChoiceField(label=_("Action choisie"), choices=ActionKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Intitulé (pour « Autre action »)"), max_length=120, required=False)
    goal = forms.CharField(
        label=_("Objectif"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le commerce saura faire à la fin, en une ou deux phrases."),
    )

    def __init__(self, *args: Any, experts: QuerySet[User], shops: QuerySet[Shop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts  # type: ignore[attr-defined]
        self.fields["shop"].queryset = shops  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    prefix = "etape"
    title = forms.CharField(label=_("Étape"), max_length=120)
    due_on = forms.DateField(label=_("Pour le"), widget=DateInput())


class SlotForm(forms.Form):
    """The slot picked: its start as written in the radio button's value (ISO 8601 with its offset); the
    service says, in French, when it is not offered or was taken meanwhile."""

    starts_at = forms.CharField(label=_("Créneau"), error_messages={"required": _("Choisissez un créneau.")})

    def clean_starts_at(self) -> datetime:
        value = self.cleaned_data["starts_at"]
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(
                _("Ce créneau est illisible : choisissez-en un dans la liste.")
            ) from None
        if moment.tzinfo is None:
            raise forms.ValidationError(_("Ce créneau est illisible : choisissez-en un dans la liste."))
        return moment


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note après le rendez-vous"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui s'est dit, en quelques lignes (500 caractères au plus) : le commerçant la lit."),
        error_messages={
            "max_length": _("La note tient en %(limit_value)d caractères au plus (elle en a %(show_value)d).")
        },
    )
    next_step = forms.CharField(label=_("Prochaine étape"), max_length=NEXT_STEP_MAX_LENGTH, required=False)


class EndReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Résultat de l'action"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    what_changed = forms.CharField(
        label=_("Ce qui a changé pour le commerce"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


RATINGS = [(str(n), str(n)) for n in range(1, 6)]


class MerchantReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note de l'accompagnement (1 : pas utile, 5 : très utile)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Donnez une note de 1 à 5.")},
    )
    comment = forms.CharField(
        label=_("Votre commentaire"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreferenceForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Jour"),
        choices=[("", _("Pas de préférence"))] + [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start = forms.TimeField(label=_("À partir de"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Jusqu'à"), required=False, widget=TimeInput())
