"""Writes on commercial units, their history and business projects: one transaction each.

Lock order: a write on a unit's history locks the unit's row first (so two people recording a change on the
same unit take turns), then reads its periods. Nothing else is locked.

A unit's history is a run of periods with no overlap and no hole, only the latest open:
`_check_history()` says so before anything is saved, with the reason in French when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.models import Shop, TradeCategory
from centreville.towns.models import Town

from .models import BusinessProject as Project
from .models import (
    CentreChoice,
    CommercialUnit,
    Occupancy,
    ProjectStatus,
    Proposal,
    ProposalOutcome,
    UnitState,
)
from .perimeter import in_outline
from .streets import street_key, tidy_street

ONE_DAY = timedelta(days=1)

# Every change of state a unit may make. Occupied → occupied is a new occupant taking over the unit.
TRANSITIONS: dict[str, frozenset[str]] = {
    UnitState.OCCUPIED: frozenset(
        {UnitState.OCCUPIED, UnitState.VACANT, UnitState.WORKS, UnitState.RESERVED}
    ),
    UnitState.VACANT: frozenset({UnitState.OCCUPIED, UnitState.WORKS, UnitState.RESERVED}),
    UnitState.WORKS: frozenset({UnitState.OCCUPIED, UnitState.VACANT, UnitState.RESERVED}),
    UnitState.RESERVED: frozenset({UnitState.OCCUPIED, UnitState.VACANT, UnitState.WORKS}),
}

# The project pipeline: from which status to which. « Installé » is where a project ends well.
PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStatus.NEW: (ProjectStatus.STUDY, ProjectStatus.PROPOSED, ProjectStatus.ABANDONED),
    ProjectStatus.STUDY: (ProjectStatus.PROPOSED, ProjectStatus.ABANDONED),
    ProjectStatus.PROPOSED: (ProjectStatus.STUDY, ProjectStatus.INSTALLED, ProjectStatus.ABANDONED),
    ProjectStatus.INSTALLED: (),
    ProjectStatus.ABANDONED: (ProjectStatus.STUDY,),
}


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


# --- Units -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitData:
    """What the town team types about a unit."""

    reference: str
    street: str
    street_number: str = ""
    postcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    surface: Decimal | None = None
    floor: str = "ground"
    frontage: Decimal | None = None
    centre_choice: str = CentreChoice.AUTO
    owner_name: str = ""
    owner_email: str = ""
    owner_phone: Any = ""
    notes: str = ""


def unit_in_centre(*, town: Town, centre_choice: str, latitude: Any, longitude: Any) -> bool:
    """In the centre's figures or not: as chosen by hand, else from the coordinates and the town's outline
    (a unit whose place cannot be computed is outside until someone says otherwise)."""
    if centre_choice == CentreChoice.INSIDE:
        return True
    if centre_choice == CentreChoice.OUTSIDE:
        return False
    return bool(in_outline(latitude, longitude, town.centre_outline))


def _apply_unit(unit: CommercialUnit, data: UnitData, town: Town) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = []
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    values["reference"] = values["reference"].strip()
    values["street"] = tidy_street(values["street"])
    values["in_centre"] = unit_in_centre(
        town=town, centre_choice=data.centre_choice, latitude=data.latitude, longitude=data.longitude
    )
    for name, value in values.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            changed.append(name)
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError(
            {"longitude": _("Indiquez la latitude et la longitude, ou aucune des deux.")}, code="coordinates"
        )
    if CommercialUnit.objects.filter(town=town, reference=values["reference"]).exclude(pk=unit.pk).exists():
        raise ValidationError(
            {
                "reference": _("Un autre local de la ville a déjà la référence « %(reference)s ».")
                % {"reference": values["reference"]}
            },
            code="reference",
        )
    return changed


@transaction.atomic
def unit_create(
    *,
    town: Town,
    data: UnitData,
    state: str,
    since: date,
    shop: Shop | None = None,
    occupant_name: str = "",
    actor: User | None,
    today: date,
) -> CommercialUnit:
    """A new unit of the town, with its state since `since` as the first period of its history."""
    unit = CommercialUnit(town=town)
    _apply_unit(unit, data, town)
    unit.full_clean(exclude=["town"])
    unit.save()
    occupancy_record(
        unit=unit, state=state, since=since, shop=shop, occupant_name=occupant_name, actor=actor, today=today
    )
    return unit


@transaction.atomic
def unit_update(*, unit: CommercialUnit, data: UnitData) -> CommercialUnit:
    """The unit holds `data`; only what changed is written."""
    town = Town.objects.get(pk=unit.town_id)
    changed = _apply_unit(unit, data, town)
    if changed:
        unit.full_clean(exclude=["town"])
        unit.save(update_fields=[*changed, "updated_at"])
        town_public_data_changed(unit.town_id)  # its open data
    return unit


@transaction.atomic
def perimeter_refresh(*, town: Town) -> int:
    """Units placed by their coordinates follow the town's current outline; returns how many moved."""
    moved = []
    for unit in CommercialUnit.objects.filter(town=town, centre_choice=CentreChoice.AUTO).select_for_update():
        inside = unit_in_centre(
            town=town, centre_choice=unit.centre_choice, latitude=unit.latitude, longitude=unit.longitude
        )
        if unit.in_centre != inside:
            unit.in_centre = inside
            moved.append(unit)
    CommercialUnit.objects.bulk_update(moved, ["in_centre"])
    if moved:
        town_public_data_changed(town.pk)
    return len(moved)


