"""The provider's webhook, and the local page of the fake provider; each hands over to services."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from centreville.core.links import is_own_url

from .models import Payment, PaymentStatus, ProviderName
from .providers import FakeProvider, InvalidWebhook
from .providers.fake import fake_payments_allowed
from .services import payment_webhook_receive


@csrf_exempt  # the provider signs its deliveries; it has no CSRF token
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        payment_webhook_receive(provider_name=ProviderName.STRIPE, body=request.body, headers=request.headers)
    except InvalidWebhook:
        return HttpResponseBadRequest()
    # A replay is answered like the first delivery, or the provider would keep sending it.
    return HttpResponse(status=200)


@require_http_methods(["GET", "POST"])
def fake_checkout(request: HttpRequest, reference: str) -> HttpResponse:
    if not fake_payments_allowed():
        raise Http404  # a real deployment has no page where one "pays" without money moving
    payment = get_object_or_404(Payment, provider=ProviderName.FAKE, provider_reference=reference)
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


def _local(url: str) -> str:
    """The URL if it leads back to this site, else the home page (never an open redirect)."""
    return url if is_own_url(url) else "/"
