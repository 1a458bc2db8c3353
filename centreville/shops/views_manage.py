"""The town manager's pages about shops: the review of shops (validate, reject with a reason, close,
reopen), the decisions on claims of imported shops, and the imports of open data (upload a file, follow
the import, read the report)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.http import HtmxHttpRequest
from centreville.core.request_guard import allow_request_body
from centreville.core.spreadsheets import spreadsheet_writer
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import claims, review, selectors, services
from .imports import runs
from .imports.common import SKIP_REASONS, WARNINGS, report_groups
from .imports.hours_review import shop_hours_checked, shops_with_hours_to_check
from .models import ClaimStatus, ImportRun, ShopClaim, ShopSource, ShopStatus

# --- Review of shops ---------------------------------------------------------------------------------


class ShopDecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ShopStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=2000)


@require_safe
@space_view(permission="towns.change_town")
def shop_queue(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    status = request.GET.get("statut", ShopStatus.SUBMITTED)
    if status not in ShopStatus.values:
        status = ShopStatus.SUBMITTED
    counts = selectors.shop_status_counts(space.town)
    context = {
        "shops": review.review_queue(space.town, status=status),
        "status": status,
        "tabs": [(value, label, counts[value]) for value, label in ShopStatus.choices],
        "moves": review.manager_moves(status),
    }
    return render(request, "shops/manage/queue.html", context)


@require_safe
@space_view(permission="towns.change_town")
def shop_preview(request: HttpRequest, space: Space, shop_id: int) -> HttpResponse:
    """The shop as visitors would see it, whatever its status, with the manager's decisions."""
    assert space.town is not None
    content = review.shop_review(space.town, shop_id, at=timezone.now())
    if content is None:
        raise Http404
    return render(request, "shops/manage/preview.html", {"review": content})


@require_POST
@space_view(permission="towns.change_town")
def shop_decide(request: HttpRequest, space: Space, shop_id: int) -> HttpResponse:
    assert space.town is not None
    shop = selectors.town_shop(space.town, shop_id)
    if shop is None:
        raise Http404
    form = ShopDecisionForm(request.POST)
    back = redirect(f"{reverse('shops_manage:queue', args=[space.slug])}?statut={shop.status}")
    if not form.is_valid():
        messages.error(request, _("Décision illisible : réessayez."))
        return back
    try:
        services.shop_transition(
            shop=shop,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, str(review.DONE[shop.status]) % {"name": shop.name})
    return back


# --- Claims of imported shops --------------------------------------------------------------------------


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus (envoyé à la personne)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


def _claims_page(
    request: HtmxHttpRequest,
    space: Space,
    *,
    failed: ShopClaim | None = None,
    form: ClaimDecisionForm | None = None,
) -> HttpResponse:
    assert space.town is not None
    rows = [
        (
            claim,
            form
            if failed is not None and claim.pk == failed.pk
            else ClaimDecisionForm(prefix=f"claim-{claim.pk}"),
        )
        for claim in claims.pending_claims(space.town)
    ]
    return render(request, "shops/claims/manage.html", {"rows": rows})


@space_view(permission="shops.validate_shop")
def claim_list(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    return _claims_page(request, space)


@require_POST
@space_view(permission="shops.validate_shop")
def claim_decide(request: HtmxHttpRequest, space: Space, claim_id: int) -> HttpResponse:
    assert space.town is not None
    claim = claims.claim_for_decision(space.town, claim_id)
    if claim is None:
        raise Http404
    if claim.status != ClaimStatus.PENDING:
        messages.error(request, _("Cette demande a déjà été traitée."))
        return redirect("shops_claims:manage", town_slug=space.slug)
    form = ClaimDecisionForm(request.POST, prefix=f"claim-{claim.pk}")
    if not form.is_valid():
        return _claims_page(request, space, failed=claim, form=form)
    actor = request.user
    try:
        if form.cleaned_data["decision"] == "approve":
            claims.claim_approve(claim=claim, actor=actor)  # type: ignore[arg-type]
            messages.success(
                request,
                _("%(person)s gère désormais « %(shop)s ».")
                % {"person": claim.user.email, "shop": claim.shop.name},
            )
        else:
            claims.claim_reject(claim=claim, actor=actor, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            messages.success(
                request,
                _("La demande de %(person)s pour « %(shop)s » est refusée.")
                % {"person": claim.user.email, "shop": claim.shop.name},
            )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            form.add_error("reason", error.error_dict["reason"])
        else:
            form.add_error(None, error)
        return _claims_page(request, space, failed=claim, form=form)
    return redirect("shops_claims:manage", town_slug=space.slug)


# --- Imports of open data ------------------------------------------------------------------------------

RECENT_RUNS = 10
# Rows named on the page for each reason; all of them are in the downloadable report.
ROWS_SHOWN = 20
SOURCE_NAMES: dict[str, str] = {ShopSource.OSM: "OpenStreetMap", ShopSource.SIRENE: "SIRENE"}


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Origine du fichier"),
        choices=[
            (ShopSource.OSM, gettext_lazy("OpenStreetMap (export GeoJSON)")),
            (ShopSource.SIRENE, gettext_lazy("Répertoire SIRENE (CSV des établissements)")),
        ],
        widget=forms.RadioSelect,
        initial=ShopSource.OSM,
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "OpenStreetMap : export GeoJSON d'overpass turbo (.geojson). SIRENE : fichier des établissements "
            "(StockEtablissement ou extrait), en CSV, éventuellement compressé (.gz, .zip)."
        ),
    )

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and data.get("source"):
            # Reading the start of the file tells at once whether it is of the chosen kind.
            try:
                runs.reader_for(data["source"], upload, town=self.town, file_name=upload.name or "")
            except runs.ImportFailed as error:
                self.add_error("file", str(error))
            upload.seek(0)
        return data


