"""The buyer's standing order form: the weekday, the hand-over, the start and a quantity per lot.

The form only reads what was typed; every rule (the lot's minimum and step, the place's days…) is checked
by `standing.standing_order_create` / `standing_order_change_lines`, the one path that writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centreville.lots.models import Lot
from centreville.shops.hours import WEEKDAY_NAMES

from .services import parse_quantity
from .standing import HandOverPlace, parse_place

QUANTITY_PREFIX = "quantite_"


class StandingLinesForm(forms.Form):
    """A quantity per lot of the producer, blank for a lot not ordered."""

    def __init__(self, *args: Any, lots: Sequence[Lot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lots = list(lots)
        # Each lot's unit price for the buyer, shown beside its quantity (set by the view).
        self.prices: dict[int, Decimal] = {}
        for lot in self.lots:
            self.fields[f"{QUANTITY_PREFIX}{lot.pk}"] = forms.CharField(
                label=lot.title, required=False, max_length=20
            )

    def rows(self) -> list[tuple[Lot, forms.BoundField, Decimal | None]]:
        return [(lot, self[f"{QUANTITY_PREFIX}{lot.pk}"], self.prices.get(lot.pk)) for lot in self.lots]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines: list[tuple[int, Decimal]] = []
        for lot in self.lots:
            name = f"{QUANTITY_PREFIX}{lot.pk}"
            typed = str(cleaned.get(name) or "").strip()
            if not typed:
                continue
            try:
                lines.append((lot.pk, parse_quantity(typed)))
            except ValidationError as problem:
                self.add_error(name, problem)
        cleaned["lines"] = lines
        return cleaned


class StandingOrderForm(StandingLinesForm):
    """A new standing order to one producer: its lines, and when and where it is handed over."""

    weekday = forms.TypedChoiceField(
        label=_("Jour de remise, chaque semaine"),
        coerce=int,
        choices=[(number, name) for number, name in enumerate(WEEKDAY_NAMES, start=1)],
    )
    place = forms.ChoiceField(
        label=_("Lieu de remise"),
        help_text=_("Chaque lieu indique les jours où il ouvre : choisissez-en un qui ouvre ce jour-là."),
    )
    starts_on = forms.DateField(
        label=_("À partir du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, places: Sequence[HandOverPlace], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", _("Choisissez…")), *((option.value, option.label) for option in places)]

    def hand_over_fields(self) -> list[forms.BoundField]:
        return [self["weekday"], self["place"], self["starts_on"]]

    def clean_place(self) -> tuple[str, int]:
        return parse_place(str(self.cleaned_data["place"]))
