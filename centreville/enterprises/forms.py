"""Forms of the enterprises' pages: they read and check input; services do the writing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core import images

from .models import Enterprise, Label, PickupPlace

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

KIND_CHOICES = (
    ("producer", gettext_lazy("Je vends mes produits (exploitation, artisan, coopérative)")),
    ("buyer", gettext_lazy("J'achète en professionnel (restaurant, épicerie, cantine, commerce…)")),
)
COORDINATES_HELP = gettext_lazy(
    "Dans une application de carte, un appui long sur votre adresse affiche ces deux nombres "
    "(par exemple 48,7449 et -0,0203)."
)
PLACE_COORDINATES_HELP = gettext_lazy(
    "Facultatif. Dans une application de carte, un appui long sur le lieu affiche ces deux nombres."
)
PICKUP_HOURS_HELP = gettext_lazy(
    "Jours en abrégé anglais (Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, "
    "Su dimanche), puis les heures ; séparez les règles d'un point-virgule. Par exemple "
    "« Tu,Fr 17:00-19:00; Sa 09:00-12:00 »."
)


class _NumberField(forms.CharField):
    """A number people copy with spaces (« 732 829 320 00074 »): kept as its digits and letters."""

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split()).upper()


def _formfield(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _coordinate(label: StrOrPromise, limit: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=6,
        localize=True,
        validators=[MinValueValidator(Decimal(-limit)), MaxValueValidator(Decimal(limit))],
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class EnterpriseForm(forms.ModelForm):
    """What an enterprise says of itself; the model's checks (SIRET key, VAT number against the SIREN) run
    here first, and again in the service."""

    siret = _NumberField(
        label=gettext_lazy("SIRET"),
        max_length=24,
        help_text=gettext_lazy("14 chiffres, sur vos factures ou sur annuaire-entreprises.data.gouv.fr."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    vat_number = _NumberField(
        label=gettext_lazy("Numéro de TVA intracommunautaire"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("FR, deux chiffres de clé et votre SIREN ; vide en franchise ou au forfait."),
    )
    labels = forms.MultipleChoiceField(
        label=gettext_lazy("Labels et signes de qualité"),
        choices=Label.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    latitude = _coordinate(gettext_lazy("Latitude"), 90)
    longitude = _coordinate(gettext_lazy("Longitude"), 180)

    class Meta:
        model = Enterprise
        formfield_callback = _formfield
        fields = [
            "name",
            "siret",
            "legal_form",
            "registry",
            "vat_regime",
            "vat_number",
            "street_address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "email",
            "phone",
            "website",
            "description",
            "labels",
            "service_radius_km",
            "buyer_category",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        labels = {"street_address": gettext_lazy("Adresse (numéro et rue, ou lieu-dit)")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["latitude"].help_text = COORDINATES_HELP
        self.fields["longitude"].help_text = gettext_lazy("Avec la latitude.")
        if not self.is_bound and self.instance.pk:
            self.initial["labels"] = list(self.instance.labels or [])
        self.fields["buyer_category"].help_text = gettext_lazy("Pour un acheteur : vos prix en dépendent.")

    def enterprise_fields(self) -> dict[str, Any]:
        """What to hand to enterprise_register / enterprise_update."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ProfileForm(EnterpriseForm):
    """A registered enterprise's profile: a producer is not asked its type of buyer, a buyer neither its
    radius nor its labels (they speak of lots it does not sell)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_buyer:
            del self.fields["buyer_category"]
        if not self.instance.is_producer:
            del self.fields["service_radius_km"], self.fields["labels"]

    def enterprise_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class RegistrationForm(EnterpriseForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Votre activité sur la bourse"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )

    field_order = ["kind"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == "buyer" and not cleaned.get("buyer_category"):
            self.add_error("buyer_category", _("Indiquez quel type d'acheteur vous êtes."))
        return cleaned

    def enterprise_fields(self) -> dict[str, Any]:
        fields = super().enterprise_fields()
        producer = self.cleaned_data["kind"] == "producer"
        fields.update(is_producer=producer, is_buyer=not producer)
        if producer:
            fields["buyer_category"] = ""
        return fields


class ShopBuyerForm(EnterpriseForm):
    """A showcase shop's buyer enterprise: its category is « commerce du centre-ville »."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["buyer_category"], self.fields["service_radius_km"], self.fields["labels"]

    def enterprise_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class PickupPlaceForm(forms.ModelForm):
    latitude = _coordinate(gettext_lazy("Latitude"), 90)
    longitude = _coordinate(gettext_lazy("Longitude"), 180)

    class Meta:
        model = PickupPlace
        fields = [
            "name",
            "street_address",
            "postcode",
            "city",
            "opening_hours",
            "instructions",
            "latitude",
            "longitude",
        ]
        widgets = {
            "postcode": forms.TextInput(attrs={"inputmode": "numeric"}),
            "opening_hours": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "instructions": forms.TextInput(attrs={"placeholder": gettext_lazy("Sonnez au hangar")}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opening_hours"].help_text = PICKUP_HOURS_HELP
        for name in ("latitude", "longitude"):
            self.fields[name].required = False
        self.fields["latitude"].help_text = PLACE_COORDINATES_HELP

    def place_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse e-mail de son compte"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    is_owner = forms.BooleanField(label=gettext_lazy("Responsable (peut gérer les membres)"), required=False)


class PhotoForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy("JPEG, PNG ou WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(label=gettext_lazy("Ce que montre la photo"), max_length=images.MAX_ALT_TEXT)


class ProducerChoiceForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
