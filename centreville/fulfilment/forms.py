"""Forms of the town team's and the merchant's fulfilment pages: they read and check; services write."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from centreville.catalogue.forms import EuroField
from centreville.catalogue.services import parse_price
from centreville.shops.forms_hours import WeeklyHoursMixin
from centreville.shops.models import validate_opening_hours
from centreville.towns.validators import POSTCODE

from .models import DeliveryZone, Locker, RelayPoint, ShopFulfilment, TownFulfilment

HOURS_HELP = gettext_lazy(
    "Format OpenStreetMap : jours en abrégé anglais (Mo, Tu, We, Th, Fr, Sa, Su) puis les heures, par "
    "exemple : Mo-Sa 07:00-19:30; Su 08:00-12:30"
)
# Numbers of minutes a merchant picks from rather than types.
PREPARATION_MINUTES = (0, 15, 30, 60, 120, 180, 240, 24 * 60, 2 * 24 * 60)
SLOT_MINUTES = (15, 20, 30, 45, 60, 90, 120, 180, 240)
DELIVERY_WINDOW_MINUTES = (30, 60, 90, 120, 180, 240)


class AmountField(EuroField):
    """An amount in euros as people type it (« 2,50 », « 2.50 € »)."""

    def parse(self, text: str) -> Decimal:
        try:
            return parse_price(text)
        except ValidationError as error:
            if error.code == "negative":
                raise ValidationError(_("Un montant ne peut pas être négatif."), code="negative") from None
            raise ValidationError(
                _("Montant « %(value)s » illisible (exemple : 2,50).") % {"value": text}, code="invalid"
            ) from None


class TownFulfilmentForm(forms.Form):
    """The town's ways, fee rule and subsidy (TownFulfilment) and its order delays (TownOrderSettings)."""

    pickup_enabled = forms.BooleanField(label=gettext_lazy("Retrait en boutique"), required=False)
    relay_enabled = forms.BooleanField(label=gettext_lazy("Retrait en point relais"), required=False)
    locker_enabled = forms.BooleanField(label=gettext_lazy("Retrait en consigne"), required=False)
    delivery_enabled = forms.BooleanField(label=gettext_lazy("Livraison à domicile"), required=False)
    delivery_base_fee = AmountField(label=gettext_lazy("Frais de livraison de base (€)"))
    delivery_fee_per_km = AmountField(
        label=gettext_lazy("Frais par kilomètre depuis le centre (€)"),
        help_text=gettext_lazy("Comptés quand le client a indiqué sa position ; 0 sinon."),
    )
    delivery_free_from = AmountField(
        label=gettext_lazy("Livraison offerte à partir de (€ d'achats)"),
        required=False,
        help_text=gettext_lazy("Laissez vide si la livraison n'est jamais offerte."),
    )
    subsidy_percent = forms.IntegerField(
        label=gettext_lazy("Part des frais payée par la ville (%)"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("100 : la ville paie toute la livraison, 0 : le client la paie."),
    )
    subsidy_cap = AmountField(
        label=gettext_lazy("Plafond de l'aide par livraison (€)"),
        required=False,
        help_text=gettext_lazy("Laissez vide pour ne pas plafonner."),
    )
    accept_within_hours = forms.IntegerField(
        label=gettext_lazy("Délai pour accepter une commande (heures)"),
        min_value=1,
        max_value=24 * 30,
        help_text=gettext_lazy("Passé ce délai, une commande non acceptée expire et le stock revient."),
    )
    collect_within_days = forms.IntegerField(
        label=gettext_lazy("Délai pour retirer une commande prête (jours)"),
        min_value=1,
        max_value=365,
    )
    online_payment_enabled = forms.BooleanField(
        label=gettext_lazy("Proposer le paiement en ligne (le paiement au retrait reste proposé)"),
        required=False,
    )

    WAYS = ("pickup_enabled", "relay_enabled", "locker_enabled", "delivery_enabled")
    FEES = ("delivery_base_fee", "delivery_fee_per_km", "delivery_free_from")
    SUBSIDY = ("subsidy_percent", "subsidy_cap")
    ORDERS = ("accept_within_hours", "collect_within_days", "online_payment_enabled")

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the order and groups the page shows them."""
        return [
            (_("Modes proposés aux clients"), [self[name] for name in self.WAYS]),
            (_("Frais de livraison"), [self[name] for name in self.FEES]),
            (_("Aide de la ville à la livraison"), [self[name] for name in self.SUBSIDY]),
            (_("Commandes"), [self[name] for name in self.ORDERS]),
        ]


class _PickupPlaceForm(WeeklyHoursMixin, forms.ModelForm):
    """A relay point or a locker; its opening hours typed day by day (or as an expression)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opening_hours"].label = _("Horaires au format OpenStreetMap")
        self.add_week_fields()

    def clean_opening_hours(self) -> str:
        hours = " ".join(self.cleaned_data["opening_hours"].split())
        if hours:  # empty: the day-by-day table may fill it, else clean_week says it is missing
            validate_opening_hours(hours)
        return hours

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_week(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        pass  # the service validates and saves


class RelayPointForm(_PickupPlaceForm):
    class Meta:
        model = RelayPoint
        fields = ["name", "street_address", "opening_hours", "is_active"]
        help_texts = {"opening_hours": HOURS_HELP}


class LockerForm(_PickupPlaceForm):
    class Meta:
        model = Locker
        fields = ["name", "street_address", "opening_hours", "compartments", "is_active"]
        help_texts = {"opening_hours": HOURS_HELP}


class DeliveryZoneForm(forms.ModelForm):
    postcodes = forms.CharField(
        label=gettext_lazy("Codes postaux"),
        required=False,
        help_text=gettext_lazy("Séparés par des virgules, par exemple : 61200, 61150"),
    )
    radius_km = forms.DecimalField(
        label=gettext_lazy("Ou rayon autour du centre-ville (km)"),
        required=False,
        min_value=Decimal("0.1"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=gettext_lazy("Pour les clients qui indiquent leur position ; laissez vide sinon."),
    )
    extra_fee = AmountField(
        label=gettext_lazy("Supplément pour cette zone (€)"),
        help_text=gettext_lazy("Ajouté aux frais de livraison de la ville ; 0 s'il n'y en a pas."),
    )

    class Meta:
        model = DeliveryZone
        fields = ["name", "postcodes", "radius_km", "extra_fee", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["postcodes"] = ", ".join(self.instance.postcodes or [])

    def clean_postcodes(self) -> list[str]:
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["postcodes"]) if code]
        wrong = [code for code in codes if not POSTCODE.match(code)]
        if wrong:
            raise ValidationError(
                ngettext(
                    "« %(codes)s » n'est pas un code postal français (5 chiffres).",
                    "« %(codes)s » ne sont pas des codes postaux français (5 chiffres chacun).",
                    len(wrong),
                )
                % {"codes": ", ".join(wrong)}
            )
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("postcodes") and cleaned.get("radius_km") is None:
            raise ValidationError(_("Indiquez des codes postaux ou un rayon autour du centre."))
        return cleaned

    def _post_clean(self) -> None:
        pass  # the service validates and saves


def _minutes_label(minutes: int) -> str:
    if minutes == 0:
        return _("aucun (prêt tout de suite)")
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}
    if minutes % 60 == 0:
        return _("%(count)s h") % {"count": minutes // 60}
    if minutes > 60:
        return _("%(hours)s h %(minutes)s") % {"hours": minutes // 60, "minutes": f"{minutes % 60:02d}"}
    return _("%(count)s min") % {"count": minutes}


def _minute_choices(values: tuple[int, ...], current: int | None) -> list[tuple[int, str]]:
    minutes = sorted(set(values) | ({current} if current is not None else set()))
    return [(value, _minutes_label(value)) for value in minutes]


class ShopFulfilmentForm(forms.ModelForm):
    """The ways the shop offers among the town's, and how its pickup slots are cut."""

    preparation_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Temps de préparation d'une commande"),
        coerce=int,
        help_text=gettext_lazy("Le premier créneau proposé commence au moins ce temps-là après la commande."),
    )
    slot_minutes = forms.TypedChoiceField(label=gettext_lazy("Durée d'un créneau de retrait"), coerce=int)
    slot_capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de commandes par créneau"),
        min_value=1,
        max_value=500,
        help_text=gettext_lazy("Un créneau plein n'est plus proposé aux clients."),
    )
    delivery_window_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Durée d'une plage de livraison"), coerce=int
    )
    delivery_capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de livraisons par plage"),
        min_value=1,
        max_value=100,
        help_text=gettext_lazy("Une plage pleine n'est plus proposée aux clients."),
    )

    class Meta:
        model = ShopFulfilment
        fields = list(ShopFulfilment.audited_fields)  # every rule the shop sets
        labels = {
            "pickup_enabled": gettext_lazy("Retrait dans mon commerce"),
            "relay_enabled": gettext_lazy("Retrait en point relais"),
            "locker_enabled": gettext_lazy("Retrait en consigne"),
            "delivery_enabled": gettext_lazy("Livraison à domicile"),
        }

    def __init__(self, *args: Any, town_rules: TownFulfilment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the ways the town offers; the others keep their saved value.
        for name in ("pickup_enabled", "relay_enabled", "locker_enabled", "delivery_enabled"):
            if not getattr(town_rules, name):
                del self.fields[name]
        if not town_rules.delivery_enabled:  # delivery windows only matter where the town delivers
            for name in ("delivery_hours", "delivery_window_minutes", "delivery_capacity"):
                del self.fields[name]
        preparation = self.fields["preparation_minutes"]
        slot = self.fields["slot_minutes"]
        assert isinstance(preparation, forms.TypedChoiceField)
        assert isinstance(slot, forms.TypedChoiceField)
        preparation.choices = _minute_choices(PREPARATION_MINUTES, self.instance.preparation_minutes)
        slot.choices = _minute_choices(SLOT_MINUTES, self.instance.slot_minutes)
        window = self.fields.get("delivery_window_minutes")
        if isinstance(window, forms.TypedChoiceField):
            window.choices = _minute_choices(DELIVERY_WINDOW_MINUTES, self.instance.delivery_window_minutes)

    def clean_delivery_hours(self) -> str:  # only where the town delivers
        hours = " ".join(self.cleaned_data["delivery_hours"].split())
        if hours:
            validate_opening_hours(hours)
        return hours

    def _post_clean(self) -> None:
        pass  # the service validates and saves

    def ways(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith("_enabled")]

    def slot_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("preparation_minutes", "slot_minutes", "slot_capacity")]

    def delivery_fields(self) -> list[forms.BoundField]:
        names = ("delivery_hours", "delivery_window_minutes", "delivery_capacity")
        return [self[name] for name in names if name in self.fields]
