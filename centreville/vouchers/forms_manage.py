"""The town team's forms: they read what was typed (euros, lists, months) into plain values; the rules are
the services'."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core.days import DayField

from .models import BeneficiaryKind, Programme, ProgrammeKind
from .services import ProgrammeFields

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def euros_to_cents(text: str) -> int:
    """« 12,50 », « 12.5 », « 12 € » → 1250; ValueError with a French message otherwise."""
    cleaned = (
        text.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    )
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            _("« %(value)s » n'est pas un montant en euros.") % {"value": text.strip()}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(_("« %(value)s » n'est pas un montant en euros.") % {"value": text.strip()})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_("« %(value)s » : au centime près, pas plus.") % {"value": text.strip()})
    if amount > 10_000_000:
        raise ValueError(_("« %(value)s » : ce montant est trop grand.") % {"value": text.strip()})
    return int(amount * 100)


def cents_to_euros(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{Decimal(cents) / 100:.2f}".replace(".", ",").removesuffix(",00")


class EurosField(forms.CharField):
    """An amount in euros, typed the French way or not; cleaned to cents (None when left empty)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Checked on the text typed: the validators of CharField would run on the cents.
        self.widget.attrs.update(inputmode="decimal", autocomplete="off", maxlength="20")

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return euros_to_cents(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="euros") from None


