"""The residents' pages: subscribing, confirming an address, one's preferences, unsubscribing in one click,
and the SMS operator's STOP webhook. Plain forms: everything works without JavaScript."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.access import public, secret_link, webhook
from centreville.core.channels import Channel
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors, subscriptions, tokens
from .forms import PreferencesForm, SubscribeForm


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@public
def subscribe(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    if request.method == "POST":
        form = SubscribeForm(request.POST, town=town)
        if form.is_valid():
            data = form.cleaned_data
            subscriptions.subscribe(
                town=town,
                email=data.get("email") or "",
                phone=form.phone_number(),
                town_news=bool(data.get("town_news")),
                shops=list(data.get("shops") or []),
                sms_consent=bool(data.get("sms_consent")),
                source=request.path,
                at=timezone.now(),
                user=request.user if request.user.is_authenticated else None,
                language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            )
            by = "-".join(
                part
                for part in ("email" if data.get("email") else "", "sms" if data.get("phone") else "")
                if part
            )
            return redirect(reverse("news_public:subscribed", args=[space.slug]) + f"?par={by}")
    else:
        initial: dict[str, object] = {"town_news": False}
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        form = SubscribeForm(initial=initial, town=town)
    return render(
        request,
        "news/subscribe.html",
        {"form": form, "counts": None},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@space_view(single_town=True)
@public
def subscribed(request: HttpRequest, space: Space) -> HttpResponse:
    by = request.GET.get("par", "")
    return render(request, "news/subscribed.html", {"by_email": "email" in by, "by_sms": "sms" in by})


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@secret_link
def confirm(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    town = _town(space)
    key = tokens.read_confirm_token(token)
    subscriber = selectors.subscriber_by_key(town=town, key=key, channel=Channel.EMAIL) if key else None
    if subscriber is None:
        return render(request, "news/link_invalid.html", {"expired": key is None}, status=404 if key else 410)
    if request.method == "POST":
        subscriptions.confirm(subscriber_key=str(subscriber.key), at=timezone.now())
        return redirect(
            "news_public:preferences",
            space.slug,
            tokens.preferences_token(subscriber_key=str(subscriber.key)),
        )
    return render(request, "news/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail software posts "List-Unsubscribe=One-Click" without a token; the link is signed
@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@secret_link
def unsubscribe(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    """GET shows a button and changes nothing; POST (the button, or mail software in one click) ends the
    subscription at once."""
    town = _town(space)
    found = tokens.read_unsubscribe_token(token)
    subscriber = selectors.subscriber_by_key(town=town, key=found[0]) if found else None
    subscription = (
        subscriber.subscriptions.filter(pk=found[1]).select_related("shop").first()
        if subscriber and found
        else None
    )
    if subscriber is None or subscription is None:
        raise Http404
    preferences = tokens.preferences_token(subscriber_key=str(subscriber.key))
    context = {
        "subscriber": subscriber,
        "subscription": subscription,
        "purpose": subscriptions.purpose_of(town=town, shop=subscription.shop),
        "preferences_token": preferences,
    }
    if request.method == "POST":
        subscriptions.unsubscribe(
            subscriber_key=str(subscriber.key), subscription_id=subscription.pk, at=timezone.now()
        )
        return render(request, "news/unsubscribed.html", context)
    return render(request, "news/unsubscribe.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@secret_link
def preferences(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    town = _town(space)
    key = tokens.read_preferences_token(token)
    subscriber = selectors.subscriber_by_key(town=town, key=key) if key else None
    if subscriber is None:
        raise Http404
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber)
        if form.is_valid():
            subscriptions.preferences_update(
                subscriber=subscriber,
                town_news=bool(form.cleaned_data.get("town_news")),
                shops=list(form.cleaned_data.get("shops") or []),
                source=reverse("news_public:subscribe", args=[space.slug]) + "preferences/",
                at=timezone.now(),
            )
            saved = True
    town_news, shop_ids = selectors.current_topics(subscriber)
    if request.method != "POST" or saved:
        form = PreferencesForm(initial={"town_news": town_news, "shops": shop_ids}, subscriber=subscriber)
    return render(
        request,
        "news/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": saved,
            "receives_nothing": not town_news and not shop_ids,
        },
        status=400 if request.method == "POST" and not saved else 200,
    )


@csrf_exempt  # the SMS operator calls it with the shared secret, without a CSRF token
@require_POST
@space_view(single_town=True)
@webhook
def sms_inbound(request: HttpRequest, space: Space) -> HttpResponse:
    """An SMS answered to the platform's number, forwarded by the operator: STOP (or ARRET, STOP SMS…)
    withdraws every SMS consent of the number. Guarded by the `NEWS_SMS_INBOUND_SECRET` header."""
    secret = getattr(settings, "NEWS_SMS_INBOUND_SECRET", "")
    given = request.headers.get("X-Inbound-Secret", "")
    if not secret or not hmac.compare_digest(secret.encode(), given.encode()):
        return HttpResponseForbidden()
    phone = request.POST.get("from", "")
    text = request.POST.get("text", "").strip().upper()
    if phone and text.split()[:1] in (["STOP"], ["ARRET"], ["ARRÊT"]):
        subscriptions.handle_sms_stop(phone=phone, at=timezone.now())
    return HttpResponse(status=200)
