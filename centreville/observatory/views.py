"""The observatory's pages for the town team and elected officials: the dashboard, the platform's activity,
the monthly reports. Each chart's CSV is answered by the page that shows it (`?csv=<slug>`)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from centreville.core.charts import chart_csv_download
from centreville.core.http import HtmxHttpRequest
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import dashboard, platform, selectors
from .forms import ReportMonthForm
from .models import MonthlyReport
from .report import Month, monthly_report, report_months
from .report_pdf import monthly_report_pdf


def _periods() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in dashboard.PERIOD_LABELS.items()]


@require_safe
@space_view(permission="towns.view_dashboard")
def town_dashboard(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    now = timezone.now()
    board = dashboard.town_dashboard(
        space.town, at=now, period=request.GET.get("periode", dashboard.DEFAULT_PERIOD)
    )
    csv = chart_csv_download(request, board.charts, prefix=f"{space.slug}-tableau-de-bord-{board.period.key}")
    if csv is not None:
        return csv
    context = {
        "board": board,
        "periods": _periods(),
        "figures": selectors.town_dashboard_figures(space.town),
        "report_form": ReportMonthForm(months=report_months(space.town, at=now)),
    }
    return render(request, "observatory/dashboard.html", context)


@require_safe
@space_view(permission="towns.view_dashboard")
def platform_activity(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    activity = platform.platform_activity(
        space.town, at=timezone.now(), period=request.GET.get("periode", dashboard.DEFAULT_PERIOD)
    )
    prefix = f"{space.slug}-activite-{activity.period.key}"
    if request.GET.get("csv") == platform.UNFOUND_CSV:
        return platform.unfound_searches_csv(
            activity.unfound, filename=f"{prefix}-{platform.UNFOUND_CSV}.csv"
        )
    csv = chart_csv_download(request, activity.charts, prefix=prefix)
    if csv is not None:
        return csv
    context = {"activity": activity, "periods": _periods(), "unfound_csv": platform.UNFOUND_CSV}
    return render(request, "observatory/activity.html", context)


def _reports_page(
    request: HtmxHttpRequest, town: Town, form: ReportMonthForm, *, status: int = 200
) -> HttpResponse:
    reports = MonthlyReport.objects.for_town(town).defer("pdf").order_by("-month")
    return render(
        request, "observatory/reports.html", {"reports": reports, "report_form": form}, status=status
    )


@require_safe
@space_view(permission="towns.view_dashboard")
def reports(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    return _reports_page(
        request, space.town, ReportMonthForm(months=report_months(space.town, at=timezone.now()))
    )


@require_safe
@space_view(permission="towns.view_dashboard")
def report_download(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    """A finished month's report made now, in the page's language, downloaded (not kept)."""
    assert space.town is not None
    now = timezone.now()
    form = ReportMonthForm(request.GET, months=report_months(space.town, at=now))
    if not form.is_valid():
        return _reports_page(request, space.town, form, status=400)
    month: Month = form.cleaned_data["mois"]
    pdf, _pages = monthly_report_pdf(monthly_report(space.town, month=month, at=now))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"rapport-{space.slug}-{month.key}-{get_language() or 'fr'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@space_view(permission="towns.view_dashboard")
def report_file(request: HtmxHttpRequest, space: Space, month: str) -> HttpResponse:
    """A kept report, as it was made early the month after."""
    assert space.town is not None
    try:
        first = Month.parse(month).first
    except ValueError:
        raise Http404 from None
    report = MonthlyReport.objects.for_town(space.town).filter(month=first).first()
    if report is None:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-{space.slug}-{month}.pdf"'
    return response
