"""The forms of a purchase of vouchers online: a person's, and a company's with its invoice details."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from centreville.shops.models import validate_siret

from .ledger import euros
from .models import Programme, SaleBuyerKind
from .sales import COMPANY_MAX_COUNT, PERSON_MAX_COUNT, Buyer, sale_face_values

POSTCODE = re.compile(r"^\d{5}$")


def _siret_digits(value: str) -> str:
    return "".join(value.split())


class PurchaseForm(forms.Form):
    """A person buys vouchers for themselves or as a gift: their value, how many, where to send them."""

    buyer_kind = SaleBuyerKind.PERSON
    max_count = PERSON_MAX_COUNT

    face_value = forms.TypedChoiceField(label=_("Valeur de chaque bon"), coerce=int, widget=forms.RadioSelect)
    count = forms.IntegerField(label=_("Nombre de bons"), min_value=1, initial=1)
    name = forms.CharField(label=_("Votre nom"), max_length=160)
    email = forms.EmailField(
        label=_("Votre e-mail"), help_text=_("Les bons vous sont envoyés à cette adresse.")
    )
    postcode = forms.CharField(label=_("Votre code postal"), max_length=5)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        values = sale_face_values(programme)
        face_value = self.fields["face_value"]
        assert isinstance(face_value, forms.ChoiceField)
        face_value.choices = [(value, euros(value)) for value in values]
        if len(values) == 1:
            face_value.initial = values[0]
        count = self.fields["count"]
        assert isinstance(count, forms.IntegerField)
        count.max_value = self.max_count
        count.widget.attrs.update({"max": self.max_count, "inputmode": "numeric"})
        count.validators.append(
            MaxValueValidator(
                self.max_count,
                message=_("Un achat compte au plus %(limit)s bons.") % {"limit": self.max_count},
            )
        )
        count.help_text = _("Jusqu'à %(limit)s bons par achat.") % {"limit": self.max_count}
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["postcode"].widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})

    def clean_postcode(self) -> str:
        postcode = "".join(self.cleaned_data["postcode"].split())
        if not POSTCODE.match(postcode):
            raise forms.ValidationError(_("Indiquez un code postal français de 5 chiffres."))
        return postcode

    def buyer(self) -> Buyer:
        data = self.cleaned_data
        return Buyer(kind=self.buyer_kind, name=data["name"], email=data["email"], postcode=data["postcode"])


class CompanyPurchaseForm(PurchaseForm):
    """A company buys vouchers in bulk (for its staff, its customers) and receives an invoice."""

    buyer_kind = SaleBuyerKind.COMPANY
    max_count = COMPANY_MAX_COUNT

    name = forms.CharField(label=_("Raison sociale"), max_length=160)
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 chiffres."))
    street_address = forms.CharField(label=_("Adresse de facturation"), max_length=200)
    postcode = forms.CharField(label=_("Code postal"), max_length=5)
    city = forms.CharField(label=_("Commune"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Les bons et la facture sont envoyés à cette adresse.")
    )

    field_order = ["face_value", "count", "name", "siret", "street_address", "postcode", "city", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["siret"].widget.attrs["inputmode"] = "numeric"
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"

    def clean_siret(self) -> str:
        siret = _siret_digits(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def buyer(self) -> Buyer:
        data = self.cleaned_data
        return Buyer(
            kind=self.buyer_kind,
            name=data["name"],
            email=data["email"],
            postcode=data["postcode"],
            siret=data["siret"],
            billing_address=f"{data['street_address']}\n{data['postcode']} {data['city']}",
        )
