"""The local onboarding page of the fake provider: a shop's test account is completed, or left for later,
through a signed `account.updated` event, as a provider's webhook would say it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .models import ProviderName, ShopPaymentAccount
from .providers import FakeProvider
from .services import payment_webhook_receive


def _local(request: HttpRequest, url: str) -> str:
    """The URL if it leads back to this site, else the home page (never an open redirect)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


@require_http_methods(["GET", "POST"])
def fake_onboarding(request: HttpRequest, account_id: str) -> HttpResponse:
    if not ShopPaymentAccount.objects.filter(provider=ProviderName.FAKE, account_id=account_id).exists():
        raise Http404
    back = _local(request, request.POST.get("retour") or request.GET.get("retour", ""))
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("complete", "later"):
            return HttpResponseBadRequest()
        if action == "complete":
            body, headers = FakeProvider().signed_account_event(account_id=account_id, complete=True)
            payment_webhook_receive(provider_name=ProviderName.FAKE, body=body, headers=headers)
        return redirect(back)
    return render(request, "payments/fake_onboarding.html", {"back": back})
