"""The town team's footfall pages: the counting sites and what they counted, a site's charts, and the import
of counts (upload files, follow the import, read its report)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from centreville.core.charts import chart_csv_download
from centreville.core.days import DayField
from centreville.core.forms import add_service_error
from centreville.core.http import HtmxHttpRequest
from centreville.core.request_guard import allow_request_body
from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import charts, runs, selectors, services
from .forms import SiteForm
from .importing import FORMATS, MAX_COUNT_PER_HOUR, MAX_REJECTIONS_KEPT, ImportFailed, SourceFile, check_file
from .importing import reason_label as label_of
from .models import MAX_MISSING_HOURS, CountImport, CountingSite, MobilityKind

# What the site page shows, ending on the chosen day.
DAYS_SHOWN = 35
WEEKS_SHOWN = 13
MONTHS_SHOWN = 13
FLAGGED_SHOWN = 60
RECENT_IMPORTS = 20
# Rejected lines listed on the report page for each reason; the CSV has all those kept.
LINES_SHOWN = 20


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


# --- Sites ---------------------------------------------------------------------------------------------


@require_safe
@space_view(permission="footfall.view_counts")
def site_list(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    context = {
        "sites": selectors.sites_coverage(town),
        "can_import": request.user.has_perm("footfall.import_counts", town),
        "max_missing_hours": MAX_MISSING_HOURS,
    }
    return render(request, "footfall/sites.html", context)


@require_http_methods(["GET", "POST"])
@space_view(permission="footfall.manage_sites")
def site_edit(request: HtmxHttpRequest, space: Space, site_id: int) -> HttpResponse:
    town = _town(space)
    site = selectors.town_site(town, site_id)
    if site is None:
        raise Http404
    form = SiteForm(request.POST or None, instance=CountingSite.objects.get(pk=site.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(site=site, data=form.site_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le compteur est enregistré."))
            return redirect("footfall_manage:site", town_slug=space.slug, site_id=site.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "footfall/site_form.html", {"form": form, "site": site}, status=status)


class EndDayForm(forms.Form):
    au = DayField(label=gettext_lazy("Jusqu'au"), required=False)


@require_safe
@space_view(permission="footfall.view_counts")
def site_detail(request: HtmxHttpRequest, space: Space, site_id: int) -> HttpResponse:
    town = _town(space)
    site = selectors.town_site(town, site_id)
    if site is None:
        raise Http404
    today = timezone.localdate()
    scope = selectors.Scope(town=town, site_id=site.pk)
    form = EndDayForm(request.GET or None)
    chosen = form.cleaned_data.get("au") if form.is_valid() else None
    last_counted = selectors.last_counted_day(scope)
    end = chosen or min(today, last_counted or today)
    months = selectors.months_between(_months_back(end, MONTHS_SHOWN - 1), end)
    channels = selectors.site_channels(site)
    page_charts = [
        charts.days_chart(selectors.days_compared(scope, end - timedelta(days=DAYS_SHOWN - 1), end)),
        charts.weeks_chart(selectors.weeks_compared(scope, end - timedelta(weeks=WEEKS_SHOWN - 1), end)),
        charts.months_chart(selectors.months_compared(scope, months[0], end)),
    ]
    if len(channels) > 1:
        totals = selectors.channel_months(site, months[0], end)
        page_charts.append(charts.channels_chart(channels, months, totals, slug="canaux"))
    download = chart_csv_download(request, page_charts, prefix=f"frequentation-{site.pk}")
    if download is not None:
        return download
    context = {
        "site": site,
        "channels": channels,
        "charts": page_charts,
        "form": form,
        "end": end,
        "last_counted": last_counted,
        "flagged": selectors.flagged_days(scope, months[0], end, limit=FLAGGED_SHOWN),
        "max_missing_hours": MAX_MISSING_HOURS,
        "can_import": request.user.has_perm("footfall.import_counts", town),
        "can_edit": request.user.has_perm("footfall.manage_sites", town),
    }
    return render(request, "footfall/site.html", context, status=400 if form.errors else 200)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# --- Imports -------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class CountImportForm(forms.Form):
    uploads = MultipleFileField(
        label=gettext_lazy("Fichiers"),
        help_text=gettext_lazy(
            "Un ou plusieurs fichiers CSV : exports de compteurs (une colonne de dates puis une colonne "
            "par canal), ou les trois fichiers du schéma Comptage des mobilités (sites, canaux, mesures) "
            "ensemble."
        ),
    )
    site = forms.ModelChoiceField(
        label=gettext_lazy("Site des nouveaux canaux (exports de compteurs)"),
        queryset=CountingSite.objects.none(),
        required=False,
        empty_label=gettext_lazy("Un nouveau site, nommé d'après le fichier"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type des nouveaux canaux"),
        choices=MobilityKind.choices,
        initial=MobilityKind.PEDESTRIAN,
    )

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = CountingSite.objects.for_town(town)

    def clean_uploads(self) -> list[SourceFile]:
        """The files, read; each must be of a known format and whole (a French error says which is not)."""
        sources = []
        errors = []
        for upload in self.cleaned_data["uploads"]:
            source = SourceFile(upload.name or "", upload.read())
            try:
                check_file(source)
            except ImportFailed as error:
                errors.append(str(error))
            sources.append(source)
        if errors:
            raise ValidationError(errors)
        return sources


@allow_request_body("MAX_IMPORT_BODY_BYTES")
@require_http_methods(["GET", "POST"])
@space_view(permission="footfall.import_counts")
def import_index(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = CountImportForm(request.POST or None, request.FILES or None, town=town)
    if request.method == "POST" and form.is_valid():
        sources: list[SourceFile] = form.cleaned_data["uploads"]
        try:
            run = runs.count_import_start(
                town=town,
                file_names=[source.name for source in sources],
                actor=request.user,  # type: ignore[arg-type]
                site=form.cleaned_data["site"],
                kind=form.cleaned_data["kind"],
                files=sources,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            runs.count_import_launch(run=run)
            return redirect("footfall_manage:import_run", town_slug=space.slug, run_id=run.pk)
    recent = list(runs.recent_imports(town, limit=RECENT_IMPORTS))
    now = timezone.now()
    context = {
        "form": form,
        "runs": recent,
        "dead_runs": {run.pk for run in recent if runs.run_is_dead(run, now=now)},
        "max_per_hour": MAX_COUNT_PER_HOUR,
        "max_missing_hours": MAX_MISSING_HOURS,
    }
    return render(request, "footfall/imports/index.html", context, status=422 if form.errors else 200)


def _town_run(space: Space, run_id: int) -> CountImport:
    run = runs.town_import(_town(space), run_id)
    if run is None:
        raise Http404
    return run


@require_safe
@space_view(permission="footfall.import_counts")
def import_run(request: HtmxHttpRequest, space: Space, run_id: int) -> HttpResponse:
    run = _town_run(space, run_id)
    report = run.report or {}
    rejections = report.get("rejections", [])
    groups = [
        {
            "code": code,
            "label": label_of(code),
            "count": count,
            "lines": [line for line in rejections if line["reason"] == code][:LINES_SHOWN],
        }
        for code, count in report.get("reasons", {}).items()
    ]
    files = [
        {**info, "format_label": FORMATS.get(info.get("format", ""), info.get("format", ""))}
        for info in report.get("files", [])
    ]
    context = {
        "run": run,
        "is_dead": runs.run_is_dead(run, now=timezone.now()),
        "interrupted": runs.INTERRUPTED,
        "groups": groups,
        "files": files,
        "lines_shown": LINES_SHOWN,
        "rejected_lines": sum(group["count"] for group in groups),
        "long_report": any(group["count"] > LINES_SHOWN for group in groups),
    }
    template = "footfall/imports/_run.html" if request.htmx else "footfall/imports/run.html"
    return render(request, template, context)


@require_safe
@space_view(permission="footfall.import_counts")
def import_rejections(request: HtmxHttpRequest, space: Space, run_id: int) -> HttpResponse:
    """The lines the import rejected, as a CSV a spreadsheet opens."""
    run = _town_run(space, run_id)
    report = run.report or {}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-comptages-{run.pk}-rejets.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow([_("Fichier"), _("Ligne"), _("Motif"), _("Canal"), _("Valeur")])
    for line in report.get("rejections", []):
        writer.writerow(
            [
                spreadsheet_text(line["file"]),
                line["line"],
                label_of(line["reason"]),
                spreadsheet_text(line["channel"]),
                spreadsheet_text(line["value"]),
            ]
        )
    unlisted = sum(report.get("reasons", {}).values()) - len(report.get("rejections", []))
    if unlisted > 0:
        writer.writerow(
            [
                "",
                "",
                _("%(count)s autres lignes rejetées, au-delà des %(kept)s gardées une à une")
                % {"count": unlisted, "kept": MAX_REJECTIONS_KEPT},
                "",
                "",
            ]
        )
    return response
