"""How a customer is reached: the e-mail address and phone number they gave, and the channel they prefer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from centreville.core.channels import Channel, mobile_number

from .models import ContactPreference


@dataclass(frozen=True)
class CustomerContact:
    """How to reach the customer: an e-mail address, a phone number (+33…), and the channel they prefer."""

    email: str = ""
    phone: str = ""
    notify_by: str = ""  # Channel.EMAIL or Channel.SMS

    @property
    def preferred(self) -> str:
        """The address of the preferred channel: what the order shows as its contact."""
        return self.phone if self.notify_by == Channel.SMS else self.email

    @classmethod
    def of(cls, value: str) -> CustomerContact:
        """The one contact given (an e-mail address or a phone number): it decides the channel."""
        value = value.strip()
        if "@" in value:
            return cls(email=value, notify_by=Channel.EMAIL)
        return cls(phone=value, notify_by=Channel.SMS)


def customer_contact_of(*, email: str, phone: str, notify_by: str) -> CustomerContact:
    """The customer's contact from what they typed (each already cleaned, possibly empty); the one given
    decides the channel, or their choice when they gave both. ValidationError in French, by field."""
    if not email and not phone:
        raise ValidationError(
            {"customer_phone": _("Indiquez un téléphone ou une adresse e-mail pour être prévenu.")},
            code="required",
        )
    if email and phone:
        if notify_by not in (Channel.EMAIL, Channel.SMS):
            raise ValidationError(
                {"notify_by": _("Choisissez comment être prévenu : par SMS ou par e-mail.")}, code="choose"
            )
        if notify_by == Channel.SMS and mobile_number(phone) is None:
            raise ValidationError(
                {
                    "customer_phone": _(
                        "Ce numéro ne reçoit pas de SMS : choisissez d'être prévenu par e-mail."
                    )
                },
                code="landline",
            )
        return CustomerContact(email=email, phone=phone, notify_by=notify_by)
    return (
        CustomerContact(email=email, notify_by=Channel.EMAIL)
        if email
        else CustomerContact(phone=phone, notify_by=Channel.SMS)
    )


def contact_preference_remember(*, user: Any, notify_by: str, phone: str) -> None:
    """Remember how this signed-in customer chose to be told (and the phone they gave) for next time."""
    if notify_by not in Channel.values:
        return
    ContactPreference.objects.update_or_create(user=user, defaults={"notify_by": notify_by, "phone": phone})


def contact_preference(user: Any) -> ContactPreference | None:
    """How this signed-in customer chose to be told last time, if they ever did."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ContactPreference.objects.filter(user=user).first()