# --- The occupancy history -----------------------------------------------------------------------------


def _occupant(
    *, unit: CommercialUnit, state: str, shop: Shop | None, occupant_name: str
) -> tuple[Shop | None, str]:
    """Who occupies the unit in `state`: a shop of the town (its name kept beside it) or a name; nobody in
    any other state."""
    if state not in UnitState.values:
        raise ValidationError({"state": _("État inconnu.")}, code="state")
    if state != UnitState.OCCUPIED:
        return None, ""
    if shop is not None:
        if shop.town_id != unit.town_id:
            raise ValidationError({"shop": _("Ce commerce n'est pas dans cette ville.")}, code="shop")
        return shop, shop.name[:150]
    name = occupant_name.strip()
    if not name:
        raise ValidationError(
            {
                "occupant_name": _(
                    "Un local occupé l'est par quelqu'un : choisissez le commerce ou écrivez le nom "
                    "de l'occupant."
                )
            },
            code="occupant",
        )
    return None, name


def _check_history(periods: list[Occupancy], *, today: date) -> None:
    """No overlap, no hole, only the latest open, nothing in the future; else a French reason."""
    periods = sorted(periods, key=lambda period: period.start)
    for index, period in enumerate(periods):
        if period.start > today:
            raise ValidationError(
                _("Une période ne peut pas commencer après aujourd'hui (le %(date)s).")
                % {"date": _day(period.start)},
                code="future",
            )
        last = index == len(periods) - 1
        if period.end is not None and period.end < period.start:
            raise ValidationError(
                _("La période qui commence le %(start)s finirait avant de commencer (le %(end)s).")
                % {"start": _day(period.start), "end": _day(period.end)},
                code="backwards",
            )
        if last and period.end is not None:
            raise ValidationError(
                _(
                    "La période en cours n'a pas de date de fin : pour un changement d'état, enregistrez le "
                    "nouvel état."
                ),
                code="closed_last",
            )
        if not last:
            following = periods[index + 1]
            if period.end is None or period.end + ONE_DAY != following.start:
                raise ValidationError(
                    _(
                        "L'historique doit se suivre sans trou ni chevauchement : la période du %(start)s "
                        "doit finir la veille du %(next)s."
                    )
                    % {"start": _day(period.start), "next": _day(following.start)},
                    code="gap",
                )


def _locked_history(unit: CommercialUnit) -> list[Occupancy]:
    CommercialUnit.objects.select_for_update().filter(pk=unit.pk).first()
    return list(Occupancy.objects.filter(unit=unit).order_by("start"))


@transaction.atomic
def occupancy_record(
    *,
    unit: CommercialUnit,
    state: str,
    since: date,
    shop: Shop | None = None,
    occupant_name: str = "",
    note: str = "",
    actor: User | None,
    today: date,
) -> Occupancy:
    """The unit is in `state` from `since` on: the current period ends the day before, a new one opens."""
    shop, occupant_name = _occupant(unit=unit, state=state, shop=shop, occupant_name=occupant_name)
    if since > today:
        raise ValidationError(
            {
                "since": _(
                    "La date ne peut pas être après aujourd'hui : l'historique enregistre ce qui s'est passé."
                )
            },
            code="future",
        )
    periods = _locked_history(unit)
    current = periods[-1] if periods else None
    if current is not None:
        if since <= current.start:
            raise ValidationError(
                {
                    "since": _(
                        "Le nouvel état doit commencer après le début de l'état actuel (le %(date)s). Pour "
                        "corriger une date passée, modifiez la période dans l'historique."
                    )
                    % {"date": _day(current.start)}
                },
                code="before_current",
            )
        same_occupant = (
            current.shop_id == (shop.pk if shop else None) and current.occupant_name == occupant_name
        )
        if current.state == state and same_occupant:
            raise ValidationError(
                {
                    "state": _("Le local est déjà dans cet état depuis le %(date)s.")
                    % {"date": _day(current.start)}
                },
                code="unchanged",
            )
        if state not in TRANSITIONS[current.state]:
            raise ValidationError({"state": _("Ce changement d'état n'est pas possible.")}, code="transition")
        current.end = since - ONE_DAY
        current.save(update_fields=["end", "updated_at"])
    town_public_data_changed(unit.town_id)  # the vacancy it publishes
    return Occupancy.objects.create(
        town_id=unit.town_id,
        unit=unit,
        state=state,
        shop=shop,
        occupant_name=occupant_name,
        start=since,
        note=note.strip()[:300],
        recorded_by=actor,
    )