class EurosListField(forms.CharField):
    """Amounts in euros separated by spaces, semicolons or « et »: « 10 ; 20 ; 50 » → [1000, 2000, 5000]."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = [part for part in re.split(r"[;\s/]+|\bet\b", text.replace("€", " ")) if part]
        try:
            return [euros_to_cents(part) for part in parts]
        except ValueError as error:
            raise forms.ValidationError(str(error), code="euros") from None


class PostcodesField(forms.CharField):
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part for part in re.split(r"[,;\s]+", text) if part]


class MonthField(forms.CharField):
    """A month as AAAA-MM (what a month picker sends); cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "AAAA-MM"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        found = MONTH.match(text)
        if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2099:
            raise forms.ValidationError(_("Indiquez un mois sous la forme AAAA-MM, par exemple 2026-12."))
        return date(int(found.group(1)), int(found.group(2)), 1)


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Nature de l'opération"), choices=ProgrammeKind.choices)
    name = forms.CharField(label=gettext_lazy("Nom"), max_length=120)
    slug = forms.SlugField(
        label=gettext_lazy("Adresse (lettres, chiffres et tirets)"),
        max_length=60,
        help_text=gettext_lazy("Par exemple « noel-2026 » : elle apparaît dans l'adresse des pages."),
    )
    holder_name = forms.CharField(label=gettext_lazy("Porteur de l'opération"), max_length=160)
    holder_siret = forms.CharField(label=gettext_lazy("SIRET du porteur"), max_length=14, required=False)
    face_values = EurosListField(
        label=gettext_lazy("Valeurs proposées (€)"),
        required=False,
        help_text=gettext_lazy("Cartes cadeaux et bons offerts : par exemple « 10 ; 20 ; 50 »."),
    )
    top_up_paid = EurosField(
        label=gettext_lazy("Bon abondé : payez (€)"),
        required=False,
        help_text=gettext_lazy("Ce que paie le bénéficiaire, par exemple 20."),
    )
    top_up_value = EurosField(
        label=gettext_lazy("Bon abondé : dépensez (€)"),
        required=False,
        help_text=gettext_lazy("Ce que vaut le bon, par exemple 30 : la ville ajoute la différence."),
    )
    starts_on = DayField(label=gettext_lazy("Début des émissions"))
    ends_on = DayField(label=gettext_lazy("Fin des émissions"))
    town_share_valid_until = DayField(
        label=gettext_lazy("Part de la ville valable jusqu'au"),
        required=False,
        help_text=gettext_lazy("Laissez vide : jusqu'à la fin des émissions."),
    )
    paid_share_validity_months = forms.IntegerField(
        label=gettext_lazy("Validité de la part payée (mois)"), min_value=1, max_value=60, initial=12
    )
    budget = EurosField(label=gettext_lazy("Budget de la ville (€)"), required=False)
    cap_per_person = EurosField(label=gettext_lazy("Plafond par personne (€)"), required=False)
    cap_per_household = EurosField(label=gettext_lazy("Plafond par foyer (€)"), required=False)
    cap_per_company = EurosField(label=gettext_lazy("Plafond par entreprise (€)"), required=False)
    eligible_postcodes = PostcodesField(
        label=gettext_lazy("Codes postaux éligibles"),
        required=False,
        help_text=gettext_lazy("Séparés par des espaces ; laissez vide : toutes les adresses."),
    )
    invitation_only = forms.BooleanField(label=gettext_lazy("Sur invitation seulement"), required=False)
    chains_excluded = forms.BooleanField(
        label=gettext_lazy("Chaînes et franchises exclues"), required=False, initial=True
    )
    rules = forms.CharField(
        label=gettext_lazy("Règlement accepté par les commerçants"), required=False, widget=forms.Textarea
    )

    # The service's field names → this form's, so that its errors land beside the right input.
    SERVICE_FIELDS = {
        "face_values_cents": "face_values",
        "top_up_paid_cents": "top_up_paid",
        "top_up_value_cents": "top_up_value",
        "budget_cents": "budget",
    }

    @classmethod
    def initial_of(cls, programme: Programme) -> dict[str, Any]:
        return {
            "kind": programme.kind,
            "name": programme.name,
            "slug": programme.slug,
            "holder_name": programme.holder_name,
            "holder_siret": programme.holder_siret,
            "face_values": " ; ".join(cents_to_euros(value) for value in programme.face_values_cents),
            "top_up_paid": cents_to_euros(programme.top_up_paid_cents or None),
            "top_up_value": cents_to_euros(programme.top_up_value_cents or None),
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "town_share_valid_until": programme.town_share_valid_until,
            "paid_share_validity_months": programme.paid_share_validity_months,
            "budget": cents_to_euros(programme.budget_cents),
            "cap_per_person": cents_to_euros(programme.cap_per_person_cents),
            "cap_per_household": cents_to_euros(programme.cap_per_household_cents),
            "cap_per_company": cents_to_euros(programme.cap_per_company_cents),
            "eligible_postcodes": " ".join(programme.eligible_postcodes),
            "invitation_only": programme.invitation_only,
            "chains_excluded": programme.chains_excluded,
            "rules": programme.rules,
        }

    def programme_fields(self) -> ProgrammeFields:
        data = self.cleaned_data
        return ProgrammeFields(
            kind=data["kind"],
            name=data["name"].strip(),
            slug=data["slug"],
            holder_name=data["holder_name"].strip(),
            holder_siret=data["holder_siret"].replace(" ", ""),
            face_values_cents=data["face_values"],
            top_up_paid_cents=data["top_up_paid"] or 0,
            top_up_value_cents=data["top_up_value"] or 0,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            town_share_valid_until=data["town_share_valid_until"],
            paid_share_validity_months=data["paid_share_validity_months"],
            budget_cents=data["budget"],
            cap_per_person_cents=data["cap_per_person"],
            cap_per_household_cents=data["cap_per_household"],
            cap_per_company_cents=data["cap_per_company"],
            eligible_postcodes=data["eligible_postcodes"],
            invitation_only=data["invitation_only"],
            chains_excluded=data["chains_excluded"],
            rules=data["rules"],
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = self.SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


def face_value_choices(programme: Programme) -> list[tuple[int, str]]:
    from .ledger import euros

    if programme.kind == ProgrammeKind.TOP_UP:
        return [(programme.top_up_value_cents, euros(programme.top_up_value_cents))]
    return [(value, euros(value)) for value in programme.face_values_cents]


class InvitationImportForm(forms.Form):
    households = forms.FileField(
        label=gettext_lazy("Fichier des foyers (CSV)"),
        help_text=gettext_lazy("Une ligne par foyer : référence ; nom ; code postal."),
    )


class FaceValueForm(forms.Form):
    face_value = forms.TypedChoiceField(label=gettext_lazy("Valeur de chaque bon"), coerce=int)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["face_value"].choices = face_value_choices(programme)  # type: ignore[attr-defined]


class SaleForm(FaceValueForm):
    beneficiary_kind = forms.ChoiceField(label=gettext_lazy("Bénéficiaire"), choices=BeneficiaryKind.choices)
    beneficiary_key = forms.CharField(
        label=gettext_lazy("Identifiant du bénéficiaire"),
        max_length=254,
        help_text=gettext_lazy(
            "L'e-mail d'une personne, la référence d'un foyer, le SIREN d'une entreprise."
        ),
    )
    beneficiary_name = forms.CharField(
        label=gettext_lazy("Nom du bénéficiaire"), max_length=160, required=False
    )
    postcode = forms.CharField(label=gettext_lazy("Code postal"), max_length=5, required=False)
    count = forms.IntegerField(label=gettext_lazy("Nombre de bons"), min_value=1, max_value=500, initial=1)
    payment_reference = forms.CharField(
        label=gettext_lazy("Référence du paiement"),
        max_length=100,
        help_text=gettext_lazy("Le numéro du reçu de la régie ou du virement."),
    )


class VoucherLookupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code du bon"), max_length=40)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Raison de l'annulation"), max_length=200)


class StatementsMakeForm(forms.Form):
    month = MonthField(label=gettext_lazy("Mois"))


class MarkPaidForm(forms.Form):
    transfer_reference = forms.CharField(label=gettext_lazy("Référence du virement"), max_length=120)


class TreasuryExportForm(forms.Form):
    first = MonthField(label=gettext_lazy("Du mois"))
    last = MonthField(label=gettext_lazy("Au mois"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            self.add_error("last", _("Le dernier mois ne peut pas précéder le premier."))
        return data


class AccountsDateForm(forms.Form):
    date = DayField(label=gettext_lazy("Comptes au"), required=False)
