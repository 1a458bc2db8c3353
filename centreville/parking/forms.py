"""Forms of the town team's parking page."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core import outbound

from .hours import validate_opening_hours
from .models import CarPark, Feed, FeedFormat
from .parsers.opendatasoft import MAPPING_HELP, check_mapping

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CarParkImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV au schéma national « stationnement »"),
        help_text=gettext_lazy(
            "Séparateur « ; » ou « , », en UTF-8 ou Windows-1252. "
            "Les lignes d'autres communes ou incomplètes sont signalées et écartées ; "
            "les autres sont importées, mises à jour par identifiant."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        data: bytes = upload.read()
        return data


class FeedForm(forms.ModelForm):
    mapping_text = forms.CharField(
        label=gettext_lazy("Correspondance des champs (JSON, Opendatasoft seulement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            'Par exemple {"id": "identifiant", "free": "places_libres", "total": "capacite"}. '
            "Clés possibles : "
            "%(keys)s. Vide : les champs de Strasbourg (idsurfs, libre, total, etat…)."
        )
        % {"keys": MAPPING_HELP},
    )

    class Meta:
        model = Feed
        fields = ["name", "url", "format", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.mapping:
            self.fields["mapping_text"].initial = json.dumps(self.instance.mapping, ensure_ascii=False)

    def clean_url(self) -> str:
        """Only an http(s) address on the public Internet: the server must not read its own network. An
        address left as it was is not looked up again, so that a feed whose host is gone can be disabled
        (polling checks every address anyway)."""
        url: str = self.cleaned_data["url"].strip()
        if self.instance.pk and url == self.instance.url:
            return url
        try:
            outbound.check_address(url)
        except outbound.AddressRefused as error:
            raise forms.ValidationError(str(error), code="address") from error
        return url

    def clean_mapping_text(self) -> dict[str, Any]:
        text = self.cleaned_data["mapping_text"].strip()
        if not text:
            return {}
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Ce n'est pas du JSON valide : %(error)s.") % {"error": error.msg}
            ) from error
        if not isinstance(mapping, dict):
            raise forms.ValidationError(_("Donnez un objet JSON, entre accolades."))
        problems = check_mapping(mapping)
        if problems:
            raise forms.ValidationError("; ".join(problems))
        return mapping

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mapping_text") and cleaned.get("format") != FeedFormat.OPENDATASOFT:
            self.add_error(
                "mapping_text", _("La correspondance des champs ne sert qu'aux flux Opendatasoft.")
            )
        return cleaned

    def feed_data(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "url": self.cleaned_data["url"],
            "format": self.cleaned_data["format"],
            "enabled": self.cleaned_data["enabled"],
            "mapping": self.cleaned_data["mapping_text"],
        }


class CarParkSettingsForm(forms.ModelForm):
    class Meta:
        model = CarPark
        fields = ["opening_hours", "feed_ref"]

    def clean_opening_hours(self) -> str:
        value: str = self.cleaned_data["opening_hours"].strip()
        validate_opening_hours(value)
        return value
