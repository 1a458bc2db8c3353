"""Reads for the units' and projects' pages: always for one town, each page in a few queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, FilteredRelation, Q, QuerySet

from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

from .models import (
    OPEN_PROJECT_STATUSES,
    BusinessProject,
    CommercialUnit,
    Occupancy,
    ProjectStatus,
    Proposal,
    UnitState,
)
from .streets import street_key, street_label

UNITS_PER_PAGE = 50
NO_HISTORY = "none"  # the state filter's value for units whose history has not begun


@dataclass(frozen=True)
class UnitFilters:
    street: str = ""  # a street key
    state: str = ""  # a UnitState, NO_HISTORY, or "" for all
    centre: str = ""  # "oui", "non" or "" for all

    @property
    def active(self) -> bool:
        return bool(self.street or self.state or self.centre)


def with_current_state(units: QuerySet[CommercialUnit]) -> QuerySet[Any]:
    """Each unit with its current period's state, start and occupant (one open period per unit at most)."""
    return units.annotate(
        current=FilteredRelation("periods", condition=Q(periods__end__isnull=True)),
    ).annotate(
        current_state=F("current__state"),
        current_since=F("current__start"),
        current_occupant=F("current__occupant_name"),
        current_shop_id=F("current__shop_id"),
    )


def filtered_units(town: Town, filters: UnitFilters) -> QuerySet[Any]:
    units = with_current_state(CommercialUnit.objects.filter(town=town))
    if filters.street:
        units = units.filter(street_key=filters.street)
    if filters.state == NO_HISTORY:
        units = units.filter(current_state__isnull=True)
    elif filters.state:
        units = units.filter(current_state=filters.state)
    if filters.centre in ("oui", "non"):
        units = units.filter(in_centre=filters.centre == "oui")
    return units.order_by("street_key", "street_number", "reference")


def units_page(town: Town, filters: UnitFilters, *, page_number: Any) -> Page[Any]:
    return Paginator(filtered_units(town, filters), UNITS_PER_PAGE).get_page(page_number)


def state_counts(town: Town) -> dict[str, int]:
    """How many units are in each state now (NO_HISTORY for those without a history)."""
    counts: dict[str, int] = defaultdict(int)
    for state in with_current_state(CommercialUnit.objects.filter(town=town)).values_list(
        "current_state", flat=True
    ):
        counts[state or NO_HISTORY] += 1
    return dict(counts)


def town_streets(town: Town) -> list[tuple[str, str]]:
    """(key, name) of each street with units, in the order of the keys; each name as spelt most often."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for key, street in CommercialUnit.objects.filter(town=town).values_list("street_key", "street"):
        spellings[key].append(street)
    return [(key, street_label(spellings[key])) for key in sorted(spellings)]


def town_unit(town: Town, unit_id: int) -> CommercialUnit | None:
    unit: CommercialUnit | None = with_current_state(
        CommercialUnit.objects.filter(town=town, pk=unit_id)
    ).first()
    return unit


def unit_history(unit: CommercialUnit) -> list[Occupancy]:
    """The unit's periods, latest first."""
    return list(unit.periods.select_related("shop", "recorded_by").order_by("-start"))


def town_shops(town: Town) -> QuerySet[Shop]:
    """The shops a unit may be occupied by: the town's, except those refused or still drafts."""
    return (
        Shop.objects.filter(town=town)
        .exclude(status__in=[ShopStatus.REJECTED, ShopStatus.DRAFT])
        .only("pk", "name", "town_id")
        .order_by("name")
    )


# --- Matching units and projects ---------------------------------------------------------------------


def _surface_fits(surface: Decimal | None, project: BusinessProject) -> bool:
    """A unit whose surface is unknown fits any project: the team checks on the spot."""
    if surface is None:
        return True
    if project.surface_min is not None and surface < project.surface_min:
        return False
    return project.surface_max is None or surface <= project.surface_max


def _street_fits(key: str, project: BusinessProject) -> bool:
    return not project.wanted_streets or key in {street_key(name) for name in project.wanted_streets}


def matching_projects(unit: CommercialUnit) -> list[BusinessProject]:
    """Open projects the unit fits: surface within their range (or unknown), on a street they want or with
    no street preference; the oldest project first (it has waited longest)."""
    projects = BusinessProject.objects.filter(
        town_id=unit.town_id, status__in=OPEN_PROJECT_STATUSES
    ).order_by("created_at")
    return [
        project
        for project in projects.select_related("category")
        if _surface_fits(unit.surface, project) and _street_fits(unit.street_key, project)
    ]


def matching_units(project: BusinessProject) -> list[CommercialUnit]:
    """Units vacant now that fit the project, by street."""
    units = with_current_state(CommercialUnit.objects.filter(town_id=project.town_id)).filter(
        current_state=UnitState.VACANT
    )
    return [
        unit
        for unit in units.order_by("street_key", "street_number", "reference")
        if _surface_fits(unit.surface, project) and _street_fits(unit.street_key, project)
    ]


def proposals_of_unit(unit: CommercialUnit) -> list[Proposal]:
    return list(unit.proposals.select_related("project").order_by("-proposed_on", "-pk"))


def proposals_of_project(project: BusinessProject) -> list[Proposal]:
    return list(project.proposals.select_related("unit").order_by("-proposed_on", "-pk"))


# --- Projects ----------------------------------------------------------------------------------------


def town_projects(town: Town, *, status: str = "") -> QuerySet[BusinessProject]:
    projects = BusinessProject.objects.filter(town=town).select_related("category")
    if status == "ouverts":
        projects = projects.filter(status__in=OPEN_PROJECT_STATUSES)
    elif status in ProjectStatus.values:
        projects = projects.filter(status=status)
    return projects.order_by("-created_at")


def project_status_counts(town: Town) -> dict[str, int]:
    counts = dict.fromkeys(ProjectStatus.values, 0)
    for status in BusinessProject.objects.filter(town=town).values_list("status", flat=True):
        counts[status] += 1
    return counts


def town_project(town: Town, project_id: int) -> BusinessProject | None:
    project: BusinessProject | None = (
        BusinessProject.objects.filter(town=town, pk=project_id).select_related("category").first()
    )
    return project


# --- The map -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapUnit:
    pk: int
    reference: str
    address: str
    state: str  # a UnitState, or "" before the history begins
    latitude: Decimal
    longitude: Decimal


def map_units(town: Town) -> tuple[list[MapUnit], int]:
    """The units with coordinates, with their state now; and how many have none (not on the map)."""
    units = with_current_state(CommercialUnit.objects.filter(town=town)).values_list(
        "pk", "reference", "street_number", "street", "current_state", "latitude", "longitude"
    )
    placed, missing = [], 0
    for pk, reference, number, street, state, latitude, longitude in units.order_by("pk"):
        if latitude is None or longitude is None:
            missing += 1
            continue
        placed.append(MapUnit(pk, reference, f"{number} {street}".strip(), state or "", latitude, longitude))
    return placed, missing


def centre_occupants(town: Town, *, on: date) -> list[int | None]:
    """The town-centre units occupied on `on`: for each, its shop on the platform, or None for an occupant
    who is not on it."""
    return list(
        Occupancy.objects.filter(town=town, unit__in_centre=True, state=UnitState.OCCUPIED, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("unit_id")
        .values_list("shop_id", flat=True)
    )
