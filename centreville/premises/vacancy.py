"""Commercial vacancy, computed from the units' occupancy history: at a date, by street, month by month.

The method (said on the vacancy page in the same words, `METHOD`):
- A unit is counted at a date when its history has begun by then (a unit recorded as from 2022 is not
  counted in 2020). Units in the town-centre perimeter make the centre's figures; every unit makes the
  whole town's and its street's.
- Vacant means in the « vacant » state. A unit « en travaux » or « réservé » is not vacant (a project is
  under way) and is counted apart, so that the reader sees it.
- Rate by count = vacant units ÷ counted units. Rate by surface = vacant m² ÷ m² of the counted units whose
  surface is known; units without a surface are left out of the surface rate only, and their number is said.
- Month by month, each month is read on its last day (the last month on the date asked for).

Everything is read with two queries (the units, and the periods that touch the dates asked for) and swept
in Python: each period adds itself to the first date it covers and removes itself after the last one, so the
cost grows with the number of periods, never with units × months.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core.charts import Category, Chart, Series
from centreville.towns.models import Town

from .models import CommercialUnit, Occupancy, UnitState
from .streets import street_label

VACANT_STATES = frozenset({UnitState.VACANT})
TRANSITION_STATES = frozenset({UnitState.WORKS, UnitState.RESERVED})
MAX_MONTHS = 120  # ten years, month by month

METHOD = (
    gettext_lazy(
        "Un local est compté à une date si son historique a commencé à cette date : un local enregistré "
        "à partir de 2022 n'est pas compté en 2020."
    ),
    gettext_lazy(
        "Le centre-ville compte les locaux situés dans son périmètre ; la ville entière et chaque rue "
        "comptent tous leurs locaux."
    ),
    gettext_lazy(
        "Est vacant un local à l'état « vacant ». Un local en travaux ou réservé n'est pas compté comme "
        "vacant, car un projet y est en cours : il est compté à part."
    ),
    gettext_lazy("Taux de vacance en nombre = locaux vacants ÷ locaux comptés."),
    gettext_lazy(
        "Taux de vacance en surface = surface des locaux vacants ÷ surface des locaux comptés. Les locaux "
        "dont la surface n'est pas connue sont laissés de côté pour ce taux seulement, et leur nombre est "
        "indiqué."
    ),
    gettext_lazy(
        "Mois par mois, chaque mois est lu à son dernier jour (le dernier mois, à la date choisie)."
    ),
)


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VacancyFigures:
    """The units counted at one date in one scope (the centre, the town, a street), and their vacancy."""

    units: int = 0
    vacant: int = 0
    in_transition: int = 0  # en travaux or réservé: not vacant, counted apart
    surface: Decimal = Decimal(0)  # m² of the counted units whose surface is known
    vacant_surface: Decimal = Decimal(0)
    without_surface: int = 0  # counted units left out of the surface rate

    @property
    def occupied(self) -> int:
        return self.units - self.vacant - self.in_transition

    @property
    def rate(self) -> Decimal | None:
        """Vacant units per hundred counted units, to one decimal; None when no unit is counted."""
        return _percent(self.vacant, self.units)

    @property
    def surface_rate(self) -> Decimal | None:
        """Vacant m² per hundred m² of the counted units with a surface; None when no surface is known."""
        return _percent(self.vacant_surface, self.surface)


@dataclass(frozen=True)
class VacancySummary:
    on: date
    centre: VacancyFigures
    town: VacancyFigures


@dataclass(frozen=True)
class StreetVacancy:
    key: str  # streets.street_key
    street: str  # as the units spell it most often
    figures: VacancyFigures


@dataclass(frozen=True)
class MonthVacancy:
    month: date  # its first day
    on: date  # the day it was read: its last, or the date asked for in the last month
    centre: VacancyFigures
    town: VacancyFigures


# --- The sweep ---------------------------------------------------------------------------------------


# A period's state as the sweep counts it.
_OCCUPIED, _VACANT, _TRANSITION = 0, 1, 2
_CODES = {
    state: _VACANT if state in VACANT_STATES else _TRANSITION if state in TRANSITION_STATES else _OCCUPIED
    for state in UnitState.values
}


def _figures(diffs: list[list[int]], size: int) -> list[VacancyFigures]:
    """Running sums of the difference arrays (units, vacant, in transition, tenths of m², vacant tenths,
    units without a surface): the figures at each sample date."""
    units, vacant, transition, tenths, vacant_tenths, without = diffs
    result = []
    u = v = t = s = vs = w = 0
    for index in range(size):
        u += units[index]
        v += vacant[index]
        t += transition[index]
        s += tenths[index]
        vs += vacant_tenths[index]
        w += without[index]
        result.append(
            VacancyFigures(
                units=u,
                vacant=v,
                in_transition=t,
                surface=Decimal(s) / 10,
                vacant_surface=Decimal(vs) / 10,
                without_surface=w,
            )
        )
    return result


class VacancyHistory:
    """A town's units and the periods touching [first, last], read once (two queries); every figure is swept
    from them in Python."""

    def __init__(self, town: Town, *, first: date, last: date) -> None:
        self.first, self.last = first, last
        # Surfaces in tenths of m²: exact integers, summed fast.
        units = {
            pk: (street, key, None if surface is None else int(surface * 10), in_centre)
            for pk, street, key, surface, in_centre in CommercialUnit.objects.filter(town=town)
            .order_by()
            .values_list("pk", "street", "street_key", "surface", "in_centre")
        }
        self.spellings: dict[str, list[str]] = defaultdict(list)
        for street, key, _tenths, _in_centre in units.values():
            self.spellings[key].append(street)
        periods = (
            Occupancy.objects.filter(town=town, start__lte=last)
            .filter(Q(end__isnull=True) | Q(end__gte=first))
            .order_by()  # the sweep needs no order, and sorting ten thousand rows is the query's main cost
            .values_list("unit_id", "state", "start", "end")
        )
        # Each period as the sweep reads it: start, end, state code, tenths of m², in the centre, street key.
        self.rows: list[tuple[date, date | None, int, int | None, bool, str]] = []
        for unit_id, state, start, end in periods:
            _street, key, tenths, in_centre = units[unit_id]
            self.rows.append((start, end, _CODES[state], tenths, in_centre, key))

    def _sweep(self, samples: Sequence[date]) -> dict[bool, list[VacancyFigures]]:
        """Figures at each sample date (sorted), for the centre (True) and the rest of the town (False).

        Each period adds itself at the first sample it covers and takes itself away after the last one."""
        if samples and (samples[0] < self.first or samples[-1] > self.last):
            raise ValueError("sample dates outside the history read")
        size = len(samples)
        diffs: dict[bool, list[list[int]]] = {}
        for start, end, code, tenths, key, _street in self.rows:
            first = bisect_left(samples, start)
            after = size if end is None else bisect_right(samples, end)
            if first >= after:
                continue
            arrays = diffs.get(key)
            if arrays is None:
                arrays = diffs[key] = [[0] * (size + 1) for _ in range(6)]
            units, vacant, transition, surface, vacant_surface, without = arrays
            units[first] += 1
            units[after] -= 1
            if code == _VACANT:
                vacant[first] += 1
                vacant[after] -= 1
            elif code == _TRANSITION:
                transition[first] += 1
                transition[after] -= 1
            if tenths is None:
                without[first] += 1
                without[after] -= 1
            else:
                surface[first] += tenths
                surface[after] -= tenths
                if code == _VACANT:
                    vacant_surface[first] += tenths
                    vacant_surface[after] -= tenths
        return {key: _figures(arrays, size) for key, arrays in diffs.items()}

    def scopes(self, samples: Sequence[date]) -> tuple[list[VacancyFigures], list[VacancyFigures]]:
        """(centre, whole town) figures at each of the sorted sample dates."""
        swept = self._sweep(samples)
        empty = [VacancyFigures()] * len(samples)
        inside, outside = swept.get(True, empty), swept.get(False, empty)
        town = [_plus(a, b) for a, b in zip(inside, outside, strict=True)]
        return inside, town

    def summary(self, on: date) -> VacancySummary:
        centre, town = self.scopes([on])
        return VacancySummary(on=on, centre=centre[0], town=town[0])

    def by_street(self, on: date) -> list[StreetVacancy]:
        """Each street with counted units on `on`: only the periods covering that day are read."""
        if not self.first <= on <= self.last:
            raise ValueError("date outside the history read")
        tallies: dict[str, list[int]] = {}
        for start, end, code, tenths, _in_centre, street in self.rows:
            if start > on or (end is not None and end < on):
                continue
            tally = tallies.get(street)
            if tally is None:
                tally = tallies[street] = [0] * 6
            tally[0] += 1
            if code == _VACANT:
                tally[1] += 1
            elif code == _TRANSITION:
                tally[2] += 1
            if tenths is None:
                tally[5] += 1
            else:
                tally[3] += tenths
                if code == _VACANT:
                    tally[4] += tenths
        streets = [
            StreetVacancy(
                key=key,
                street=street_label(self.spellings[key]),
                figures=VacancyFigures(
                    units=units,
                    vacant=vacant,
                    in_transition=transition,
                    surface=Decimal(tenths) / 10,
                    vacant_surface=Decimal(vacant_tenths) / 10,
                    without_surface=without,
                ),
            )
            for key, (units, vacant, transition, tenths, vacant_tenths, without) in tallies.items()
        ]
        return sorted(streets, key=lambda street: (street.key, street.street))

    def over_time(self, first: date, last: date) -> list[MonthVacancy]:
        months = month_starts(first, last)
        samples = [min(month_end(month), last) for month in months]
        centre, town = self.scopes(samples)
        return [
            MonthVacancy(month=month, on=sample, centre=c, town=t)
            for month, sample, c, t in zip(months, samples, centre, town, strict=True)
        ]


def _plus(a: VacancyFigures, b: VacancyFigures) -> VacancyFigures:
    return VacancyFigures(
        units=a.units + b.units,
        vacant=a.vacant + b.vacant,
        in_transition=a.in_transition + b.in_transition,
        surface=a.surface + b.surface,
        vacant_surface=a.vacant_surface + b.vacant_surface,
        without_surface=a.without_surface + b.without_surface,
    )


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s, the last MAX_MONTHS at most."""
    start = max(first.replace(day=1), add_months(last, -(MAX_MONTHS - 1)))
    months = []
    month = start
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


