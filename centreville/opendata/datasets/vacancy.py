"""Commercial vacancy, aggregated: per street on the day of the download, and month by month for the town
centre and the whole town. Our own documented format: no national schema exists for commercial-unit
vacancy (schema.data.gouv.fr, 2026). Nothing about a unit's owner is read, let alone published.

What could single out a person is a street of one to four units: its figures would describe the premises of
one or two owners. So streets with fewer than `OPENDATA_MIN_CELL_COUNT` units are grouped into one row
« Autres rues », and a unit count still under the minimum after that is blanked (with the cells a total
would give it away by: `suppression.suppress_small_counts`). The vacant counts of a street of five units or
more are published: they point at no one unit, and a vacant shop front is what anyone sees from the
pavement. The figures are `premises.vacancy`'s, computed by the method its page states.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.premises.models import CommercialUnit, Occupancy
from centreville.premises.vacancy import (
    VacancyFigures,
    history_start,
    vacancy_by_street,
    vacancy_over_time,
)
from centreville.towns.models import Town

from ..suppression import group_small_rows, suppress_small_counts
from .base import Dataset, Field, Record, Summary, point

COUNTS = ("units", "vacant", "in_transition", "occupied")
RATES = ("vacancy_rate", "surface_vacancy_rate")


def _today(town: Town, at: datetime) -> date:
    return at.astimezone(ZoneInfo(town.timezone)).date()


def _figures(figures: VacancyFigures) -> dict[str, int | Decimal | None]:
    return {
        "units": figures.units,
        "vacant": figures.vacant,
        "in_transition": figures.in_transition,
        "occupied": figures.occupied,
        "vacancy_rate": figures.rate,
        "surface_vacancy_rate": figures.surface_rate,
    }


def _suppressed(rows: list[dict], *, total_row: bool) -> list[dict]:
    """Rows whose unit counts under the minimum, and their rates, are blanked (with secondary cells)."""
    return suppress_small_counts(
        rows,
        counts=["units"],
        row_totals={"units": ("vacant", "in_transition", "occupied")},
        total_row=(lambda row: row["street"] == TOWN_ROW) if total_row else None,
        derived={"units": (*COUNTS[1:], *RATES)},
    )


TOWN_ROW = "*"  # the street column of the whole town's row


def street_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """Each street's vacancy today, streets of few units grouped, then the whole town's row."""
    today = _today(town, at)
    positions: dict[str, list[tuple[Decimal, Decimal]]] = {}
    units = CommercialUnit.objects.filter(town=town)
    for key, latitude, longitude in units.values_list("street_key", "latitude", "longitude").order_by():
        if latitude is not None and longitude is not None:
            positions.setdefault(key, []).append((latitude, longitude))
    rows: list[dict] = []
    totals = VacancyFigures()
    for street in vacancy_by_street(town, on=today):
        spots = positions.get(street.key, [])
        rows.append(
            {
                "date": today,
                "street": street.street,
                **_figures(street.figures),
                # The street's place: the middle of its units, which says where the street is, not a unit.
                "latitude": sum(lat for lat, _lon in spots) / len(spots) if spots else None,
                "longitude": sum(lon for _lat, lon in spots) / len(spots) if spots else None,
            }
        )
        totals = VacancyFigures(
            units=totals.units + street.figures.units,
            vacant=totals.vacant + street.figures.vacant,
            in_transition=totals.in_transition + street.figures.in_transition,
            surface=totals.surface + street.figures.surface,
            vacant_surface=totals.vacant_surface + street.figures.vacant_surface,
        )
    if not rows:
        return
    grouped = group_small_rows(
        rows, size="units", counts=COUNTS[1:], label_field="street", label=_("Autres rues")
    )
    for row in grouped:
        if row["date"] is None:  # the merged row of small streets: its rates from its counts
            row["date"] = today
            row["vacancy_rate"] = VacancyFigures(units=row["units"], vacant=row["vacant"]).rate
    grouped.append(
        {"date": today, "street": TOWN_ROW, **_figures(totals), "latitude": None, "longitude": None}
    )
    for row in grouped:
        row["latitude"] = None if row["latitude"] is None else round(row["latitude"], 6)
        row["longitude"] = None if row["longitude"] is None else round(row["longitude"], 6)
    yield from _suppressed(grouped, total_row=True)


def month_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """Month by month since the town's units have a history (ten years at most), centre and whole town."""
    today = _today(town, at)
    first = history_start(town)
    if first is None:
        return
    rows: list[dict] = []
    for month in vacancy_over_time(town, first=first, last=today):
        for scope, figures in (("centre", month.centre), ("commune", month.town)):
            rows.append({"month": month.month.strftime("%Y-%m"), "on": month.on, "scope": scope})
            rows[-1].update(_figures(figures))
    yield from suppress_small_counts(
        rows,
        counts=["units"],
        row_totals={"units": ("vacant", "in_transition", "occupied")},
        derived={"units": (*COUNTS[1:], *RATES)},
    )


