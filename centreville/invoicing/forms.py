from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.wholesale.models import WholesaleLine

from .services import LineCorrection


class CorrectedLinesForm(forms.Form):
    """What the corrected invoice bills for each order line: quantity handed over, weighed kilograms (a
    variable-weight line), unit price excl. VAT; prefilled from the order, a field left empty keeps it."""

    def __init__(self, *args: Any, lines: Sequence[WholesaleLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_lines = list(lines)
        for line in self.order_lines:
            self.fields[f"delivered_{line.pk}"] = forms.DecimalField(
                label=gettext("Quantité remise (commandé : %(ordered)s)")
                % {"ordered": f"{line.quantity.normalize():f}".replace(".", ",")},
                required=False,
                min_value=0,
                max_value=line.quantity,
                decimal_places=3,
                initial=line.handed_quantity.normalize(),
                localize=True,
            )
            if line.variable_weight:
                self.fields[f"weight_{line.pk}"] = forms.DecimalField(
                    label=gettext("Poids pesé en tout (kg)"),
                    required=False,
                    min_value=Decimal("0.001"),
                    decimal_places=3,
                    initial=line.final_weight.normalize() if line.final_weight is not None else None,
                    localize=True,
                )
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                label=gettext("Prix unitaire HT (€ par %(unit)s)")
                % {"unit": "kg" if line.variable_weight else line.get_unit_display()},
                required=False,
                min_value=0,
                decimal_places=4,
                initial=line.unit_price.normalize(),
                localize=True,
            )

    def line_fields(self) -> list[tuple[WholesaleLine, list[forms.BoundField]]]:
        """Each order line with its fields, for one fieldset per line."""
        return [
            (line, [self[name] for name in self.fields if name.rpartition("_")[2] == str(line.pk)])
            for line in self.order_lines
        ]

    def corrections(self) -> list[LineCorrection]:
        data = self.cleaned_data
        return [
            LineCorrection(
                line_id=line.pk,
                delivered_quantity=data.get(f"delivered_{line.pk}"),
                final_weight=data.get(f"weight_{line.pk}"),
                unit_price=data.get(f"price_{line.pk}"),
            )
            for line in self.order_lines
        ]


class CreditNoteForm(CorrectedLinesForm):
    reason = forms.CharField(
        label=_("Motif de l'avoir"),
        max_length=300,
        help_text=_("Imprimé sur l'avoir, par exemple « Erreur de pesée »."),
    )
    reissue = forms.BooleanField(
        label=_("Émettre aussitôt la facture corrigée"),
        required=False,
        help_text=_(
            "L'avoir annule la facture en totalité, puis une nouvelle facture est émise avec les quantités, "
            "poids et prix indiqués ci-dessous (la commande elle-même ne change pas). Sans cette case, "
            "la commande reste sans facture jusqu'à ce que vous émettiez la facture corrigée depuis sa page."
        ),
    )

    field_order = ["reason", "reissue"]


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
