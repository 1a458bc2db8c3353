"""The exact words a person agrees to, by version: a consent records the version and the words themselves,
so that a later change of wording never rewrites what someone accepted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from centreville.core.channels import Channel

EMAIL_VERSION = "email-2026-12"
SMS_VERSION = "sms-2026-12"

WORDINGS = {
    EMAIL_VERSION: _(
        "J'accepte de recevoir par e-mail les actualités et offres que j'ai cochées. Je peux me désabonner "
        "à tout moment depuis le lien présent dans chaque message."
    ),
    SMS_VERSION: _(
        "J'accepte de recevoir par SMS les actualités et offres que j'ai cochées, au plus du lundi au "
        "samedi de 8 h à 20 h. Je peux me désabonner à tout moment en répondant STOP."
    ),
}


def version_for(channel: str) -> str:
    return EMAIL_VERSION if channel == Channel.EMAIL else SMS_VERSION


def wording_of(version: str) -> str:
    """The words of this version, in French (the language they were shown in is the form's)."""
    return str(WORDINGS[version])
