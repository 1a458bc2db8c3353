"""How django-allauth treats our accounts: the client's address as our reverse proxies tell it."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from centreville.core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The address rate limits count by: the same as every other limit of ours (TRUSTED_PROXY_COUNT)."""
        return client_ip(request)
