"""The merchant's voucher pages: the counter (a code typed or scanned, an amount, the spend and what is left
on the voucher), the shop's vouchers (paid per day and programme, monthly statements and their downloads), and
joining or leaving a town's programme."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
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

from . import documents, selectors, services, statements
from .counter import counter_spend
from .forms_merchant import CounterForm, JoinForm
from .ledger import VoucherRefused, euros, voucher_spend_refund
from .selectors import BalanceCheck

AREA = "towns.view_merchant_area"
CHANGE_SHOP = "shops.change_shop"


@require_safe
@space_view(single_town=True, permission=AREA)
def shops(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    user: User = request.user  # type: ignore[assignment]
    run = selectors.merchant_shops(space.town, user)
    if len(run) == 1:
        return redirect("vouchers_merchant:shop", space.slug, run[0].slug)
    return render(request, "vouchers/merchant/shops.html", {"shops": run})


def _month(request: HttpRequest, today: date) -> date:
    """The month `?mois=2026-12` names, else this one."""
    try:
        return datetime.strptime(request.GET.get("mois", ""), "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


@require_safe
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def shop(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    today = selectors.shop_local_day(the_shop, now)
    month = _month(request, today)
    context = {
        "shop": the_shop,
        "programmes": selectors.shop_programmes(the_shop),
        "paid": selectors.shop_paid_month(the_shop, month),
        "this_month": today.replace(day=1),
        "statements": selectors.shop_statements(the_shop),
    }
    return render(request, "vouchers/merchant/shop.html", context)


def _counter_page(
    request: HttpRequest, shop: Shop, form: CounterForm, *, now: datetime, check: BalanceCheck | None = None
) -> HttpResponse:
    context = {
        "shop": shop,
        "form": form,
        "check": check,
        "today": selectors.counter_spends_today(shop, at=now),
    }
    refused = bool(form.errors) or (check is not None and bool(check.refusal))
    return render(request, "vouchers/merchant/counter.html", context, status=422 if refused else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def counter(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    if request.method != "POST":
        form = CounterForm(initial={"mark": selectors.counter_mark()})
        return _counter_page(request, the_shop, form, now=now)
    checking = request.POST.get("action") == "check"
    form = CounterForm(request.POST, checking=checking)
    if not form.is_valid():
        return _counter_page(request, the_shop, form, now=now)
    if checking:
        check = selectors.counter_balance(the_shop, form.cleaned_data["code"], at=now)
        if check.refusal:
            form.add_error(None, check.refusal)
        return _counter_page(request, the_shop, form, now=now, check=check)
    user: User = request.user  # type: ignore[assignment]
    try:
        result = counter_spend(
            code=form.cleaned_data["code"],
            shop=the_shop,
            amount_cents=form.cleaned_data["amount"],
            at=now,
            by=user,
            form_mark=form.cleaned_data["mark"],
        )
    except VoucherRefused as refusal:
        form.add_error(None, refusal.messages[0])
        return _counter_page(request, the_shop, form, now=now)
    if result.repeated:
        messages.info(request, _("Ce formulaire avait déjà été envoyé : le bon n'a été débité qu'une fois."))
    return redirect("vouchers_merchant:spent", space.slug, the_shop.slug, result.movement.pk)


@require_safe
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def spent(request: HttpRequest, space: Space, shop_slug: str, movement_id: int) -> HttpResponse:
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    spend = selectors.counter_spend(the_shop, movement_id, at=now)
    if spend is None:
        raise Http404
    return render(request, "vouchers/merchant/spent.html", {"shop": the_shop, "spend": spend})


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def give_back(request: HttpRequest, space: Space, shop_slug: str, movement_id: int) -> HttpResponse:
    """Give back to the voucher a spend made here by mistake, the same day; asked once more before."""
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    spend = selectors.counter_spend(the_shop, movement_id, at=now)
    if spend is None:
        raise Http404
    error = ""
    if request.method == "POST":
        if not spend.can_give_back:
            error = _(
                "Cet achat ne peut plus être annulé ici : seul un achat du jour, "
                "pas encore recrédité, peut l'être."
            )
        else:
            user: User = request.user  # type: ignore[assignment]
            try:
                voucher_spend_refund(spend=spend.movement, at=now, by=user, reference=_("erreur à la caisse"))
            except VoucherRefused as refusal:
                error = refusal.messages[0]
            else:
                messages.success(
                    request,
                    _("Achat annulé : %(amount)s recrédités sur le bon.")
                    % {"amount": euros(spend.amount_cents - spend.given_back_cents)},
                )
                return redirect("vouchers_merchant:counter", space.slug, the_shop.slug)
    context = {"shop": the_shop, "spend": spend, "error": error}
    return render(request, "vouchers/merchant/give_back.html", context, status=422 if error else 200)


@require_safe
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def statement_csv(request: HttpRequest, space: Space, shop_slug: str, statement_id: int) -> HttpResponse:
    the_shop = managed_shop(request, space, shop_slug)
    statement = selectors.shop_statement(the_shop, statement_id)
    if statement is None:
        raise Http404
    response = HttpResponse(statements.statement_csv(statement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="releve-{statement.number}.csv"'
    return response


@require_safe
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def statement_pdf(request: HttpRequest, space: Space, shop_slug: str, statement_id: int) -> HttpResponse:
    the_shop = managed_shop(request, space, shop_slug)
    statement = selectors.shop_statement(the_shop, statement_id)
    if statement is None:
        raise Http404
    response = HttpResponse(documents.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="releve-{statement.number}.pdf"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def join(request: HttpRequest, space: Space, shop_slug: str, programme_id: int) -> HttpResponse:
    the_shop, now = managed_shop(request, space, shop_slug), timezone.now()
    programme = selectors.shop_programme(the_shop, programme_id)
    if programme is None:
        raise Http404
    form = JoinForm(request.POST or None, initial={"iban": selectors.shop_known_iban(the_shop)})
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            services.participation_join(
                programme=programme, shop=the_shop, iban=form.cleaned_data["iban"], at=now, by=user
            )
        except VoucherRefused as refusal:
            field = "iban" if refusal.code == "iban" else None
            form.add_error(field, refusal.messages[0])
        else:
            messages.success(
                request,
                _("Votre commerce accepte désormais les bons de l'opération « %(name)s ».")
                % {"name": programme.name},
            )
            return redirect("vouchers_merchant:shop", space.slug, the_shop.slug)
    context = {"shop": the_shop, "programme": programme, "form": form}
    return render(request, "vouchers/merchant/join.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True, permission=AREA, shop_permission=CHANGE_SHOP)
def leave(request: HttpRequest, space: Space, shop_slug: str, programme_id: int) -> HttpResponse:
    the_shop = managed_shop(request, space, shop_slug)
    programme = selectors.shop_programme(the_shop, programme_id)
    participation = selectors.shop_participation(the_shop, programme) if programme else None
    if programme is None or participation is None or not participation.is_active:
        raise Http404
    if request.method == "POST":
        services.participation_leave(participation=participation)
        messages.success(
            request,
            _("Votre commerce n'accepte plus les bons de l'opération « %(name)s ».")
            % {"name": programme.name},
        )
        return redirect("vouchers_merchant:shop", space.slug, the_shop.slug)
    return render(request, "vouchers/merchant/leave.html", {"shop": the_shop, "programme": programme})
