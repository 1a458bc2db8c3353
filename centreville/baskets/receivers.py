"""How baskets answer the signals of the apps below them, and of sign-in."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from centreville.accounts.signals import user_data_export_requested

from .selectors import baskets_export
from .services import basket_merge_on_login


@receiver(user_data_export_requested, dispatch_uid="baskets.user_data_export")
def export_baskets_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"paniers": baskets_export(user)}


@receiver(user_logged_in, dispatch_uid="baskets.merge_on_login")
def merge_basket_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # A visitor's basket joins the account's when they sign in.
    basket_merge_on_login(request=request, user=user)
