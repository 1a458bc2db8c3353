"""Writes of the observatory: the monthly reports kept for the town team."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import translation

from centreville.towns.models import Town

from .models import MonthlyReport
from .report import Month, last_finished_month, monthly_report
from .report_pdf import monthly_report_pdf
from .selectors import midnight

# A month's report is made from the 1st of the next month at this hour (local time), once the night's
# counts are written.
REPORT_HOUR = 6
REPORT_LANGUAGE = "fr"  # for the municipal council; the town team can make any month's in English on demand


def monthly_report_make(*, town: Town, month: Month, at: datetime) -> MonthlyReport | None:
    """Write and keep `town`'s report for `month` as the figures stand at `at`, unless one is kept already.

    Returns the new report, or None if there was one (made earlier, or meanwhile by another worker).
    """
    if MonthlyReport.objects.filter(town=town, month=month.first).exists():
        return None
    with translation.override(REPORT_LANGUAGE):
        pdf, pages = monthly_report_pdf(monthly_report(town, month=month, at=at))
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                town=town,
                month=month.first,
                pdf=pdf,
                pages=pages,
                size=len(pdf),
                language=REPORT_LANGUAGE,
                generated_at=at,
            )
    except IntegrityError:  # the unique (town, month): another worker kept it first
        return None


def monthly_reports_make_due(*, at: datetime) -> int:
    """Make the last month's report of every town that has none yet, from the 1st at REPORT_HOUR (each
    town's local time); a town that joined after that month ended gets none. Returns how many were made.

    Cheap when there is nothing to do (two queries): the scheduler runs it every few minutes.
    """
    due: dict[int, tuple[Town, Month]] = {}
    for town in Town.objects.all():
        tz = ZoneInfo(town.timezone)
        local = at.astimezone(tz)
        month = last_finished_month(at, tz)
        if local.day == 1 and local.hour < REPORT_HOUR:
            continue
        if town.created_at >= midnight(month.next().first, tz):
            continue
        due[town.pk] = (town, month)
    kept = set(
        MonthlyReport.objects.filter(
            town_id__in=list(due), month__in={month.first for _town, month in due.values()}
        ).values_list("town_id", "month")
    )
    made = 0
    for town, month in due.values():
        if (town.pk, month.first) not in kept and monthly_report_make(town=town, month=month, at=at):
            made += 1
    return made
