from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .report import Month


class ReportMonthForm(forms.Form):
    """The month of a report to make, among the finished ones offered."""

    mois = forms.ChoiceField(
        label=_("Mois"),
        error_messages={
            "required": _("Choisissez un mois."),
            "invalid_choice": _("Choisissez un mois terminé dans la liste."),
        },
    )

    def __init__(self, *args: Any, months: list[Month], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mois"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(month.key, month.label) for month in months]

    def clean_mois(self) -> Month:
        return Month.parse(self.cleaned_data["mois"])
