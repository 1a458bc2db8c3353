"""The checkout form: who the customer is, how they pay, and how each shop's order reaches them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.channels import Channel
from centreville.fulfilment.models import FulfilmentMethod, Locker, RelayPoint
from centreville.fulfilment.selectors import Slot
from centreville.fulfilment.services import FulfilmentChoice
from centreville.shops.models import Shop
from centreville.vouchers.codes import LENGTH as VOUCHER_CODE_LENGTH
from centreville.vouchers.codes import code_read

from .checkout import CONTACT_MAX_CHARS, NAME_MAX_CHARS, clean_contact, clean_customer_name
from .contact import CustomerContact, customer_contact_of
from .models import PaymentChoice


class CustomerForm(forms.Form):
    customer_name = forms.CharField(
        label=_("Votre nom"),
        max_length=NAME_MAX_CHARS,
        help_text=_("Le commerçant le demandera au retrait."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    customer_phone = forms.CharField(
        label=_("Téléphone mobile"),
        max_length=CONTACT_MAX_CHARS,
        required=False,
        help_text=_("Exemple : 06 12 34 56 78. Un téléphone ou un e-mail suffit."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    customer_email = forms.CharField(
        label=_("E-mail"),
        max_length=CONTACT_MAX_CHARS,
        required=False,
        help_text=_("Exemple : nom@exemple.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_by = forms.ChoiceField(
        label=_("Si vous donnez les deux, comment vous prévenir ?"),
        widget=forms.RadioSelect,
        required=False,
        choices=[(Channel.SMS.value, _("Par SMS")), (Channel.EMAIL.value, _("Par e-mail"))],
    )
    payment = forms.ChoiceField(
        label=_("Comment payer ?"),
        widget=forms.RadioSelect,
        initial=PaymentChoice.AT_PICKUP,
        error_messages={"required": _("Choisissez comment payer.")},
    )
    voucher_code = forms.CharField(
        label=_("Code d'un bon d'achat ou d'une carte cadeau"),
        required=False,
        # Room for the dashes and spaces a person types between the groups.
        max_length=VOUCHER_CODE_LENGTH * 2,
        help_text=_(
            "Facultatif. Les 16 caractères imprimés sur le bon, avec ou sans tirets. Il paie ce qu'il peut "
            "chez les commerces qui l'acceptent ; le reste se règle comme choisi ci-dessus."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    contact: CustomerContact

    def __init__(self, *args: Any, online_available: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(PaymentChoice.AT_PICKUP.value, _("Au retrait, directement au commerçant"))]
        if online_available:
            choices.append((PaymentChoice.ONLINE.value, _("En ligne maintenant, par carte bancaire")))
        payment = self.fields["payment"]
        assert isinstance(payment, forms.ChoiceField)
        payment.choices = choices
        self.fields["customer_name"].error_messages["required"] = gettext("Indiquez votre nom.")

    def clean_customer_name(self) -> str:
        return clean_customer_name(self.cleaned_data["customer_name"])

    def clean_customer_phone(self) -> str:
        value = self.cleaned_data["customer_phone"].strip()
        if value and "@" in value:
            raise ValidationError(_("Indiquez l'adresse e-mail dans le champ « E-mail »."), code="email")
        return clean_contact(value) if value else ""

    def clean_customer_email(self) -> str:
        value = self.cleaned_data["customer_email"].strip()
        if value and "@" not in value:
            raise ValidationError(
                gettext("« %(value)s » n'est pas une adresse e-mail valide (exemple : nom@exemple.fr).")
                % {"value": value},
                code="email",
            )
        return clean_contact(value) if value else ""

    def clean_voucher_code(self) -> str:
        """The code as stored (upper case, no separators), read leniently; "" when none is given."""
        typed = self.cleaned_data["voucher_code"].strip()
        if not typed:
            return ""
        code = code_read(typed)
        if code is None:
            raise ValidationError(
                gettext("Ce code n'est pas celui d'un bon : vérifiez chaque caractère."), code="voucher"
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"customer_phone", "customer_email"} & set(self.errors):
            return data
        try:
            self.contact = customer_contact_of(
                email=data.get("customer_email", ""),
                phone=data.get("customer_phone", ""),
                notify_by=data.get("notify_by", ""),
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                self.add_error(name, errors)
        return data

    @property
    def pay_online(self) -> bool:
        return self.cleaned_data.get("payment") == PaymentChoice.ONLINE


def slot_label(start: datetime, end: datetime) -> str:
    """« mardi 2 décembre, 10:00 – 10:30 »: the day stays with the hours once the slot is chosen."""
    return gettext("%(day)s, %(start)s – %(end)s") % {
        "day": formats.date_format(start, "l j F"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
    }


def slot_choices(slots: Sequence[Slot]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The slots grouped by day, as <optgroup>s named after the day, each slot named with its day too."""
    return [
        (
            formats.date_format(day, "l j F"),
            [(slot.start.isoformat(), slot_label(slot.start, slot.end)) for slot in day_slots],
        )
        for day, day_slots in groupby(slots, key=lambda slot: slot.start.date())
    ]