@transaction.atomic
def occupancy_correct(
    *,
    period: Occupancy,
    state: str,
    start: date,
    end: date | None,
    shop: Shop | None = None,
    occupant_name: str = "",
    note: str = "",
    actor: User | None,
    today: date,
) -> Occupancy:
    """Correct one period of the history. Its neighbours follow its new dates (the one before ends the day
    before it starts, the one after starts the day after it ends), so the history stays whole; a correction
    that would swallow a neighbour is refused, saying which."""
    unit = CommercialUnit.objects.get(pk=period.unit_id)
    shop, occupant_name = _occupant(unit=unit, state=state, shop=shop, occupant_name=occupant_name)
    periods = _locked_history(unit)
    index = next((i for i, p in enumerate(periods) if p.pk == period.pk), None)
    if index is None:
        raise ValidationError(_("Cette période n'existe plus : rechargez la page."), code="gone")
    edited = periods[index]
    before = periods[index - 1] if index > 0 else None
    after = periods[index + 1] if index + 1 < len(periods) else None
    if after is None and end is not None:
        raise ValidationError(
            {
                "end": _(
                    "La période en cours n'a pas de date de fin : pour un changement d'état, enregistrez le "
                    "nouvel état."
                )
            },
            code="closed_last",
        )
    if after is not None and end is None:
        raise ValidationError(
            {"end": _("Indiquez la date de fin : une période plus récente suit.")}, code="open"
        )
    if end is not None and end < start:
        raise ValidationError(
            {"end": _("La fin doit être le même jour que le début ou après.")}, code="backwards"
        )
    if start > today:
        raise ValidationError({"start": _("La date ne peut pas être après aujourd'hui.")}, code="future")
    if before is not None and start - ONE_DAY < before.start:
        raise ValidationError(
            {
                "start": _(
                    "Cette date recouvre toute la période précédente (depuis le %(date)s). Supprimez-la "
                    "d'abord si elle est fausse."
                )
                % {"date": _day(before.start)}
            },
            code="swallows_before",
        )
    if after is not None and end is not None and after.end is not None and end + ONE_DAY > after.end:
        raise ValidationError(
            {
                "end": _(
                    "Cette date recouvre toute la période suivante (jusqu'au %(date)s). Supprimez-la d'abord "
                    "si elle est fausse."
                )
                % {"date": _day(after.end)}
            },
            code="swallows_after",
        )
    if after is not None and end is not None and end + ONE_DAY > today:
        raise ValidationError(
            {"end": _("La période suivante commencerait après aujourd'hui.")}, code="future"
        )
    edited.state, edited.shop, edited.occupant_name = state, shop, occupant_name
    edited.start, edited.end, edited.note = start, end, note.strip()[:300]
    edited.recorded_by = actor
    touched = [edited]
    if before is not None:
        before.end = start - ONE_DAY
        touched.append(before)
    if after is not None and end is not None:
        after.start = end + ONE_DAY
        touched.append(after)
    _check_history(periods, today=today)
    for changed in touched:
        changed.save()
    town_public_data_changed(period.town_id)
    return edited


@transaction.atomic
def occupancy_delete(*, period: Occupancy, today: date) -> None:
    """Remove a period recorded by mistake: the one before takes its place (to its end, or open if it was
    the current one); the first period's removal makes the history start with the next."""
    unit = CommercialUnit.objects.get(pk=period.unit_id)
    periods = _locked_history(unit)
    index = next((i for i, p in enumerate(periods) if p.pk == period.pk), None)
    if index is None:
        raise ValidationError(_("Cette période n'existe plus : rechargez la page."), code="gone")
    if len(periods) == 1:
        raise ValidationError(
            _("C'est la seule période de l'historique : corrigez-la plutôt que de la supprimer."), code="only"
        )
    removed = periods.pop(index)
    if index > 0:
        periods[index - 1].end = removed.end
    _check_history(periods, today=today)
    removed.delete()
    if index > 0:
        periods[index - 1].save(update_fields=["end", "updated_at"])
    town_public_data_changed(period.town_id)


