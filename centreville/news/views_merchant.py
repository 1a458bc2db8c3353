"""The merchant's subscribers page: how many people follow the shop (never who), and sending them one of the
shop's current offers or a short message, within the town's monthly number of sends."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from centreville.accounts.models import User
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import campaigns, letters, selectors
from .forms import OfferSendForm
from .models import CampaignStatus

AREA = "towns.view_merchant_area"
CHANGE_SHOP = "shops.change_shop"


@require_safe
@space_view(single_town=True, permission=AREA)
def shops(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    user: User = request.user  # type: ignore[assignment]
    run = Shop.objects.filter(town=space.town, memberships__user=user).order_by("name", "pk")
    rows = [(shop, selectors.subscriber_counts(town=space.town, shop=shop)) for shop in run]
    if len(rows) == 1:
        return redirect("news_merchant:shop", space.slug, rows[0][0].slug)
    return render(request, "news/merchant_shops.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def shop(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    offers = letters.current_offers(shop_id=the_shop.pk, at=now)
    form = OfferSendForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            campaign = campaigns.offer_send(
                shop=the_shop,
                subject=form.cleaned_data.get("subject") or "",
                message=form.cleaned_data.get("message") or "",
                event=form.cleaned_data.get("event"),
                author=user,
                at=now,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Votre message part vers vos abonnés."))
            return redirect("news_merchant:campaign", space.slug, the_shop.slug, campaign.pk)
    allowed = campaigns.news_settings(the_shop.town).monthly_sends_per_shop
    used = campaigns.shop_sends_this_month(shop=the_shop, at=now)
    context = {
        "shop": the_shop,
        "counts": selectors.subscriber_counts(town=the_shop.town, shop=the_shop),
        "form": form,
        "offers": offers,
        "allowed": allowed,
        "left": max(allowed - used, 0),
        "campaigns": [(row, campaigns.campaign_progress(row)) for row in selectors.shop_campaigns(the_shop)],
    }
    return render(request, "news/merchant_shop.html", context, status=400 if form.errors else 200)


@require_safe
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def campaign(request: HttpRequest, space: Space, shop_slug: str, campaign_id: int) -> HttpResponse:
    the_shop = managed_shop(request, space, shop_slug)
    found = selectors.shop_campaign(the_shop, campaign_id)
    if found is None:
        raise Http404
    progress = campaigns.campaign_progress(found)
    return render(
        request,
        "news/merchant_campaign.html",
        {
            "shop": the_shop,
            "campaign": found,
            "progress": progress,
            "failures": campaigns.campaign_failures(found),
            "live": not progress.done and found.status != CampaignStatus.SENT,
        },
    )
