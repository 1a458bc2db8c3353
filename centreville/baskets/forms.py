"""What the basket pages accept: an article to add, a new quantity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_QUANTITY

QUANTITY_ERRORS = {
    "required": _("Indiquez une quantité."),
    "invalid": _("La quantité est un nombre entier, par exemple 2."),
    "min_value": _("La quantité doit être d'au moins %(limit_value)s."),
    "max_value": _("Pas plus de %(limit_value)s exemplaires d'un même article."),
}


class AddForm(forms.Form):
    product = forms.IntegerField(min_value=1)
    variant = forms.IntegerField(min_value=1, required=False)
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=MAX_QUANTITY,
        required=False,
        error_messages=QUANTITY_ERRORS,
    )
    next = forms.CharField(required=False, max_length=500)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantité"), min_value=0, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )
