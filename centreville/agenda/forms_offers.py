"""The merchant's offer form: one screen, filled in a minute on a phone; French errors next to each field."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy

from .forms_dates import URL_ERRORS, DatesMixin, ImageMixin, PriceMixin
from .models import OFFER_KINDS, Event, EventKind, PlaceKind
from .services import EventData

OFFER_KIND_CHOICES = [(kind.value, kind.label) for kind in EventKind if kind in OFFER_KINDS]
OFFER_PLACE_CHOICES = [
    (PlaceKind.SHOP.value, gettext_lazy("Dans mon commerce")),
    (PlaceKind.CENTRE.value, gettext_lazy("Dans tout le centre-ville")),
    (PlaceKind.VENUE.value, gettext_lazy("Ailleurs (précisez le lieu)")),
]


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} ({obj.starts_at.astimezone(ZoneInfo(obj.timezone)):%d/%m})"


class OfferForm(ImageMixin, PriceMixin, DatesMixin):
    kind = forms.ChoiceField(
        label=gettext_lazy("Type d'offre"),
        choices=OFFER_KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez le type de l'offre.")},
    )
    title = forms.CharField(
        label=gettext_lazy("Titre"),
        max_length=140,
        help_text=gettext_lazy("Par exemple « Jouets en bois : -20 % »."),
        error_messages={
            "required": gettext_lazy("Donnez un titre à votre offre."),
            "max_length": gettext_lazy("140 caractères au plus."),
        },
    )
    parent = ParentChoiceField(
        label=gettext_lazy("Pendant un événement de la ville"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=gettext_lazy("Aucun"),
        error_messages={
            "invalid_choice": gettext_lazy("Cet événement n'est plus proposé : choisissez-en un autre.")
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Description courte"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("500 caractères au plus.")},
    )
    registration_url = forms.URLField(
        label=gettext_lazy("Lien d'inscription ou de réservation"),
        required=False,
        assume_scheme="https",
        error_messages=URL_ERRORS,
    )
    place_kind = forms.ChoiceField(
        label=gettext_lazy("Où"),
        choices=OFFER_PLACE_CHOICES,
        widget=forms.RadioSelect,
        initial=PlaceKind.SHOP,
    )
    venue_name = forms.CharField(label=gettext_lazy("Lieu"), max_length=150, required=False)

    field_order = [
        "kind",
        "title",
        "day",
        "all_day",
        "start_time",
        "end_time",
        "end_day",
        "parent",
        "description",
        "is_free",
        "price",
        "place_kind",
        "venue_name",
        "registration_url",
        "image",
        "image_alt",
    ]

    def __init__(self, *args: Any, tz: ZoneInfo, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz
        # A ModelChoiceField; the stubs type `fields` as plain Fields, without `queryset`.
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    @classmethod
    def defaults(cls, *, today: datetime.date) -> dict[str, Any]:
        return {
            "kind": EventKind.PROMOTION,
            "day": today,
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(19, 0),
            "place_kind": PlaceKind.SHOP,
        }

    @classmethod
    def initial_from(cls, event: Event, tz: ZoneInfo) -> dict[str, Any]:
        return {
            **DatesMixin.dates_initial(event, tz),
            "kind": event.kind,
            "title": event.title,
            "parent": event.parent_id,
            "description": event.description,
            "is_free": event.is_free,
            "price": event.price,
            "place_kind": event.place_kind,
            "venue_name": event.venue_name,
            "registration_url": event.registration_url,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("place_kind") == PlaceKind.VENUE and not (data.get("venue_name") or "").strip():
            self.add_error("venue_name", gettext_lazy("Indiquez le lieu."))
        return data

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            all_day=bool(data.get("all_day")),
            description=data.get("description") or "",
            parent=data.get("parent"),
            is_free=bool(data.get("is_free")),
            price=data.get("price"),
            place_kind=data["place_kind"],
            venue_name=data.get("venue_name") or "",
            registration_url=data.get("registration_url") or "",
        )
