"""The local pages of the fake provider, for the demo and the tests: a customer's checkout, and a shop's
onboarding. Each answer is a signed event handed over to services, as the provider's webhook would be."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from centreville.core.access import secret_link
from centreville.core.links import is_own_url

from .models import PaymentStatus, ProviderName
from .providers import FakeProvider
from .providers.fake import fake_account_exists, fake_payment, fake_payments_allowed
from .services import payment_webhook_receive


def _local(url: str) -> str:
    """The URL if it leads back to this site, else the home page (never an open redirect)."""
    return url if is_own_url(url) else "/"


@require_http_methods(["GET", "POST"])
@secret_link
def fake_checkout(request: HttpRequest, reference: str) -> HttpResponse:
    if not fake_payments_allowed():
        raise Http404  # a real deployment has no page where one "pays" without money moving
    payment = fake_payment(reference)
    if payment is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "cancel"):
            return HttpResponseBadRequest()
        # Signed and recorded like a provider's webhook: a second click is the same event, done once.
        body, headers = FakeProvider().signed_event(
            provider_reference=reference,
            event_type="payment.succeeded" if action == "pay" else "payment.failed",
            amount=payment.amount,
        )
        payment_webhook_receive(provider_name=ProviderName.FAKE, body=body, headers=headers)
        payment.refresh_from_db()
        paid = payment.status != PaymentStatus.FAILED
        return redirect(_local(payment.return_url if paid else payment.cancel_url))
    return render(
        request,
        "payments/fake_checkout.html",
        {"payment": payment, "back": _local(payment.return_url)},
    )


@require_http_methods(["GET", "POST"])
@secret_link
def fake_onboarding(request: HttpRequest, account_id: str) -> HttpResponse:
    """A shop's test account is completed, or left for later, through a signed `account.updated` event."""
    if not fake_account_exists(account_id):
        raise Http404
    back = _local(request.POST.get("retour") or request.GET.get("retour", ""))
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("complete", "later"):
            return HttpResponseBadRequest()
        if action == "complete":
            body, headers = FakeProvider().signed_account_event(account_id=account_id, complete=True)
            payment_webhook_receive(provider_name=ProviderName.FAKE, body=body, headers=headers)
        return redirect(back)
    return render(request, "payments/fake_onboarding.html", {"back": back})
