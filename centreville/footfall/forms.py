"""The town team's form for a counting site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from .models import CountingSite
from .services import SiteData


class SiteForm(forms.ModelForm):
    class Meta:
        model = CountingSite
        fields = ["name", "kind", "address", "latitude", "longitude", "external_id"]
        help_texts = {
            "latitude": gettext_lazy(
                "En degrés décimaux, par exemple 48.744500 : sans position, le compteur n'est pas publié "
                "dans les données ouvertes."
            ),
            "longitude": gettext_lazy("En degrés décimaux, par exemple -0.020300."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # « 48,7445 » as well as « 48.7445 »: a French keyboard types the comma.
        for name in ("latitude", "longitude"):
            self.fields[name].localize = True

    def site_data(self) -> SiteData:
        data = self.cleaned_data
        return SiteData(
            name=data["name"],
            kind=data["kind"],
            external_id=data["external_id"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )
