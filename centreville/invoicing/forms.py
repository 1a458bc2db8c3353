from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'avoir"),
        max_length=300,
        help_text=_("Imprimé sur l'avoir, par exemple « Erreur de pesée »."),
    )
    reissue = forms.BooleanField(
        label=_("Refacturer la commande telle qu'elle est maintenant"),
        required=False,
        help_text=_(
            "Après avoir corrigé la commande (poids, quantités remises) : un avoir puis une nouvelle facture."
        ),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Payé le"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Montant payé (€)"), max_digits=12, decimal_places=2, min_value=0.01)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start")
        end: date | None = cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("La période commence avant de finir."))
        return cleaned