# --- What the dashboard, the open-data export and the vacancy page call ------------------------------


def vacancy_summary(town: Town, *, on: date) -> VacancySummary:
    """The centre's and the whole town's vacancy on the day `on`."""
    return VacancyHistory(town, first=on, last=on).summary(on)


def vacancy_by_street(town: Town, *, on: date) -> list[StreetVacancy]:
    """Each street that has counted units on `on`, with its vacancy, in the order of the street names."""
    return VacancyHistory(town, first=on, last=on).by_street(on)


def vacancy_over_time(town: Town, *, first: date, last: date) -> list[MonthVacancy]:
    """Month by month from `first`'s month to `last`'s (ten years at most: the latest 120 months)."""
    months = month_starts(first, last)
    if not months:
        return []
    first_sample = min(month_end(months[0]), last)
    return VacancyHistory(town, first=first_sample, last=last).over_time(months[0], last)


def history_start(town: Town) -> date | None:
    """The first day any unit of the town has a known state."""
    first: date | None = (
        Occupancy.objects.filter(town=town).order_by("start").values_list("start", flat=True).first()
    )
    return first


# --- Charts ------------------------------------------------------------------------------------------


def street_chart(streets: Sequence[StreetVacancy], *, on: date) -> Chart:
    return Chart(
        slug="vacance-par-rue",
        title=_("Taux de vacance par rue au %(date)s") % {"date": formats.date_format(on, "j F Y")},
        kind="bar",
        category_label=_("Rue"),
        categories=[Category(key=street.street, label=street.street) for street in streets],
        series=[
            Series(_("En nombre de locaux"), [street.figures.rate for street in streets], decimals=1),
            Series(_("En surface"), [street.figures.surface_rate for street in streets], decimals=1),
        ],
        unit="%",
        note=_("Tous les locaux de chaque rue, dans le centre-ville ou non."),
    )


