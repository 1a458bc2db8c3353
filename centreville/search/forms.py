from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import MAX_QUERY_LENGTH

# `type` values in URLs, in French, and the kinds search() knows.
KINDS = {"commerce": "shop", "produit": "product"}
KIND_PARAMS = {kind: param for param, kind in KINDS.items()}


class SearchForm(forms.Form):
    """The search page's query string. Filters and page numbers are read leniently: a stale or edited
    link shows results rather than an error."""

    q = forms.CharField(
        label=_("Rechercher un commerce ou un produit"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Votre recherche est trop longue : %(limit_value)d caractères au plus.")
        },
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    type = forms.CharField(required=False, widget=forms.HiddenInput)
    metier = forms.CharField(required=False, widget=forms.HiddenInput)
    categorie = forms.CharField(required=False, widget=forms.HiddenInput)
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_type(self) -> str | None:
        return KINDS.get(self.cleaned_data["type"])

    def clean_metier(self) -> str | None:
        return self.cleaned_data["metier"][:80] or None

    def clean_categorie(self) -> str | None:
        return self.cleaned_data["categorie"][:80] or None

    def clean_page(self) -> int:
        try:
            return max(1, min(int(self.cleaned_data["page"]), 10_000))
        except ValueError:
            return 1
