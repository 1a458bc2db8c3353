"""The two ways the platform reaches a person: by e-mail, or by SMS on a mobile number."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


def mobile_number(value: object) -> str | None:
    """The E.164 form of a French (or international) mobile number, None for anything that takes no SMS."""
    try:
        number = phonenumbers.parse(str(value), settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
