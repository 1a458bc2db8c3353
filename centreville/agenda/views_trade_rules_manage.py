"""The town team's rules of trade: the year's « dimanches du maire » (at most 12) and the braderie
declarations with what the law says of each (15 days' notice, 61 days a year on a site)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centreville.core.forms import add_service_error
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import trade_rules
from .forms_trade_rules import DecisionForm, DeclarationForm, SundayForm
from .models import BraderieDeclaration, DeclarationStatus, SundayOpening

TRADE_RULES = "agenda.manage_trade_rules"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("annee", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=TRADE_RULES)
def sundays(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    today = timezone.localdate(timezone.now())
    form = SundayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sunday = trade_rules.sunday_add(
                town=town,
                day=form.cleaned_data["date"],
                decree=form.cleaned_data["decree"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Le dimanche %(date)s est ajouté.") % {"date": sunday.date.strftime("%d/%m/%Y")}
            )
            return redirect(f"{request.path}?annee={sunday.date.year}")
    year = _year(
        request,
        form.cleaned_data["date"].year if form.is_bound and form.cleaned_data.get("date") else today.year,
    )
    rows = (
        SundayOpening.objects.for_town(town)
        .filter(date__year=year)
        .annotate(shop_count=Count("shops"))
        .order_by("date")
    )
    context = {
        "form": form,
        "sundays": list(rows),
        "year": year,
        "max": trade_rules.MAX_SUNDAYS,
        "years": [year - 1, year, year + 1],
    }
    return render(request, "agenda/manage/sundays.html", context, status=422 if form.errors else 200)


@require_POST
@space_view(single_town=True, permission=TRADE_RULES)
def sunday_remove(request: HttpRequest, space: Space, sunday_id: int) -> HttpResponse:
    sunday = SundayOpening.objects.for_town(_town(space)).filter(pk=sunday_id).first()
    if sunday is None:
        raise Http404
    trade_rules.sunday_remove(sunday=sunday)
    messages.success(
        request, _("Le dimanche %(date)s est retiré.") % {"date": sunday.date.strftime("%d/%m/%Y")}
    )
    return redirect(f"{reverse('agenda_manage:sundays', args=[space.slug])}?annee={sunday.date.year}")


def _declarations(town: Town) -> list[tuple[BraderieDeclaration, trade_rules.DeclarationCheck]]:
    rows = (
        BraderieDeclaration.objects.for_town(town)
        .select_related("shop", "event")
        .order_by("-starts_on", "pk")[:100]
    )
    return [
        (
            row,
            trade_rules.declaration_check(
                town=town,
                site=row.site,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                received_on=row.received_on,
                exclude_id=row.pk,
            ),
        )
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=TRADE_RULES)
def declarations(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = DeclarationForm(
        request.POST or None,
        shops=Shop.objects.for_town(town).order_by("name"),
        initial={"received_on": timezone.localdate(timezone.now())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            declaration = trade_rules.declaration_record(
                town=town,
                data=form.declaration_data(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if declaration.status == DeclarationStatus.REFUSED:
                messages.warning(
                    request,
                    _("La déclaration est enregistrée comme refusée : %(reason)s")
                    % {"reason": declaration.decision_note},
                )
            else:
                messages.success(request, _("La déclaration est enregistrée : décidez-en ci-dessous."))
            return redirect("agenda_manage:declarations", town_slug=space.slug)
    context = {
        "form": form,
        "rows": _declarations(town),
        "decision_form": DecisionForm(),
        "statuses": DeclarationStatus,
        "notice_days": trade_rules.NOTICE_DAYS,
        "max_days": trade_rules.MAX_DAYS_PER_YEAR,
    }
    return render(request, "agenda/manage/declarations.html", context, status=422 if form.errors else 200)


def _declaration_or_404(town: Town, declaration_id: int) -> BraderieDeclaration:
    declaration = (
        BraderieDeclaration.objects.for_town(town).filter(pk=declaration_id).select_related("town").first()
    )
    if declaration is None:
        raise Http404
    return declaration


@require_POST
@space_view(single_town=True, permission=TRADE_RULES)
def declaration_decide(request: HttpRequest, space: Space, declaration_id: int) -> HttpResponse:
    declaration = _declaration_or_404(_town(space), declaration_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            trade_rules.declaration_decide(
                declaration=declaration,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("La décision est enregistrée."))
    return redirect(
        f"{reverse('agenda_manage:declarations', args=[space.slug])}#declaration-{declaration_id}"
    )


@require_POST
@space_view(single_town=True, permission=TRADE_RULES)
def declaration_event(request: HttpRequest, space: Space, declaration_id: int) -> HttpResponse:
    declaration = _declaration_or_404(_town(space), declaration_id)
    try:
        event = trade_rules.declaration_create_event(
            declaration=declaration,
            actor=request.user,  # type: ignore[arg-type]
            at=timezone.now(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("agenda_manage:declarations", town_slug=space.slug)
    messages.success(request, _("« %(title)s » est dans l'agenda.") % {"title": event.title})
    return redirect("agenda_manage:event_edit", town_slug=space.slug, event_id=event.pk)
