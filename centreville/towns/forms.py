from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from centreville.accounts.models import Role

from .logos import processed_logo
from .models import Town
from .services import TOWN_SETTINGS_FIELDS

LOGO_TYPES = "image/jpeg,image/png,image/webp"


class LogoField(forms.FileField):
    """A logo: JPEG, PNG or WebP, checked and re-encoded by the image pipeline when the form is cleaned
    (Django's ImageField would first decode it with every format Pillow knows)."""

    widget = forms.ClearableFileInput(attrs={"accept": LOGO_TYPES})

    def clean(self, data: Any, initial: Any = None) -> Any:
        return processed_logo(super().clean(data, initial))


class TownSettingsForm(forms.ModelForm):
    postcodes = forms.CharField(
        label=_("Codes postaux"), help_text=_("Séparés par des virgules, par exemple : 61200, 61201")
    )
    logo = LogoField(
        label=_("logo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP ; il est affiché en petit carré dans l'en-tête de chaque page."),
    )

    class Meta:
        model = Town
        fields = list(TOWN_SETTINGS_FIELDS)
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "welcome_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["postcodes"] = ", ".join(self.instance.postcodes)

    def clean_postcodes(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["postcodes"].split(",") if code.strip()]


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
