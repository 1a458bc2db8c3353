"""Footfall figures as charts (`core.charts.Chart`): by day, ISO week and month, each beside last year.

A gap stays a gap (None, a dash in the table); a period counted incompletely says so in its row's label.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centreville.core.charts import Category, Chart, Series

from .models import MAX_MISSING_HOURS, CountingChannel
from .selectors import Compared, PeriodCount


def _flagged(label: str, compared: Compared) -> str:
    current, previous = compared.current, compared.previous
    if not current.is_gap and not current.is_complete:
        label = _("%(period)s — données incomplètes") % {"period": label}
    if not previous.is_gap and not previous.is_complete:
        label = _("%(period)s — un an plus tôt : données incomplètes") % {"period": label}
    return label


def _note(comparison: str) -> str:
    return _(
        "Un jour sans aucun comptage est un trou (—), jamais un zéro. Un jour est incomplet quand plus de "
        "%(hours)s de ses heures n'ont pas de comptage : son total est alors trop bas. %(comparison)s"
    ) % {"hours": MAX_MISSING_HOURS, "comparison": comparison}


def _series(rows: Sequence[Compared], previous_label: str) -> list[Series]:
    return [
        Series(_("Passages"), [row.current.total for row in rows]),
        Series(previous_label, [row.previous.total for row in rows]),
    ]


def day_label(day: date) -> str:
    return date_format(day, "D j N Y")


def week_label(monday: date) -> str:
    return _("semaine du %(day)s") % {"day": date_format(monday, "j N Y")}


def month_label(month: date) -> str:
    return date_format(month, "F Y")


def days_chart(rows: Sequence[Compared], *, slug: str = "jours", title: str = "") -> Chart:
    return Chart(
        slug=slug,
        title=title or _("Passages par jour"),
        kind="line",
        category_label=_("Jour"),
        categories=[
            Category(row.current.first.isoformat(), _flagged(day_label(row.current.first), row))
            for row in rows
        ],
        series=_series(rows, _("Un an plus tôt (même jour de la semaine)")),
        unit=_("passages"),
        note=_note(_("Un an plus tôt : le même jour de la semaine, 52 semaines avant.")),
    )


def weeks_chart(rows: Sequence[Compared], *, slug: str = "semaines", title: str = "") -> Chart:
    def key(figure: PeriodCount) -> str:
        year, week, _day = figure.first.isocalendar()
        return f"{year}-W{week:02d}"

    return Chart(
        slug=slug,
        title=title or _("Passages par semaine"),
        kind="bar",
        category_label=_("Semaine"),
        categories=[Category(key(row.current), _flagged(week_label(row.current.first), row)) for row in rows],
        series=_series(rows, _("Un an plus tôt (même semaine)")),
        unit=_("passages"),
        note=_note(_("Semaines du lundi au dimanche ; un an plus tôt : la semaine 52 semaines avant.")),
    )


def months_chart(rows: Sequence[Compared], *, slug: str = "mois", title: str = "") -> Chart:
    return Chart(
        slug=slug,
        title=title or _("Passages par mois"),
        kind="bar",
        category_label=_("Mois"),
        categories=[
            Category(row.current.first.strftime("%Y-%m"), _flagged(month_label(row.current.first), row))
            for row in rows
        ],
        series=_series(rows, _("Un an plus tôt (même mois)")),
        unit=_("passages"),
        note=_note(_("Un an plus tôt : le même mois de l'année précédente.")),
    )


def channels_chart(
    channels: Sequence[CountingChannel],
    months: Sequence[date],
    totals: dict[int, dict[date, int]],
    *,
    slug: str,
) -> Chart:
    """Each channel's monthly totals, stacked (a month without counts for a channel is a gap)."""
    return Chart(
        slug=slug,
        title=_("Passages par mois et par canal"),
        kind="stacked",
        category_label=_("Mois"),
        categories=[Category(month.strftime("%Y-%m"), month_label(month)) for month in months],
        series=[
            Series(channel.name, [totals.get(channel.pk, {}).get(month) for month in months])
            for channel in channels
        ],
        unit=_("passages"),
        note=_("Un mois sans aucun comptage d'un canal est un trou (—), jamais un zéro."),
    )