def over_time_chart(months: Sequence[MonthVacancy]) -> Chart:
    return Chart(
        slug="vacance-par-mois",
        title=_("Taux de vacance mois par mois"),
        kind="line",
        category_label=_("Mois"),
        categories=[
            Category(key=month.month.strftime("%Y-%m"), label=formats.date_format(month.month, "F Y"))
            for month in months
        ],
        series=[
            Series(
                _("Centre-ville, en nombre de locaux"), [month.centre.rate for month in months], decimals=1
            ),
            Series(
                _("Centre-ville, en surface"), [month.centre.surface_rate for month in months], decimals=1
            ),
            Series(
                _("Toute la ville, en nombre de locaux"), [month.town.rate for month in months], decimals=1
            ),
        ],
        unit="%",
        note=_("Chaque mois est lu à son dernier jour. Un tiret : aucun local compté ce mois-là."),
    )


def state_chart(months: Sequence[MonthVacancy]) -> Chart:
    """The centre's units by state, month by month: what the rate is made of."""
    return Chart(
        slug="locaux-par-etat",
        title=_("Locaux du centre-ville par état, mois par mois"),
        kind="stacked",
        category_label=_("Mois"),
        categories=[
            Category(key=month.month.strftime("%Y-%m"), label=formats.date_format(month.month, "F Y"))
            for month in months
        ],
        series=[
            Series(str(UnitState.OCCUPIED.label), [month.centre.occupied for month in months]),
            Series(_("En travaux ou réservés"), [month.centre.in_transition for month in months]),
            Series(str(UnitState.VACANT.label), [month.centre.vacant for month in months]),
        ],
        unit=_("locaux"),
    )


