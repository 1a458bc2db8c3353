from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class BasketsConfig(AppConfig):
    name = "centreville.baskets"
    label = "baskets"
    verbose_name = _("Paniers")

    def ready(self) -> None:
        # Login is the framework's own event: its hook is where a visitor's basket joins the account's.
        from allauth.account.signals import user_logged_in

        from . import receivers  # noqa: F401

        user_logged_in.connect(_merge_basket_on_login, dispatch_uid="baskets.merge_on_login")


def _merge_basket_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from .services import basket_merge_on_login

    basket_merge_on_login(request=request, user=user)
