"""The merchant's « dimanches du maire »: the year's Sundays, and for each shop they run, opening on one
(with its hours, shown in the agenda) or no longer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.shops.predicates import shop_ids_of
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import trade_rules
from .forms_trade_rules import JoinSundayForm
from .models import SundayOpening, SundayOpeningShop

PROPOSE = "agenda.propose_offers"
PROPOSE_FOR_SHOP = "agenda.propose_offer"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


@require_safe
@space_view(single_town=True, permission=PROPOSE)
def sundays(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    today = timezone.now().astimezone(ZoneInfo(town.timezone)).date()
    shops = list(Shop.objects.for_town(town).filter(pk__in=shop_ids_of(request.user)).order_by("name"))
    rows = list(SundayOpening.objects.for_town(town).filter(date__year__in=[today.year, today.year + 1]))
    joined = {
        (opening.sunday_id, opening.shop_id): opening
        for opening in SundayOpeningShop.objects.filter(sunday__in=rows, shop__in=shops)
    }
    context = {
        "sundays": [
            {
                "sunday": sunday,
                "past": sunday.date < today,
                "shops": [(shop, joined.get((sunday.pk, shop.pk))) for shop in shops],
            }
            for sunday in rows
        ],
        "form": JoinSundayForm(),
        "today": today,
    }
    return render(request, "agenda/merchant/sundays.html", context)


def _sunday_or_404(town: Town, sunday_id: int) -> SundayOpening:
    sunday = SundayOpening.objects.for_town(town).filter(pk=sunday_id).first()
    if sunday is None:
        raise Http404
    return sunday


def _back(space: Space, sunday: SundayOpening) -> HttpResponse:
    return redirect(f"{reverse('agenda_merchant:sundays', args=[space.slug])}#dimanche-{sunday.pk}")


@require_POST
@space_view(single_town=True, permission=PROPOSE, shop_permission=PROPOSE_FOR_SHOP)
def sunday_join(request: HttpRequest, space: Space, shop_slug: str, sunday_id: int) -> HttpResponse:
    town = _town(space)
    shop = managed_shop(request, space, shop_slug)
    sunday = _sunday_or_404(town, sunday_id)
    form = JoinSundayForm(request.POST)
    hours = form.cleaned_data["hours"] if form.is_valid() else ""
    try:
        trade_rules.sunday_join(sunday=sunday, shop=shop, hours=hours, actor=request.user, at=timezone.now())  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(shop)s ouvre le dimanche %(date)s : c'est dans l'agenda.")
            % {"shop": shop.name, "date": sunday.date.strftime("%d/%m/%Y")},
        )
    return _back(space, sunday)


@require_POST
@space_view(single_town=True, permission=PROPOSE, shop_permission=PROPOSE_FOR_SHOP)
def sunday_leave(request: HttpRequest, space: Space, shop_slug: str, sunday_id: int) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    sunday = _sunday_or_404(_town(space), sunday_id)
    trade_rules.sunday_leave(sunday=sunday, shop=shop)
    messages.success(
        request,
        _("%(shop)s n'ouvre plus le dimanche %(date)s.")
        % {"shop": shop.name, "date": sunday.date.strftime("%d/%m/%Y")},
    )
    return _back(space, sunday)
