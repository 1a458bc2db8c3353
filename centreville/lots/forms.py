"""Forms of the lots' pages: the search around a place (GET) and a producer's lot."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centreville.catalogue.models import ProductCategory
from centreville.enterprises.models import BuyerCategory, Enterprise, Label

from .around import DEFAULT_RADIUS_KM, RADIUS_CHOICES, AroundFilters
from .models import Lot, VatRate
from .services import EDITABLE_FIELDS

WEEKDAYS = [
    ("0", _("lundi")),
    ("1", _("mardi")),
    ("2", _("mercredi")),
    ("3", _("jeudi")),
    ("4", _("vendredi")),
    ("5", _("samedi")),
    ("6", _("dimanche")),
]
ENTERPRISE_PLACE = "entreprise:"


class AroundForm(forms.Form):
    """The search « disponible maintenant autour de moi », sent by GET: it works without JavaScript."""

    q = forms.CharField(label=_("Produit"), required=False, max_length=200)
    lieu = forms.CharField(
        label=_("Autour de"),
        required=False,
        max_length=120,
        help_text=_("Une commune de la plateforme ou son code postal."),
    )
    depuis = forms.ChoiceField(label=_("Ou depuis l'adresse de"), required=False)
    rayon = forms.TypedChoiceField(
        label=_("Dans un rayon de"),
        required=False,
        coerce=int,
        choices=[(str(km), _("%(km)s km") % {"km": km}) for km in RADIUS_CHOICES],
        initial=str(DEFAULT_RADIUS_KM),
    )
    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)
    label = forms.ChoiceField(label=_("Label"), required=False, choices=[("", _("Tous")), *Label.choices])
    bio = forms.BooleanField(label=_("Bio seulement"), required=False)
    jour = forms.ChoiceField(
        label=_("Retrait possible le"), required=False, choices=[("", _("N'importe quel jour")), *WEEKDAYS]
    )
    lat = forms.DecimalField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.DecimalField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, data: Any, *, categories: list[ProductCategory], buyers: list[Enterprise]) -> None:
        super().__init__(data)
        category = self.fields["categorie"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("Toutes")), *((c.slug, c.name) for c in categories)]
        origin = self.fields["depuis"]
        assert isinstance(origin, forms.ChoiceField)
        if buyers:
            origin.choices = [("", "—"), *((f"{ENTERPRISE_PLACE}{b.slug}", b.name) for b in buyers)]
        else:
            del self.fields["depuis"]

    def clean_lieu(self) -> str:
        return str(self.cleaned_data.get("lieu") or "").strip()

    def filters(self) -> AroundFilters:
        """The valid filters; an invalid one is left out rather than failing the page."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        day = str(cleaned.get("jour") or "")
        return AroundFilters(
            radius_km=cleaned.get("rayon") or DEFAULT_RADIUS_KM,
            category=cleaned.get("categorie") or "",
            label=cleaned.get("label") or "",
            organic=bool(cleaned.get("bio")),
            weekday=int(day) if day.isdigit() else None,
            query=cleaned.get("q") or "",
        )


def price_field_name(category: str) -> str:
    return f"prix_{category}"


def plain_decimal(value: Decimal) -> Decimal:
    """`value` without its stored trailing zeros (10 rather than 10,000, 1,8 rather than 1,8000): a French
    reader takes « 10,000 » for ten thousand."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class LotForm(forms.ModelForm[Lot]):
    """A producer's lot, with its prices per type of buyer; the VAT rate, left empty, follows the rule."""

    labels = forms.MultipleChoiceField(
        label=_("Labels"), required=False, choices=Label.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Lot
        fields = list(EDITABLE_FIELDS)
        # « 1,40 » as a French phone types it.
        localized_fields = [
            "case_size",
            "quantity_available",
            "minimum_quantity",
            "quantity_step",
            "unit_price",
            "estimated_weight",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, prices: dict[str, Decimal] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vat = self.fields["vat_rate"]
        assert isinstance(vat, forms.ChoiceField)
        vat.required = False
        vat.choices = [("", _("Selon la catégorie (taux proposé)")), *VatRate.choices]
        vat.help_text = _("5,5 % pour l'alimentaire, 20 % pour l'alcool et ce qui ne se mange pas.")
        self.fields["case_size"].help_text = _(
            "Vendu par colis de tant de kg, litres ou pièces ; vide : vendu à l'unité."
        )
        self.fields["quantity_available"].help_text = _(
            "En colis s'il y a des colis, sinon en kg, litres ou pièces."
        )
        for name, value in list(self.initial.items()):
            if isinstance(value, Decimal):
                self.initial[name] = plain_decimal(value)
        for category, label in BuyerCategory.choices:
            price = (prices or {}).get(category)
            self.fields[price_field_name(category)] = forms.DecimalField(
                label=_("Prix HT pour : %(category)s") % {"category": label},
                help_text=_("Vide : ce type d'acheteur paie le prix unitaire du lot."),
                required=False,
                max_digits=10,
                decimal_places=4,
                localize=True,
                initial=plain_decimal(price) if price is not None else None,
            )
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Beside its field, before anything is written (the service would refuse it after the lot).
        for category in BuyerCategory.values:
            price = cleaned.get(price_field_name(category))
            if price is not None and price <= 0:
                self.add_error(price_field_name(category), _("Le prix doit être supérieur à zéro."))
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the lot (with clear errors for each figure), not the form.
        pass

    def lot_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        fields["labels"] = list(fields["labels"] or [])
        fields["vat_rate"] = fields["vat_rate"] or None
        if fields["intermediaries"] is None:
            fields["intermediaries"] = 0
        return fields

    def prices(self) -> dict[str, Decimal | None]:
        return {
            category: self.cleaned_data.get(price_field_name(category)) for category in BuyerCategory.values
        }

    def show_errors(self, error: ValidationError) -> None:
        """Put the service's errors beside their fields."""
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)
