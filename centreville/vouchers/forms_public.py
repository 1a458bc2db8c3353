"""The residents' « Consulter mon solde » form: a voucher's code, read leniently (`codes.code_read`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import code_read


class BalanceForm(forms.Form):
    code = forms.CharField(
        label=_("Code du bon"),
        help_text=_("Les 16 caractères imprimés sous le QR code, avec ou sans tirets."),
        max_length=40,
        error_messages={"required": _("Saisissez le code inscrit sur votre bon.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "voucher-code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = code_read(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Ce code n'est pas celui d'un bon : vérifiez chaque caractère (16 chiffres et lettres)."),
                code="malformed",
            )
        return code
