"""The self-diagnostic as a merchant takes it on a phone, alone or with an adviser: choose the shop, one area
a page, answers saved at each step (to resume later), then the result and the progress since the last one.
Works without JavaScript: every step is a plain form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.models import User
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.shops.predicates import shop_ids_of
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import diagnostic, services_diagnostic
from .forms_diagnostic import ShopChoiceForm, StepForm
from .models import Diagnostic

TAKE_PART = "support.take_part"
TAKE = "support.take_diagnostic"
FOLLOW_UP = "support.follow_up"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _diagnostic_or_404(shop: Shop, diagnostic_id: int) -> Diagnostic:
    found = Diagnostic.objects.filter(shop=shop, pk=diagnostic_id).select_related("version").first()
    if found is None:
        raise Http404
    return found


def _step_url(space: Space, shop: Shop, diagnostic: Diagnostic, step: int) -> Any:
    return redirect("support_merchant:diagnostic_step", space.slug, shop.slug, diagnostic.pk, step)


@require_safe
@space_view(single_town=True, permission=TAKE_PART)
def diagnostic_home(request: HttpRequest, space: Space) -> HttpResponse:
    """The shops the person runs, each with its latest score; an adviser chooses any shop of the town."""
    town = _town(space)
    own = list(Shop.objects.for_town(town).filter(pk__in=shop_ids_of(request.user)).order_by("name"))
    is_adviser = request.user.has_perm(FOLLOW_UP, town)
    if len(own) == 1 and not is_adviser:
        return redirect("support_merchant:diagnostic_shop", space.slug, own[0].slug)
    choice_form = None
    if is_adviser:
        town_shops = list(Shop.objects.for_town(town).order_by("name").only("slug", "name"))
        choice_form = ShopChoiceForm(request.GET or None, shops=town_shops)
        if request.GET and choice_form.is_valid():
            return redirect(
                "support_merchant:diagnostic_shop", space.slug, choice_form.cleaned_data["commerce"]
            )
    summaries = diagnostic.diagnostics_by_shop(town_id=town.pk)
    rows = [(shop, summaries.get(shop.pk)) for shop in own]
    return render(
        request,
        "support/diagnostic/home.html",
        {"rows": rows, "choice_form": choice_form},
        status=422 if choice_form is not None and choice_form.errors else 200,
    )


@require_safe
@space_view(single_town=True, permission=TAKE_PART, shop_permission=TAKE)
def diagnostic_shop(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    """Start or resume the shop's diagnostic, and its history."""
    shop = managed_shop(request, space, shop_slug)
    diagnostics = diagnostic.shop_diagnostics(shop)
    version = diagnostic.current_version(shop.town)
    areas = diagnostic.version_areas(version) if version else []
    context = {
        "shop": shop,
        "open": next((d for d in diagnostics if d.completed_at is None), None),
        "history": [d for d in diagnostics if d.completed_at is not None],
        "areas": areas,
        "question_count": sum(len(area.questions.all()) for area in areas),
        "is_adviser": request.user.has_perm(FOLLOW_UP, shop.town),
    }
    return render(request, "support/diagnostic/shop.html", context)


