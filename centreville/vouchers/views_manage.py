"""The town team's voucher pages: programmes (write, open, close), the shops taking part, invitations and
their vouchers, printable sheets, sales at the town hall, a voucher's history and cancellation, the
merchants' statements and the treasury's export, and the accounts (which elected officials read too)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.charts import chart_csv_download
from centreville.core.links import absolute_url
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors, services, sheets, statements
from .forms_manage import (
    AccountsDateForm,
    CancelForm,
    FaceValueForm,
    InvitationImportForm,
    MarkPaidForm,
    ProgrammeForm,
    SaleForm,
    StatementsMakeForm,
    TreasuryExportForm,
    VoucherLookupForm,
)
from .invitations import invitations_import, invitations_issue_queue
from .ledger import VoucherRefused, day_end, voucher_cancel
from .models import Programme, ProgrammeStatus, Voucher

MANAGE = "vouchers.manage_programmes"
ACCOUNTS = "vouchers.view_accounts"
GET_POST = ["GET", "HEAD", "POST"]


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _programme(space: Space, programme_id: int) -> Programme:
    found = selectors.town_programme(_town(space), programme_id)
    if found is None:
        raise Http404
    return found


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, error.messages[0])


def _to_programme(space: Space, programme: Programme) -> HttpResponse:
    return redirect("vouchers_manage:programme", space.slug, programme.pk)


# --- Programmes ---


@require_safe
@space_view(single_town=True, permission=MANAGE)
def programmes(request: HttpRequest, space: Space) -> HttpResponse:
    context = {"programmes": selectors.town_programmes(_town(space)), "lookup_form": VoucherLookupForm()}
    return render(request, "vouchers/manage/programmes.html", context)


def _programme_form(request: HttpRequest, space: Space, programme: Programme | None) -> HttpResponse:
    initial = ProgrammeForm.initial_of(programme) if programme else {"chains_excluded": True}
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(
                town=_town(space), fields=form.programme_fields(), programme=programme
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("L'opération est enregistrée."))
            return _to_programme(space, saved)
    status = 400 if form.errors else 200
    return render(
        request, "vouchers/manage/programme_form.html", {"form": form, "programme": programme}, status=status
    )


@require_http_methods(GET_POST)
@space_view(single_town=True, permission=MANAGE)
def programme_create(request: HttpRequest, space: Space) -> HttpResponse:
    return _programme_form(request, space, None)


@require_http_methods(GET_POST)
@space_view(single_town=True, permission=MANAGE)
def programme_edit(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    return _programme_form(request, space, _programme(space, programme_id))


@require_safe
@space_view(single_town=True, permission=MANAGE)
def programme(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    context = {
        "programme": found,
        "statuses": ProgrammeStatus,
        "invitations": selectors.invitation_counts(found, at=timezone.now()),
        "vouchers": found.vouchers.count(),
        "shops": found.participations.filter(is_active=True).count(),
    }
    return render(request, "vouchers/manage/programme.html", context)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def programme_open(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    try:
        services.programme_open(programme=found, at=timezone.now())
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("L'opération est ouverte."))
    return _to_programme(space, found)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def programme_close(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    if request.POST.get("confirm") != "1":  # closing cannot be undone: the box must be ticked
        messages.error(request, _("Cochez la case pour confirmer : une opération close ne rouvre pas."))
        return _to_programme(space, found)
    try:
        services.programme_close(programme=found)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("L'opération est close : ses bons ne sont plus émis ni acceptés."))
    return _to_programme(space, found)


# --- The shops taking part ---


@require_safe
@space_view(single_town=True, permission=MANAGE)
def participations(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    context = {"programme": found, "shops": selectors.programme_participations(found)}
    return render(request, "vouchers/manage/participations.html", context)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def participation_suspend(
    request: HttpRequest, space: Space, programme_id: int, participation_id: int
) -> HttpResponse:
    found = _programme(space, programme_id)
    participation = selectors.programme_participation(found, participation_id)
    if participation is None:
        raise Http404
    services.participation_leave(participation=participation)
    messages.success(
        request, _("%(shop)s n'accepte plus les bons de l'opération.") % {"shop": participation.shop.name}
    )
    return redirect("vouchers_manage:participations", space.slug, found.pk)


# --- Invitations, sheets and sales ---


@require_http_methods(GET_POST)
@space_view(single_town=True, permission=MANAGE)
def invitations(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = invitations_import(programme=found, data=form.cleaned_data["households"].read())
    context = {
        "programme": found,
        "form": form,
        "report": report,
        "counts": selectors.invitation_counts(found, at=timezone.now()),
        "issue_form": FaceValueForm(programme=found),
    }
    return render(request, "vouchers/manage/invitations.html", context, status=400 if form.errors else 200)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def invitations_issue_view(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    form = FaceValueForm(request.POST, programme=found)
    if not form.is_valid():
        messages.error(request, _("Choisissez la valeur des bons."))
        return redirect("vouchers_manage:invitations", space.slug, found.pk)
    try:
        waiting = invitations_issue_queue(
            programme=found,
            face_value_cents=form.cleaned_data["face_value"],
            at=timezone.now(),
            by=request.user,
        )
    except VoucherRefused as refused:
        _refusal(request, refused)
    else:
        messages.success(
            request,
            ngettext(
                "Émission des bons lancée pour %(count)d foyer : cette page montre où elle en est.",
                "Émission des bons lancée pour %(count)d foyers : cette page montre où elle en est.",
                waiting,
            )
            % {"count": waiting},
        )
    return redirect("vouchers_manage:invitations", space.slug, found.pk)


@require_safe
@space_view(single_town=True, permission=MANAGE)
def sheets_pdf(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    origin = request.GET.get("origine", "")
    vouchers = selectors.sheet_vouchers(found, origin=origin, invitations=not origin)
    town = _town(space)

    def wallet(voucher: Voucher) -> str:
        # The voucher's wallet page (/<town>/bons/carte/<code>/): a phone that scans it shows the balance.
        return absolute_url(reverse("vouchers_public:wallet", args=[town.slug, voucher.code]))

    pdf = sheets.vouchers_sheets_pdf(
        vouchers,
        programme=found,
        shops_address=absolute_url(reverse("vouchers_public:programmes", args=[town.slug])),
        encoded=wallet,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bons-{found.slug}.pdf"'
    return response


@require_http_methods(GET_POST)
@space_view(single_town=True, permission=MANAGE)
def sale(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    form = SaleForm(request.POST or None, programme=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        beneficiary = services.Beneficiary(
            kind=data["beneficiary_kind"],
            key=data["beneficiary_key"].strip(),
            name=data["beneficiary_name"].strip(),
            postcode=data["postcode"].strip(),
        )
        try:
            sold = services.gift_cards_sell(
                programme=found,
                beneficiary=beneficiary,
                face_value_cents=data["face_value"],
                count=data["count"],
                payment_reference=data["payment_reference"],
                at=timezone.now(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            address = reverse("vouchers_manage:sale_done", args=[space.slug, found.pk])
            return redirect(f"{address}?{urlencode({'origine': sold[0].origin})}")
    return render(
        request,
        "vouchers/manage/sale.html",
        {"programme": found, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
@space_view(single_town=True, permission=MANAGE)
def sale_done(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    origin = request.GET.get("origine", "")
    vouchers = selectors.sheet_vouchers(found, origin=origin) if origin else []
    if not vouchers:
        raise Http404
    context = {"programme": found, "vouchers": vouchers, "origin": origin}
    return render(request, "vouchers/manage/sale_done.html", context)


# --- A voucher ---


@require_safe
@space_view(single_town=True, permission=MANAGE)
def voucher_lookup(request: HttpRequest, space: Space) -> HttpResponse:
    form = VoucherLookupForm(request.GET or None)
    if form.is_valid():
        found = selectors.town_voucher(_town(space), form.cleaned_data["code"])
        if found is not None:
            return redirect("vouchers_manage:voucher", space.slug, found.code)
        form.add_error("code", _("Aucun bon de la ville ne porte ce code : vérifiez chaque caractère."))
    return render(
        request, "vouchers/manage/voucher_lookup.html", {"form": form}, status=400 if form.errors else 200
    )


def _voucher_page(
    request: HttpRequest, space: Space, code: str, cancel_form: CancelForm, status: int = 200
) -> HttpResponse:
    found = selectors.town_voucher(_town(space), code)
    if found is None:
        raise Http404
    at = timezone.now()
    paid, town = selectors.spendable_now(found, at=at)
    context = {
        "voucher": found,
        "programme": found.programme,
        "history": selectors.voucher_history(found),
        "spendable_paid": paid,
        "spendable_town": town,
        "cancel_form": cancel_form,
        "paid_last_day": found.paid_expires_at - timedelta(days=1),
        "town_last_day": found.town_expires_at - timedelta(days=1),
    }
    return render(request, "vouchers/manage/voucher.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=MANAGE)
def voucher(request: HttpRequest, space: Space, code: str) -> HttpResponse:
    return _voucher_page(request, space, code, CancelForm())


@require_POST
@space_view(single_town=True, permission=MANAGE)
def voucher_cancel_view(request: HttpRequest, space: Space, code: str) -> HttpResponse:
    found = selectors.town_voucher(_town(space), code)
    if found is None:
        raise Http404
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            voucher_cancel(
                voucher=found, at=timezone.now(), reason=form.cleaned_data["reason"], by=request.user
            )
        except VoucherRefused as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Le bon est annulé."))
            return redirect("vouchers_manage:voucher", space.slug, found.code)
    return _voucher_page(request, space, code, form, status=400)


# --- Statements ---


@require_safe
@space_view(single_town=True, permission=MANAGE)
def statements_list(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    at = timezone.now()
    month = selectors.default_statement_month(at)
    rows = selectors.programme_statements(found)
    context = {
        "programme": found,
        "statements": [(row, MarkPaidForm(prefix=f"releve-{row.pk}")) for row in rows],
        "make_form": StatementsMakeForm(initial={"month": f"{month:%Y-%m}"}),
        "export_form": TreasuryExportForm(initial={"first": f"{month:%Y-%m}", "last": f"{month:%Y-%m}"}),
    }
    return render(request, "vouchers/manage/statements.html", context)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def statements_make(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    form = StatementsMakeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            made = services.month_statements_make(
                programme=found, month=form.cleaned_data["month"], at=timezone.now()
            )
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d relevé établi.", "%(count)d relevés établis.", len(made))
                % {"count": len(made)}
                if made
                else _("Aucun relevé à établir : aucun achat en attente pour ce mois."),
            )
    return redirect("vouchers_manage:statements", space.slug, found.pk)


@require_POST
@space_view(single_town=True, permission=MANAGE)
def statement_paid(request: HttpRequest, space: Space, programme_id: int, statement_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    statement = selectors.programme_statement(found, statement_id)
    if statement is None:
        raise Http404
    form = MarkPaidForm(request.POST, prefix=f"releve-{statement.pk}")
    if not form.is_valid():
        messages.error(request, _("Indiquez la référence du virement."))
    else:
        try:
            statements.statement_mark_paid(
                statement=statement,
                transfer_reference=form.cleaned_data["transfer_reference"],
                at=timezone.now(),
                by=request.user,
            )
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request, _("Le relevé %(number)s est marqué remboursé.") % {"number": statement.number}
            )
    return redirect("vouchers_manage:statements", space.slug, found.pk)


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@space_view(single_town=True, permission=MANAGE)
def statement_csv(request: HttpRequest, space: Space, programme_id: int, statement_id: int) -> HttpResponse:
    statement = selectors.programme_statement(_programme(space, programme_id), statement_id)
    if statement is None:
        raise Http404
    return _csv(statements.statement_csv(statement), f"{statement.number}.csv")


@require_safe
@space_view(single_town=True, permission=MANAGE)
def treasury_export(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    form = TreasuryExportForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("vouchers_manage:statements", space.slug, found.pk)
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    rows = selectors.statements_of_months(found, first, last)
    text = statements.treasury_export_csv(programme=found, statements=rows)
    return _csv(text, f"tresorerie-{found.slug}-{first:%Y-%m}-{last:%Y-%m}.csv")


# --- Accounts (the town team and elected officials) ---


@require_safe
@space_view(single_town=True, permission=ACCOUNTS)
def accounts_index(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    found = selectors.town_programmes(town)
    context = {
        "programmes": found,
        "years": selectors.limited_network_years(found, at=timezone.now()),
        "can_manage": request.user.has_perm(MANAGE, town),
    }
    return render(request, "vouchers/manage/accounts_index.html", context)


@require_safe
@space_view(single_town=True, permission=ACCOUNTS)
def programme_accounts(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    found = _programme(space, programme_id)
    now = timezone.now()
    form = AccountsDateForm(request.GET or None)
    chosen = form.cleaned_data.get("date") if form.is_valid() else None
    # A day asked for is read at its last instant on the town's clock; today and later, now.
    at = min(day_end(chosen) - timedelta(microseconds=1), now) if chosen else now
    page = selectors.programme_accounts_page(found, at=at)
    download = chart_csv_download(request, [page.chart], prefix=f"bons-{found.slug}")
    if download is not None:
        return download
    context = {
        "programme": found,
        "page": page,
        "accounts": page.accounts,
        "form": form,
        "at": at,
        "can_manage": request.user.has_perm(MANAGE, _town(space)),
    }
    return render(request, "vouchers/manage/accounts.html", context, status=400 if form.errors else 200)
