"""The merchant's voucher forms: the counter (a code, an amount in euros) and joining a programme."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces a phone's keyboard or a copied amount may hold: ordinary, non-breaking, narrow non-breaking, thin.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT = re.compile(r"^(\d{1,7})(?:[.,](\d{1,}))?$")


def amount_cents(typed: str) -> int:
    """« 12,50 », « 12.5 », « 12 », « 1 234,50 € » as cents; raises ValidationError in French otherwise."""
    text = _SPACES.sub("", typed).removesuffix("€").removesuffix("EUR").removesuffix("eur")
    if not text:
        raise ValidationError(_("Indiquez le montant en euros, par exemple 12,50."), code="required")
    if text.startswith("-"):
        raise ValidationError(_("Le montant doit être supérieur à zéro."), code="negative")
    found = _AMOUNT.match(text)
    if found is None:
        raise ValidationError(
            _("Ce montant n'est pas lisible : écrivez-le en euros, par exemple 12,50."), code="invalid"
        )
    if found.group(2) is not None and len(found.group(2).rstrip("0")) > 2:
        raise ValidationError(_("Un montant a au plus deux chiffres après la virgule."), code="cents")
    try:
        cents = int(Decimal(f"{found.group(1)}.{found.group(2) or '0'}") * 100)
    except InvalidOperation:  # pragma: no cover - the pattern lets only digits through
        raise ValidationError(_("Ce montant n'est pas lisible."), code="invalid") from None
    if cents <= 0:
        raise ValidationError(_("Le montant doit être supérieur à zéro."), code="zero")
    return cents


def code_scanned(text: str) -> str:
    """What a QR code or the field held: the code itself, or the voucher's wallet address ending with it."""
    text = text.strip()
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text.split("?")[0].split("#")[0]
        segments = [segment for segment in path.split("/") if segment]
        return segments[-1] if segments else ""
    return text


class CounterForm(forms.Form):
    """A spend at the counter; « Vérifier le solde » sends the same form without the amount."""

    code = forms.CharField(
        label=_("Code du bon"),
        max_length=300,  # a wallet address read from a QR code
        help_text=_("16 caractères, imprimés sous le QR code. Espaces et tirets facultatifs."),
        error_messages={"required": _("Indiquez le code du bon.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "next",
            }
        ),
    )
    amount = forms.CharField(
        label=_("Montant à encaisser (€)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "enterkeyhint": "done"}),
    )
    mark = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, checking: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checking = checking

    def clean_code(self) -> str:
        return code_scanned(self.cleaned_data["code"])

    def clean_amount(self) -> int | None:
        if self.checking:
            return None
        return amount_cents(self.cleaned_data.get("amount") or "")


class JoinForm(forms.Form):
    accept = forms.BooleanField(
        label=_("J'accepte le règlement"),
        error_messages={"required": _("Cochez « J'accepte le règlement » pour rejoindre l'opération.")},
    )
    iban = forms.CharField(
        label=_("IBAN du compte remboursé"),
        max_length=42,
        help_text=_("Le porteur de l'opération vous rembourse chaque mois les bons encaissés sur ce compte."),
        error_messages={"required": _("Indiquez l'IBAN du compte à rembourser.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
