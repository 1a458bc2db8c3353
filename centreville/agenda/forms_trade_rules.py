"""Forms of the rules of trade: the town's Sundays, a shop joining one, braderie declarations, decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from centreville.shops.models import Shop

from .forms_dates import date_field
from .trade_rules import DeclarationData


class SundayForm(forms.Form):
    date = date_field(gettext_lazy("Dimanche"))
    decree = forms.CharField(
        label=gettext_lazy("Arrêté municipal"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Sa référence, par exemple « 2026-154 »."),
    )
    note = forms.CharField(
        label=gettext_lazy("Occasion"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Par exemple « Soldes d'hiver »."),
    )


class JoinSundayForm(forms.Form):
    hours = forms.CharField(
        label=gettext_lazy("Horaires d'ouverture"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Par exemple 10:00-18:00 ; vide : toute la journée."),
    )


class DeclarationForm(forms.Form):
    declarant_name = forms.CharField(
        label=gettext_lazy("Déclarant"),
        max_length=150,
        error_messages={"required": gettext_lazy("Indiquez qui déclare la vente.")},
    )
    shop: forms.ModelChoiceField[Shop] = forms.ModelChoiceField(
        label=gettext_lazy("Commerce"),
        queryset=Shop.objects.none(),
        required=False,
        empty_label=gettext_lazy("Aucun (association, particulier…)"),
    )
    site = forms.CharField(
        label=gettext_lazy("Lieu de la vente"),
        max_length=250,
        help_text=gettext_lazy("Rue ou place : les jours sont comptés par lieu."),
        error_messages={"required": gettext_lazy("Indiquez le lieu de la vente.")},
    )
    starts_on = date_field(gettext_lazy("Premier jour"))
    ends_on = date_field(gettext_lazy("Dernier jour"))
    goods = forms.CharField(
        label=gettext_lazy("Marchandises vendues"),
        max_length=250,
        error_messages={"required": gettext_lazy("Indiquez les marchandises vendues.")},
    )
    received_on = date_field(gettext_lazy("Déclaration reçue le"))

    def __init__(self, *args: Any, shops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A ModelChoiceField; the stubs type `fields` as plain Fields, without `queryset`.
        self.fields["shop"].queryset = shops  # type: ignore[attr-defined]

    def declaration_data(self) -> DeclarationData:
        data = self.cleaned_data
        return DeclarationData(
            declarant_name=data["declarant_name"],
            shop=data.get("shop"),
            site=data["site"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            goods=data["goods"],
            received_on=data["received_on"],
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[("accept", gettext_lazy("Accepter")), ("refuse", gettext_lazy("Refuser"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez : accepter ou refuser.")},
    )
    note = forms.CharField(label=gettext_lazy("Motif ou note"), max_length=250, required=False)