def _place_label(place: RelayPoint | Locker) -> str:
    return f"{place.name} — {place.street_address}"


class ShopWayForm(forms.Form):
    """How one shop's order reaches the customer; only what the chosen way needs is required."""

    method = forms.ChoiceField(
        label=_("Mode de retrait"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez comment récupérer cette commande."),
            "invalid_choice": _("Ce commerce ne propose pas ce mode : choisissez-en un autre."),
        },
    )
    slot = forms.ChoiceField(
        label=_("Créneau de retrait"),
        required=False,
        help_text=_("Obligatoire pour un retrait en boutique."),
        error_messages={"invalid_choice": _("Ce créneau n'est plus proposé, choisissez-en un autre.")},
        widget=forms.Select(attrs={"required": True}),
    )
    relay_point = forms.ChoiceField(
        label=_("Choisir le point relais"),
        required=False,
        help_text=_("Obligatoire pour un retrait en point relais."),
        widget=forms.Select(attrs={"required": True}),
        error_messages={
            "invalid_choice": _("Ce point relais n'est plus disponible, choisissez-en un autre.")
        },
    )
    locker = forms.ChoiceField(
        label=_("Choisir la consigne"),
        required=False,
        help_text=_("Obligatoire pour un retrait en consigne."),
        widget=forms.Select(attrs={"required": True}),
        error_messages={
            "invalid_choice": _("Cette consigne n'est plus disponible, choisissez-en une autre.")
        },
    )
    delivery_address = forms.CharField(
        label=_("Adresse de livraison"),
        required=False,
        max_length=250,
        help_text=_("Numéro, rue, et tout ce qui aide le livreur (étage, code…)"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "required": True}),
    )
    delivery_postcode = forms.CharField(
        label=_("Code postal"),
        required=False,
        max_length=5,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "required": True}
        ),
    )
    delivery_city = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "required": True}),
    )
    delivery_window = forms.ChoiceField(
        label=_("Plage de livraison"),
        required=False,
        help_text=_("Quelqu'un doit être là pour recevoir la commande."),
        error_messages={"invalid_choice": _("Cette plage n'est plus proposée, choisissez-en une autre.")},
        widget=forms.Select(attrs={"required": True}),
    )

    def __init__(
        self,
        *args: Any,
        shop: Shop,
        methods: Sequence[str],
        slots: Sequence[Slot],
        relay_points: Sequence[RelayPoint],
        lockers: Sequence[Locker],
        windows: Sequence[Slot] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"commerce-{shop.pk}")
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.methods = list(methods)
        self._choice_field("method").choices = [(m, FulfilmentMethod(m).label) for m in self.methods]
        if len(self.methods) >= 1 and not self.is_bound:
            self.initial.setdefault("method", self.methods[0])
        self._choice_field("slot").choices = [("", gettext("Choisissez un créneau")), *slot_choices(slots)]
        self._choice_field("delivery_window").choices = [
            ("", gettext("Choisissez une plage")),
            *slot_choices(windows),
        ]
        if not self.is_bound:
            self.initial.setdefault("delivery_city", shop.town.name)
        self._choice_field("relay_point").choices = [
            ("", gettext("Choisissez un point relais")),
            *((str(p.pk), _place_label(p)) for p in relay_points),
        ]
        self._choice_field("locker").choices = [
            ("", gettext("Choisissez une consigne")),
            *((str(p.pk), _place_label(p)) for p in lockers),
        ]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def offers(self, method: str) -> bool:
        return method in self.methods

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        required_by_method: dict[str, dict[str, str]] = {
            FulfilmentMethod.PICKUP: {"slot": gettext("Choisissez un créneau de retrait.")},
            FulfilmentMethod.RELAY: {"relay_point": gettext("Choisissez un point relais.")},
            FulfilmentMethod.LOCKER: {"locker": gettext("Choisissez une consigne.")},
            FulfilmentMethod.DELIVERY: {
                "delivery_address": gettext("Indiquez l'adresse de livraison."),
                "delivery_postcode": gettext("Indiquez le code postal de livraison."),
                "delivery_city": gettext("Indiquez la commune de livraison."),
                "delivery_window": gettext("Choisissez une plage de livraison."),
            },
        }
        for name, message in required_by_method.get(method or "", {}).items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(message, code="required"))
        return data

    def choice(self) -> FulfilmentChoice:
        data = self.cleaned_data
        method = data["method"]
        if method == FulfilmentMethod.PICKUP:
            return FulfilmentChoice(method=method, slot_start=datetime.fromisoformat(data["slot"]))
        if method == FulfilmentMethod.RELAY:
            return FulfilmentChoice(method=method, relay_point_id=int(data["relay_point"]))
        if method == FulfilmentMethod.LOCKER:
            return FulfilmentChoice(method=method, locker_id=int(data["locker"]))
        return FulfilmentChoice(
            method=method,
            slot_start=datetime.fromisoformat(data["delivery_window"]),
            delivery_address=data["delivery_address"],
            delivery_postcode=data["delivery_postcode"],
            delivery_city=data["delivery_city"],
        )
