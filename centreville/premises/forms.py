"""The town team's forms about units, their history and business projects; French errors throughout."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.shops.models import Shop, TradeCategory

from . import services
from .models import BusinessProject, CommercialUnit, Occupancy, ProposalOutcome, UnitState
from .selectors import NO_HISTORY, UnitFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label: str | Any, *, required: bool = True, help_text: str | Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": gettext_lazy("Date illisible : écrivez-la sous la forme 31/12/2025.")},
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class ShopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _offer_shops(form: forms.BaseForm, shops: Any) -> None:
    """The shops a unit may be occupied by: the town's (selectors.town_shops)."""
    field = form.fields["shop"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = shops
    field.error_messages["invalid_choice"] = _("Ce commerce n'est pas dans la liste : choisissez-en un.")


class _OccupantFields(forms.Form):
    """The state and, when occupied, who occupies the unit: a shop of the platform or a name."""

    state = forms.ChoiceField(label=gettext_lazy("État"), choices=UnitState.choices, widget=forms.RadioSelect)
    shop = ShopChoiceField(
        label=gettext_lazy("Commerce de la plateforme"),
        queryset=Shop.objects.none(),
        required=False,
        empty_label=gettext_lazy("— aucun, ou pas sur la plateforme —"),
        help_text=gettext_lazy("Si le local est occupé par un commerce inscrit sur la plateforme."),
    )
    occupant_name = forms.CharField(
        label=gettext_lazy("Ou nom de l'occupant"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Si l'occupant n'est pas sur la plateforme (une banque, une agence, un cabinet…)."
        ),
    )

    def set_shops(self, shops: Any) -> None:
        _offer_shops(self, shops)


class StateChangeForm(_OccupantFields):
    since = _date_field(
        gettext_lazy("Depuis le"),
        help_text=gettext_lazy("L'état actuel prendra fin la veille."),
    )
    note = forms.CharField(label=gettext_lazy("Remarque"), max_length=300, required=False)

    field_order = ["state", "since", "shop", "occupant_name", "note"]


class PeriodForm(_OccupantFields):
    start = _date_field(gettext_lazy("Du"))
    end = _date_field(
        gettext_lazy("Au"),
        required=False,
        help_text=gettext_lazy("Vide pour la période en cours. Les périodes voisines suivent ces dates."),
    )
    note = forms.CharField(label=gettext_lazy("Remarque"), max_length=300, required=False)

    field_order = ["state", "start", "end", "shop", "occupant_name", "note"]

    @classmethod
    def for_period(cls, period: Occupancy, data: Any = None) -> PeriodForm:
        initial = {
            "state": period.state,
            "start": period.start,
            "end": period.end,
            "shop": period.shop_id,
            "occupant_name": "" if period.shop_id else period.occupant_name,
            "note": period.note,
        }
        return cls(data, initial=initial)


class UnitForm(forms.ModelForm):
    class Meta:
        model = CommercialUnit
        fields = [
            "reference",
            "street_number",
            "street",
            "postcode",
            "latitude",
            "longitude",
            "surface",
            "floor",
            "frontage",
            "centre_choice",
            "owner_name",
            "owner_email",
            "owner_phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "latitude": gettext_lazy(
                "En degrés décimaux, par exemple 48.744500. Sert à la carte et au périmètre."
            ),
            "longitude": gettext_lazy("En degrés décimaux, par exemple -0.020300."),
            "owner_name": gettext_lazy(
                "Visible de l'équipe de la ville seulement, jamais des élus ni des exports."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # « 64,5 » as well as « 64.5 »: a number field in a French browser sends the point itself.
        for name in ("latitude", "longitude", "surface", "frontage"):
            self.fields[name].localize = True

    def unit_data(self) -> services.UnitData:
        data = self.cleaned_data
        return services.UnitData(
            reference=data["reference"],
            street=data["street"],
            street_number=data["street_number"].strip(),
            postcode=data["postcode"].strip(),
            latitude=data["latitude"],
            longitude=data["longitude"],
            surface=data["surface"],
            floor=data["floor"],
            frontage=data["frontage"],
            centre_choice=data["centre_choice"],
            owner_name=data["owner_name"].strip(),
            owner_email=data["owner_email"],
            owner_phone=data["owner_phone"],
            notes=data["notes"].strip(),
        )

    def _post_clean(self) -> None:
        # The service validates the instance (and says which reference is taken); the form checks fields.
        pass


class NewUnitForm(UnitForm):
    """A new unit, with the state it is in and since when: its history starts there."""

    state = forms.ChoiceField(
        label=gettext_lazy("État actuel"), choices=UnitState.choices, widget=forms.RadioSelect
    )
    since = _date_field(gettext_lazy("Dans cet état depuis le"))
    shop = ShopChoiceField(
        label=gettext_lazy("Commerce de la plateforme"),
        queryset=Shop.objects.none(),
        required=False,
        empty_label=gettext_lazy("— aucun, ou pas sur la plateforme —"),
    )
    occupant_name = forms.CharField(
        label=gettext_lazy("Ou nom de l'occupant"), max_length=150, required=False
    )

    field_order = [
        "reference",
        "street_number",
        "street",
        "postcode",
        "state",
        "since",
        "shop",
        "occupant_name",
        "surface",
        "floor",
        "frontage",
        "latitude",
        "longitude",
        "centre_choice",
    ]

    def set_shops(self, shops: Any) -> None:
        _offer_shops(self, shops)


class UnitFilterForm(forms.Form):
    """The units list's filters, sent by GET so that they work without JavaScript and can be bookmarked."""

    rue = forms.ChoiceField(label=gettext_lazy("Rue"), required=False)
    etat = forms.ChoiceField(label=gettext_lazy("État"), required=False)
    centre = forms.ChoiceField(
        label=gettext_lazy("Centre-ville"),
        required=False,
        choices=[
            ("", gettext_lazy("Dans le périmètre ou non")),
            ("oui", gettext_lazy("Dans le périmètre")),
            ("non", gettext_lazy("Hors du périmètre")),
        ],
    )

    def __init__(self, data: Any, *, streets: list[tuple[str, str]]) -> None:
        super().__init__(data)
        street = self.fields["rue"]
        assert isinstance(street, forms.ChoiceField)
        street.choices = [("", _("Toutes les rues")), *streets]
        state = self.fields["etat"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [("", _("Tous les états")), *UnitState.choices, (NO_HISTORY, _("Sans historique"))]

    def filters(self) -> UnitFilters:
        """The valid filters; one that is not (a street that has gone) is left out rather than failing."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return UnitFilters(
            street=cleaned.get("rue") or "",
            state=cleaned.get("etat") or "",
            centre=cleaned.get("centre") or "",
        )


class VacancyDateForm(forms.Form):
    date = _date_field(gettext_lazy("Date"), required=False)

    def day(self, today: datetime.date) -> datetime.date:
        if not self.is_valid() or self.cleaned_data["date"] is None:
            return today
        chosen: datetime.date = self.cleaned_data["date"]
        if chosen > today:
            self.add_error("date", _("Choisissez une date passée ou aujourd'hui."))
            return today
        if chosen.year < 1900:
            self.add_error("date", _("Choisissez une date après 1900."))
            return today
        return chosen


class ProjectForm(forms.ModelForm):
    wanted_streets = forms.MultipleChoiceField(
        label=gettext_lazy("Rues souhaitées"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Aucune case cochée : pas de préférence de rue."),
    )

    class Meta:
        model = BusinessProject
        fields = [
            "title",
            "category",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "surface_min",
            "surface_max",
            "wanted_streets",
            "budget",
            "notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, streets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [name for _key, name in streets]
        # Streets the project already wants stay offered even if no unit is on them any more.
        for name in self.instance.wanted_streets or []:
            if name not in names:
                names.append(name)
        field = self.fields["wanted_streets"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, name) for name in names]
        field.error_messages["invalid_choice"] = _("Cette rue n'est pas dans la liste.")
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = TradeCategory.objects.order_by("position", "name")
        category.empty_label = _("— à préciser —")
        for name in ("surface_min", "surface_max", "budget"):
            self.fields[name].localize = True

    def project_data(self) -> services.ProjectData:
        data = self.cleaned_data
        return services.ProjectData(
            title=data["title"].strip(),
            contact_name=data["contact_name"].strip(),
            category=data["category"],
            description=data["description"].strip(),
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            surface_min=data["surface_min"],
            surface_max=data["surface_max"],
            wanted_streets=tuple(data["wanted_streets"]),
            budget=data["budget"],
            notes=data["notes"].strip(),
        )

    def _post_clean(self) -> None:
        pass


class ProposeForm(forms.Form):
    """Propose a unit to a project: the other side is the page's."""

    target = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Remarque"), max_length=300, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Suite donnée"), choices=ProposalOutcome.choices)
    outcome_on = _date_field(
        gettext_lazy("Le"), required=False, help_text=gettext_lazy("Aujourd'hui si rien n'est indiqué.")
    )
    note = forms.CharField(label=gettext_lazy("Remarque"), max_length=300, required=False)


class ProjectStatusForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
