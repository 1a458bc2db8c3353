"""What an invoice prints about its parties and its terms (C. com. L441-9, CGI ann. II art. 242 nonies A),
written into its snapshot at issue, in French."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from centreville.enterprises.models import Enterprise, VatRegime

# Perishable food is paid at most 30 days after delivery (C. com. L441-11); every food category is.
PERISHABLE_TERMS_DAYS = 30

# EN 16931 VAT categories: standard rate, exempt (franchise en base), not subject (flat-rate farmer).
VAT_CATEGORY = {VatRegime.REGISTERED: "S", VatRegime.FRANCHISE: "E", VatRegime.FLAT_RATE_FARMER: "O"}


def vat_exemption(regime: str) -> str:
    if regime == VatRegime.FRANCHISE:
        return gettext("TVA non applicable, art. 293 B du CGI")
    if regime == VatRegime.FLAT_RATE_FARMER:
        return gettext(
            "Exploitant agricole au remboursement forfaitaire agricole : "
            "TVA non facturée (art. 298 quater du CGI)"
        )
    return ""


def due_date(*, delivery_date: date, payment_terms_days: int) -> date:
    return delivery_date + timedelta(days=min(payment_terms_days, PERISHABLE_TERMS_DAYS))


def _euros(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def party(enterprise: Enterprise) -> dict[str, Any]:
    """An enterprise's identity as an invoice prints it, at that moment."""
    return {
        "name": enterprise.name,
        "legal_form": str(enterprise.get_legal_form_display()),
        "street_address": enterprise.street_address,
        "postcode": enterprise.postcode,
        "city": enterprise.city,
        "country": "FR",
        "siret": enterprise.siret,
        "siren": enterprise.siren,
        "registry": enterprise.registry,
        "share_capital": "" if enterprise.share_capital is None else str(enterprise.share_capital),
        "vat_number": enterprise.vat_number,
        "vat_regime": enterprise.vat_regime,
        "email": enterprise.email,
        "delivery_address": " ".join(
            filter(
                None, [enterprise.delivery_address, enterprise.delivery_postcode, enterprise.delivery_city]
            )
        ),
    }


def legal_identity(snapshot_party: dict[str, Any]) -> str:
    """« EARL — SIRET 41000001900011 — RCS Alençon — capital social 10 000,00 € — TVA FR… »."""
    parts = [snapshot_party["legal_form"], gettext("SIRET %(siret)s") % {"siret": snapshot_party["siret"]}]
    if snapshot_party["registry"]:
        parts.append(snapshot_party["registry"])
    if snapshot_party["share_capital"]:
        parts.append(
            gettext("capital social %(amount)s €")
            % {"amount": _euros(Decimal(snapshot_party["share_capital"]))}
        )
    if snapshot_party["vat_number"]:
        parts.append(gettext("TVA intracommunautaire %(number)s") % {"number": snapshot_party["vat_number"]})
    return " — ".join(parts)


def invoice_mentions(*, seller: Enterprise, due: date) -> list[str]:
    mentions = []
    exemption = vat_exemption(seller.vat_regime)
    if exemption:
        mentions.append(exemption)
    mentions += [
        gettext("Date d'échéance : %(due)s.") % {"due": due.strftime("%d/%m/%Y")},
        gettext("Pas d'escompte pour paiement anticipé."),
        gettext("Pénalités de retard : %(rate)s %% par an, exigibles dès le lendemain de l'échéance.")
        % {"rate": number_format(seller.late_payment_rate, decimal_pos=2, use_l10n=True)},
        gettext("Indemnité forfaitaire pour frais de recouvrement : 40 €"),
    ]
    return mentions