def _summary(town: Town, records: int) -> Summary:
    changed = Occupancy.objects.filter(town=town).aggregate(at=Max("updated_at"))["at"]
    return Summary(records=records, updated_at=changed)


def street_summary(town: Town, *, at: datetime) -> Summary:
    streets = CommercialUnit.objects.filter(town=town).values("street_key").distinct().count()
    return _summary(town, streets + 1 if streets else 0)


def month_summary(town: Town, *, at: datetime) -> Summary:
    first = history_start(town)
    if first is None:
        return _summary(town, 0)
    today = _today(town, at)
    return _summary(town, 2 * len(vacancy_over_time(town, first=first, last=today)))


_FIGURE_FIELDS = (
    Field("units", "integer", gettext_lazy("Locaux commerciaux comptés ce jour-là (vide sous le seuil)")),
    Field("vacant", "integer", gettext_lazy("Locaux vacants")),
    Field("in_transition", "integer", gettext_lazy("Locaux en travaux ou réservés (ni vacants ni occupés)")),
    Field("occupied", "integer", gettext_lazy("Locaux occupés")),
    Field("vacancy_rate", "number", gettext_lazy("Taux de vacance en nombre de locaux, en %")),
    Field(
        "surface_vacancy_rate",
        "number",
        gettext_lazy("Taux de vacance en surface, en % des m² connus (vide si aucune surface n'est connue)"),
    ),
)

VACANCY_BY_STREET = Dataset(
    slug="vacance-commerciale-par-rue",
    title=gettext_lazy("Vacance commerciale par rue"),
    description=gettext_lazy(
        "Pour chaque rue, le jour du téléchargement : locaux commerciaux comptés, vacants, en travaux ou "
        "réservés, occupés, et le taux de vacance. Les rues de moins de cinq locaux sont regroupées en « "
        "Autres rues » ; la ligne « * » est l'ensemble de la commune. Aucune donnée sur les propriétaires."
    ),
    records=street_records,
    summary=street_summary,
    own_fields=(
        Field("date", "date", gettext_lazy("Jour auquel la vacance est lue"), required=True),
        Field(
            "street",
            "string",
            gettext_lazy("Rue, « Autres rues » pour les rues de moins de cinq locaux, « * » pour la commune"),
            required=True,
        ),
        *_FIGURE_FIELDS,
        Field("latitude", "number", gettext_lazy("Latitude du milieu des locaux de la rue (WGS 84)")),
        Field("longitude", "number", gettext_lazy("Longitude du milieu des locaux de la rue (WGS 84)")),
    ),
    geometry=point("longitude", "latitude"),
    suppresses_small_counts=True,
)

VACANCY_BY_MONTH = Dataset(
    slug="vacance-commerciale-par-mois",
    title=gettext_lazy("Vacance commerciale mois par mois"),
    description=gettext_lazy(
        "Le taux de vacance commerciale du centre-ville et de toute la commune, lu au dernier jour de "
        "chaque mois, depuis que la ville suit ses locaux (dix ans au plus)."
    ),
    records=month_records,
    summary=month_summary,
    own_fields=(
        Field(
            "month",
            "string",
            gettext_lazy("Mois, AAAA-MM"),
            required=True,
            constraints={"pattern": r"\d{4}-\d{2}"},
        ),
        Field(
            "on",
            "date",
            gettext_lazy("Jour auquel le mois est lu : son dernier, ou aujourd'hui"),
            required=True,
        ),
        Field(
            "scope",
            "string",
            gettext_lazy("« centre » : les locaux du périmètre du centre-ville ; « commune » : tous"),
            required=True,
            constraints={"enum": ["centre", "commune"]},
        ),
        *_FIGURE_FIELDS,
    ),
    suppresses_small_counts=True,
)
