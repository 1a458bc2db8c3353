"""A shop's account at the payment provider: opened from the merchant's back-office through the provider's
hosted onboarding, its state kept up to date on the merchant's return and by the provider's events.

Online payment is offered only for shops whose account can take charges (`online_payment_available`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.shops.models import Shop

from . import providers
from .models import ShopPaymentAccount
from .providers import AccountStatus, ProviderError

logger = logging.getLogger(__name__)


class AccountState(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Pas encore connecté")
    INFORMATION_NEEDED = "information_needed", gettext_lazy("Informations à compléter")
    PENDING_VERIFICATION = "pending_verification", gettext_lazy("Vérification en cours")
    ENABLED = "enabled", gettext_lazy("Prêt à recevoir des paiements en ligne")


def account_state(account: ShopPaymentAccount | None) -> AccountState:
    """Where the shop stands, from what the provider said: charges enabled, details submitted, what is due."""
    if account is None:
        return AccountState.NOT_STARTED
    if account.charges_enabled:
        return AccountState.ENABLED
    if not account.details_submitted or account.requirements_due:
        return AccountState.INFORMATION_NEEDED
    return AccountState.PENDING_VERIFICATION


def shop_payment_account(shop: Shop) -> ShopPaymentAccount | None:
    """The shop's account at the provider new payments use, if it has opened one."""
    return ShopPaymentAccount.objects.filter(shop=shop, provider=providers.current_provider().name).first()


def payment_account_onboarding_start(*, shop: Shop, return_url: str, refresh_url: str) -> str:
    """The provider's hosted onboarding for the shop, opening its account first if it has none there.

    Two clicks at once open one account: the shop's row is locked while the account is made, and the
    provider deduplicates by the idempotency key. Raises ValidationError in French when the provider
    cannot be reached.
    """
    provider = providers.current_provider()
    try:
        with transaction.atomic():
            Shop.objects.select_for_update().filter(pk=shop.pk).first()
            account = ShopPaymentAccount.objects.filter(shop=shop).first()
            if account is None or account.provider != provider.name:
                account_id = provider.create_account(
                    shop, idempotency_key=f"account-shop-{shop.pk}-{provider.name}"
                )
                account, _created = ShopPaymentAccount.objects.update_or_create(
                    shop=shop,
                    defaults={
                        "provider": provider.name,
                        "account_id": account_id,
                        "charges_enabled": False,
                        "details_submitted": False,
                        "requirements_due": [],
                        "pending_verification": [],
                        "disabled_reason": "",
                    },
                )
        return provider.account_link(account.account_id, return_url=return_url, refresh_url=refresh_url)
    except ProviderError:
        logger.exception("Could not start the payment onboarding of shop %s", shop.pk)
        raise ValidationError(
            _("Le prestataire de paiement ne répond pas pour le moment. Réessayez dans quelques minutes.")
        ) from None


def payment_account_refresh(*, shop: Shop) -> ShopPaymentAccount | None:
    """Ask the provider how the shop's account stands now (the merchant is back from onboarding)."""
    account = shop_payment_account(shop)
    if account is None:
        return None
    try:
        status = providers.provider_named(account.provider).account_status(account.account_id)
    except ProviderError:
        logger.exception("Could not read the payment account of shop %s", shop.pk)
        return account  # the provider's event will bring the news
    payment_account_apply(provider_name=account.provider, status=status)
    account.refresh_from_db()
    return account


def payment_account_apply(*, provider_name: str, status: AccountStatus) -> bool:
    """Record what the provider says of an account of ours; False when the account is none of ours."""
    fields: dict[str, Any] = {
        "charges_enabled": status.charges_enabled,
        "details_submitted": status.details_submitted,
        "requirements_due": status.due,
        "pending_verification": list(status.pending_verification),
        "disabled_reason": status.disabled_reason[:100],
        "status_checked_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    updated = ShopPaymentAccount.objects.filter(provider=provider_name, account_id=status.account_id).update(
        **fields
    )
    if not updated:
        logger.warning("Account %s from %s is none of our shops'", status.account_id, provider_name)
    return bool(updated)