@require_POST
@space_view(single_town=True, permission=TAKE_PART, shop_permission=TAKE)
def diagnostic_start(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    user: User = request.user  # type: ignore[assignment]
    with_adviser = user.has_perm(FOLLOW_UP, shop.town) and shop.pk not in shop_ids_of(user)
    try:
        started = services_diagnostic.diagnostic_start(
            shop=shop, user=user, with_adviser=with_adviser, at=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("support_merchant:diagnostic_shop", space.slug, shop.slug)
    areas = diagnostic.version_areas(started.version)
    return _step_url(space, shop, started, diagnostic.first_unanswered_step(areas, started.answers))


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=TAKE_PART, shop_permission=TAKE)
def diagnostic_step(
    request: HttpRequest, space: Space, shop_slug: str, diagnostic_id: int, step: int
) -> HttpResponse:
    """One area's questions. « Suivant » needs every answer; « Précédent » and « Continuer plus tard » keep
    what is answered."""
    shop = managed_shop(request, space, shop_slug)
    taken = _diagnostic_or_404(shop, diagnostic_id)
    if taken.completed_at is not None:
        return redirect("support_merchant:diagnostic_result", space.slug, shop.slug, taken.pk)
    areas = diagnostic.version_areas(taken.version)
    if not 1 <= step <= len(areas):
        raise Http404
    area = areas[step - 1]
    form = StepForm(request.POST or None, area=area, answers=taken.answers)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action in ("back", "later"):
            services_diagnostic.diagnostic_answer(diagnostic=taken, answers=form.partial_answers())
            if action == "back" and step > 1:
                return _step_url(space, shop, taken, step - 1)
            messages.success(request, _("Vos réponses sont enregistrées. Reprenez quand vous voulez."))
            return redirect("support_merchant:diagnostic_shop", space.slug, shop.slug)
        if form.is_valid():
            try:
                services_diagnostic.diagnostic_answer(diagnostic=taken, answers=form.answers())
                if step < len(areas):
                    return _step_url(space, shop, taken, step + 1)
                services_diagnostic.diagnostic_complete(diagnostic=taken, at=timezone.now())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("support_merchant:diagnostic_result", space.slug, shop.slug, taken.pk)
        status = 422
    context = {
        "current_shop": shop,  # not `shop`: the shop's menu would come between the steps
        "diagnostic": taken,
        "area": area,
        "form": form,
        "step": step,
        "steps": len(areas),
        "answered": len(taken.answers),
        "question_count": sum(len(a.questions.all()) for a in areas),
        "percent_done": diagnostic.percent(step - 1, len(areas)),
    }
    return render(request, "support/diagnostic/step.html", context, status=status)


def result_context(taken: Diagnostic, *, town_slug: str, shop: Shop) -> dict[str, Any]:
    """What a completed diagnostic's page shows, from what was stored at completion and its frozen version."""
    previous = diagnostic.previous_completed(taken)
    average = diagnostic.town_average(town_id=taken.town_id)
    rows = diagnostic.result_rows(taken, previous=previous, average=average)
    weak_codes = {row.code for row in rows if row.weak}
    sheets_by_area: dict[str, list[dict[str, Any]]] = {}
    for area in diagnostic.version_areas(taken.version):
        if area.code in weak_codes:
            sheets_by_area[area.code] = [
                {
                    "sheet": sheet,
                    "steps": [line.strip() for line in sheet.body.splitlines() if line.strip()],
                    "link": diagnostic.feature_link(sheet.feature, town_slug=town_slug, shop_slug=shop.slug),
                }
                for sheet in area.sheets.all()
            ]
    return {
        "diagnostic": taken,
        "previous": previous,
        "overall_delta": (
            taken.score - previous.score
            if taken.score is not None and previous and previous.score is not None
            else None
        ),
        "rows": rows,
        "weak": [(row, sheets_by_area.get(row.code, [])) for row in rows if row.weak],
        "average": average,
        "min_shops": diagnostic.MIN_SHOPS_FOR_AVERAGE,
        "weak_below": diagnostic.WEAK_BELOW,
        "observed": [item for row in rows for item in row.observed],
        "signals": taken.signals,
    }


@require_safe
@space_view(single_town=True, permission=TAKE_PART, shop_permission=TAKE)
def diagnostic_result(request: HttpRequest, space: Space, shop_slug: str, diagnostic_id: int) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    taken = _diagnostic_or_404(shop, diagnostic_id)
    if taken.completed_at is None:
        areas = diagnostic.version_areas(taken.version)
        return _step_url(space, shop, taken, diagnostic.first_unanswered_step(areas, taken.answers))
    context = result_context(taken, town_slug=space.slug, shop=shop)
    context["shop"] = shop
    context["history"] = [d for d in diagnostic.shop_diagnostics(shop) if d.completed_at is not None]
    return render(request, "support/diagnostic/result.html", context)