# --- The vacancy page --------------------------------------------------------------------------------


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class VacancyPage:
    on: date
    summary: VacancySummary
    a_year_before: VacancySummary
    streets: list[StreetVacancy]
    months: list[MonthVacancy]
    charts: list[Chart]
    history_start: date | None

    @property
    def street_chart(self) -> Chart:
        return self.charts[0]

    @property
    def over_time_chart(self) -> Chart:
        return self.charts[1]

    @property
    def state_chart(self) -> Chart:
        return self.charts[2]


def vacancy_page(town: Town, *, on: date, months_shown: int = MAX_MONTHS) -> VacancyPage:
    """Everything the vacancy page shows on the day `on`, from one read of the history: the key figures and
    the same a year before, each street, and the months since the history began (the latest `months_shown`,
    ten years at most)."""
    start = history_start(town)
    if start is not None:
        start = max(start, add_months(on, -(months_shown - 1)))
    months = month_starts(start, on) if start is not None and start <= on else []
    earlier = year_before(on)
    first = min(earlier, min(month_end(months[0]), on) if months else on)
    # One sweep for the months, the day asked for and the same day a year before.
    month_samples = [min(month_end(month), on) for month in months]
    samples = sorted({*month_samples, on, earlier})
    if start is None:  # no unit has a history yet: nothing to read
        streets: list[StreetVacancy] = []
        centre = whole = [VacancyFigures()] * len(samples)
    else:
        history = VacancyHistory(town, first=first, last=on)
        streets = history.by_street(on)
        centre, whole = history.scopes(samples)
    at = {day: (centre[index], whole[index]) for index, day in enumerate(samples)}
    series = [
        MonthVacancy(month=month, on=sample, centre=at[sample][0], town=at[sample][1])
        for month, sample in zip(months, month_samples, strict=True)
    ]
    return VacancyPage(
        on=on,
        summary=VacancySummary(on=on, centre=at[on][0], town=at[on][1]),
        a_year_before=VacancySummary(on=earlier, centre=at[earlier][0], town=at[earlier][1]),
        streets=streets,
        months=series,
        charts=[street_chart(streets, on=on), over_time_chart(series), state_chart(series)],
        history_start=start,
    )