# --- Business projects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectData:
    """What the town team writes down about a project."""

    title: str
    contact_name: str
    category: TradeCategory | None = None
    description: str = ""
    contact_email: str = ""
    contact_phone: Any = ""
    surface_min: Decimal | None = None
    surface_max: Decimal | None = None
    wanted_streets: tuple[str, ...] = ()
    budget: Decimal | None = None
    notes: str = ""


def _apply_project(project: Project, data: ProjectData) -> list[str]:
    if data.surface_min is not None and data.surface_max is not None and data.surface_max < data.surface_min:
        raise ValidationError(
            {"surface_max": _("La surface maximale doit être au moins égale à la surface minimale.")},
            code="surface_range",
        )
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    # Each wanted street once, as the units spell it, in the order given.
    streets: dict[str, str] = {}
    for name in values.pop("wanted_streets"):
        if tidy_street(name):
            streets.setdefault(street_key(name), tidy_street(name))
    values["wanted_streets"] = list(streets.values())
    changed = []
    for name, value in values.items():
        if getattr(project, name) != value:
            setattr(project, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def project_create(*, town: Town, data: ProjectData) -> Project:
    project = Project(town=town)
    _apply_project(project, data)
    project.full_clean(exclude=["town"])
    project.save()
    return project


@transaction.atomic
def project_update(*, project: Project, data: ProjectData) -> Project:
    changed = _apply_project(project, data)
    if changed:
        project.full_clean(exclude=["town"])
        project.save(update_fields=[*changed, "updated_at"])
    return project


@transaction.atomic
def project_transition(*, project: Project, to_status: str) -> Project:
    """Move the project along its pipeline (PROJECT_TRANSITIONS); anything else is refused."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_status not in PROJECT_TRANSITIONS.get(project.status, ()):
        raise ValidationError(
            _("Un projet « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": ProjectStatus(project.status).label, "to": _status_label(to_status)},
            code="transition",
        )
    project.status = to_status
    project.save(update_fields=["status", "updated_at"])
    return project


def _status_label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else status


@transaction.atomic
def proposal_create(*, project: Project, unit: CommercialUnit, proposed_on: date, note: str = "") -> Proposal:
    """The unit is proposed to the project; a new or studied project is now « local proposé »."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if unit.town_id != project.town_id:
        raise ValidationError(_("Ce local n'est pas dans la ville du projet."), code="town")
    if not project.is_open:
        raise ValidationError(
            _("Ce projet est « %(status)s » : on ne lui propose plus de local.")
            % {"status": ProjectStatus(project.status).label},
            code="closed",
        )
    if Proposal.objects.filter(project=project, unit=unit).exists():
        raise ValidationError(
            _("Le local %(reference)s a déjà été proposé à ce projet.") % {"reference": unit.reference},
            code="twice",
        )
    proposal = Proposal.objects.create(
        town_id=project.town_id, project=project, unit=unit, proposed_on=proposed_on, note=note.strip()[:300]
    )
    if project.status in (ProjectStatus.NEW, ProjectStatus.STUDY):
        project.status = ProjectStatus.PROPOSED
        project.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def proposal_set_outcome(
    *, proposal: Proposal, outcome: str, outcome_on: date | None, note: str, today: date
) -> Proposal:
    """What came of the proposal, and when (today unless said); back to « en attente », no date."""
    if outcome not in ProposalOutcome.values:
        raise ValidationError({"outcome": _("Suite inconnue.")}, code="outcome")
    if outcome == ProposalOutcome.PENDING:
        outcome_on = None
    else:
        outcome_on = outcome_on or today
        if outcome_on < proposal.proposed_on:
            raise ValidationError(
                {
                    "outcome_on": _("La réponse ne peut pas précéder la proposition (le %(date)s).")
                    % {"date": _day(proposal.proposed_on)}
                },
                code="before",
            )
        if outcome_on > today:
            raise ValidationError(
                {"outcome_on": _("La date ne peut pas être après aujourd'hui.")}, code="future"
            )
    proposal.outcome, proposal.outcome_on, proposal.note = outcome, outcome_on, note.strip()[:300]
    proposal.save(update_fields=["outcome", "outcome_on", "note", "updated_at"])
    return proposal
