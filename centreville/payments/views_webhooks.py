"""The payment provider's webhook: its signed events are handed over to services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centreville.core.access import webhook

from .models import ProviderName
from .providers import InvalidWebhook
from .services import payment_webhook_receive


@csrf_exempt  # the provider signs its deliveries; it has no CSRF token
@require_POST
@webhook
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        payment_webhook_receive(provider_name=ProviderName.STRIPE, body=request.body, headers=request.headers)
    except InvalidWebhook:
        return HttpResponseBadRequest()
    # A replay is answered like the first delivery, or the provider would keep sending it.
    return HttpResponse(status=200)