def _keep_upload(upload: Any) -> Path:
    """A copy of the uploaded file that outlives the request, for the background import to read."""
    with tempfile.NamedTemporaryFile(prefix="centreville-import-", delete=False) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return Path(copy.name)


@allow_request_body("MAX_IMPORT_BODY_BYTES")
@require_http_methods(["GET", "POST"])
@space_view(permission="towns.change_town")
def import_index(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    form = ImportForm(request.POST or None, request.FILES or None, town=town)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = runs.import_run_start(
                town=town,
                source=form.cleaned_data["source"],
                file_name=upload.name,
                actor=request.user,  # type: ignore[arg-type]
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            runs.import_run_launch(run=run, path=_keep_upload(upload))
            return redirect("shops_imports:run", town_slug=space.slug, run_id=run.pk)
    recent = runs.recent_runs(town, limit=RECENT_RUNS)
    now = timezone.now()
    context = {
        "form": form,
        "runs": recent,
        "dead_runs": {run.pk for run in recent if runs.run_is_dead(run, now=now)},
        "hours_to_check": shops_with_hours_to_check(town=town),
    }
    return render(request, "shops/imports/index.html", context, status=422 if form.errors else 200)


def _town_run(space: Space, run_id: int) -> ImportRun:
    assert space.town is not None
    run = runs.town_run(space.town, run_id)
    if run is None:
        raise Http404
    return run


@space_view(permission="towns.change_town")
def import_run(request: HtmxHttpRequest, space: Space, run_id: int) -> HttpResponse:
    run = _town_run(space, run_id)
    report = run.report or {}
    context = {
        "run": run,
        "source_name": SOURCE_NAMES.get(run.source, run.get_source_display()),
        "is_dead": runs.run_is_dead(run, now=timezone.now()),
        "interrupted": runs.INTERRUPTED,
        "rows_shown": ROWS_SHOWN,
        "encoding": report.get("encoding", ""),
        "truncated": report.get("truncated", ""),
        "merged_examples": report.get("merged_examples", []),
        "skipped_groups": report_groups(
            report.get("skipped", {}), report.get("skipped_examples", {}), SKIP_REASONS
        ),
        "warning_groups": report_groups(
            report.get("warnings", {}), report.get("warning_examples", {}), WARNINGS
        ),
    }
    template = "shops/imports/_run.html" if request.htmx else "shops/imports/run.html"
    return render(request, template, context)


@space_view(permission="towns.change_town")
def import_run_report(request: HtmxHttpRequest, space: Space, run_id: int) -> HttpResponse:
    """Every row the import skipped, merged or warned about, as a CSV a spreadsheet opens."""
    run = _town_run(space, run_id)
    report = run.report or {}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.source}-{run.pk}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow([_("Résultat"), _("Motif"), _("Élément")])
    for kind, counts, examples, labels in (
        (_("Ignoré"), report.get("skipped", {}), report.get("skipped_examples", {}), SKIP_REASONS),
        (_("Avertissement"), report.get("warnings", {}), report.get("warning_examples", {}), WARNINGS),
    ):
        for group in report_groups(counts, examples, labels):
            for example in group.examples:
                writer.writerow([kind, group.label, example])
            if len(group.examples) < group.count:
                unnamed = group.count - len(group.examples)
                writer.writerow([kind, group.label, _("%(count)s ligne(s) sans détail") % {"count": unnamed}])
    for example in report.get("merged_examples", []):
        writer.writerow([_("Fusionné"), _("Même commerce dans l'autre source"), example])
    return response


@require_POST
@space_view(permission="towns.change_town")
def hours_checked(request: HtmxHttpRequest, space: Space, shop_id: int) -> HttpResponse:
    assert space.town is not None
    shop = selectors.town_shop(space.town, shop_id)
    if shop is None:
        raise Http404
    shop_hours_checked(shop=shop)
    messages.success(request, _("Horaires de « %(shop)s » marqués comme vérifiés.") % {"shop": shop.name})
    return redirect(reverse("shops_imports:index", kwargs={"town_slug": space.slug}) + "#horaires-a-verifier")
