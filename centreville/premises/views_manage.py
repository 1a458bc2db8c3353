"""The town team's pages about commercial units and business projects, and the elected officials' reading of
them: units list, a unit's page and history, vacancy, map; projects and the units proposed to them.

Who sees what is `rules.py`: owners, notes and projects' contacts only reach the templates of people with
`premises.view_private`, and no export carries them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.charts import chart_csv_download
from centreville.core.forms import add_service_error
from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors, services, vacancy
from .forms import (
    NewUnitForm,
    OutcomeForm,
    PeriodForm,
    ProjectForm,
    ProjectStatusForm,
    ProposeForm,
    StateChangeForm,
    UnitFilterForm,
    UnitForm,
    VacancyDateForm,
)
from .models import CommercialUnit, Occupancy, ProjectStatus, Proposal, UnitState

VIEW_UNITS = "premises.view_units"
MANAGE_UNITS = "premises.manage_units"
VIEW_PRIVATE = "premises.view_private"
VIEW_PROJECTS = "premises.view_projects"
MANAGE_PROJECTS = "premises.manage_projects"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _today() -> Any:
    return timezone.localdate(timezone.now())


def _may(request: HttpRequest, permission: str, town: Town) -> bool:
    return bool(request.user.has_perm(permission, town))


def _unit_or_404(town: Town, unit_id: int) -> CommercialUnit:
    unit = selectors.town_unit(town, unit_id)
    if unit is None:
        raise Http404
    return unit


# --- Units ---------------------------------------------------------------------------------------------


@require_safe
@space_view(single_town=True, permission=VIEW_UNITS)
def unit_list(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    streets = selectors.town_streets(town)
    form = UnitFilterForm(request.GET, streets=streets)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        return _units_csv(town, filters)
    query = request.GET.copy()
    query.pop("page", None)
    page = selectors.units_page(town, filters, page_number=request.GET.get("page", 1))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "units": page.object_list,
        "page_query": query.urlencode(),
        "csv_query": f"{query.urlencode()}&format=csv" if query else "format=csv",
        "state_rows": _state_rows(selectors.state_counts(town)),
        "states": UnitState,
        "can_manage": _may(request, MANAGE_UNITS, town),
        "has_outline": bool(town.centre_outline),
    }
    return render(request, "premises/unit_list.html", context)


def _state_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Each state with its number of units; units without a history last, when there are some."""
    rows = [(state, counts.get(state, 0)) for state in UnitState.values]
    if counts.get(selectors.NO_HISTORY):
        rows.append(("", counts[selectors.NO_HISTORY]))
    return rows


def _units_csv(town: Town, filters: selectors.UnitFilters) -> HttpResponse:
    """The list as a spreadsheet: what anyone who sees the list sees, never an owner or a note."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="locaux-{town.slug}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            _("Référence"),
            _("Numéro"),
            _("Rue"),
            _("Code postal"),
            _("Latitude"),
            _("Longitude"),
            _("Surface (m²)"),
            _("Niveau"),
            _("Linéaire de vitrine (m)"),
            _("Dans le centre-ville"),
            _("État"),
            _("Depuis le"),
            _("Occupant"),
        ]
    )
    states = dict(UnitState.choices)
    for unit in selectors.filtered_units(town, filters):
        writer.writerow(
            [
                spreadsheet_text(unit.reference),
                spreadsheet_text(unit.street_number),
                spreadsheet_text(unit.street),
                unit.postcode,
                "" if unit.latitude is None else str(unit.latitude),
                "" if unit.longitude is None else str(unit.longitude),
                "" if unit.surface is None else str(unit.surface).replace(".", ","),
                unit.get_floor_display(),
                "" if unit.frontage is None else str(unit.frontage).replace(".", ","),
                _("oui") if unit.in_centre else _("non"),
                str(states.get(unit.current_state, "")),
                unit.current_since.isoformat() if unit.current_since else "",
                spreadsheet_text(unit.current_occupant or ""),
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE_UNITS)
def unit_create(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    today = _today()
    form = NewUnitForm(
        request.POST or None, initial={"postcode": (town.postcodes or [""])[0], "since": today}
    )
    form.set_shops(selectors.town_shops(town))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                town=town,
                data=form.unit_data(),
                state=form.cleaned_data["state"],
                since=form.cleaned_data["since"],
                shop=form.cleaned_data["shop"],
                occupant_name=form.cleaned_data["occupant_name"],
                actor=request.user,  # type: ignore[arg-type]
                today=today,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Le local %(reference)s est enregistré.") % {"reference": unit.reference}
            )
            return redirect("premises:unit", town_slug=space.slug, unit_id=unit.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "premises/unit_form.html", {"form": form, "unit": None}, status=status)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE_UNITS)
def unit_edit(request: HttpRequest, space: Space, unit_id: int) -> HttpResponse:
    town = _town(space)
    unit = _unit_or_404(town, unit_id)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=CommercialUnit.objects.get(pk=unit.pk), data=form.unit_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Les informations du local sont enregistrées."))
            return redirect("premises:unit", town_slug=space.slug, unit_id=unit.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "premises/unit_form.html", {"form": form, "unit": unit}, status=status)


def _unit_page(
    request: HttpRequest,
    space: Space,
    unit: CommercialUnit,
    *,
    state_form: StateChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    town = _town(space)
    can_manage = _may(request, MANAGE_UNITS, town)
    can_manage_projects = _may(request, MANAGE_PROJECTS, town)
    if state_form is None and can_manage:
        state_form = StateChangeForm(initial={"since": _today()})
    if state_form is not None:
        state_form.set_shops(selectors.town_shops(town))
    proposals = selectors.proposals_of_unit(unit) if _may(request, VIEW_PROJECTS, town) else []
    proposed = {proposal.project_id for proposal in proposals}
    matching = []
    if can_manage_projects and unit.current_state == UnitState.VACANT:  # type: ignore[attr-defined]
        matching = [project for project in selectors.matching_projects(unit) if project.pk not in proposed]
    context = {
        "unit": unit,
        "history": selectors.unit_history(unit),
        "state_form": state_form,
        "can_manage": can_manage,
        "can_see_private": _may(request, VIEW_PRIVATE, town),
        "can_manage_projects": can_manage_projects,
        "proposals": proposals,
        "matching": matching,
        "states": UnitState,
    }
    return render(request, "premises/unit_detail.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=VIEW_UNITS)
def unit_detail(request: HttpRequest, space: Space, unit_id: int) -> HttpResponse:
    return _unit_page(request, space, _unit_or_404(_town(space), unit_id))


@require_POST
@space_view(single_town=True, permission=MANAGE_UNITS)
def unit_state(request: HttpRequest, space: Space, unit_id: int) -> HttpResponse:
    town = _town(space)
    unit = _unit_or_404(town, unit_id)
    form = StateChangeForm(request.POST)
    form.set_shops(selectors.town_shops(town))
    if form.is_valid():
        try:
            services.occupancy_record(
                unit=unit,
                state=form.cleaned_data["state"],
                since=form.cleaned_data["since"],
                shop=form.cleaned_data["shop"],
                occupant_name=form.cleaned_data["occupant_name"],
                note=form.cleaned_data["note"],
                actor=request.user,  # type: ignore[arg-type]
                today=_today(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Nouvel état enregistré : %(state)s depuis le %(date)s.")
                % {
                    "state": UnitState(form.cleaned_data["state"]).label,
                    "date": formats.date_format(form.cleaned_data["since"], "j F Y"),
                },
            )
            return redirect(reverse("premises:unit", args=[space.slug, unit.pk]) + "#historique")
    return _unit_page(request, space, unit, state_form=form, status=422)


def _period_or_404(town: Town, unit_id: int, period_id: int) -> Occupancy:
    period = (
        Occupancy.objects.filter(town=town, unit_id=unit_id, pk=period_id)
        .select_related("unit", "shop")
        .first()
    )
    if period is None:
        raise Http404
    return period


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE_UNITS)
def period_edit(request: HttpRequest, space: Space, unit_id: int, period_id: int) -> HttpResponse:
    town = _town(space)
    period = _period_or_404(town, unit_id, period_id)
    form = PeriodForm.for_period(period, request.POST or None)
    form.set_shops(selectors.town_shops(town))
    if request.method == "POST" and form.is_valid():
        try:
            services.occupancy_correct(
                period=period,
                state=form.cleaned_data["state"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                shop=form.cleaned_data["shop"],
                occupant_name=form.cleaned_data["occupant_name"],
                note=form.cleaned_data["note"],
                actor=request.user,  # type: ignore[arg-type]
                today=_today(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La période est corrigée."))
            return redirect(reverse("premises:unit", args=[space.slug, unit_id]) + "#historique")
    status = 422 if request.method == "POST" else 200
    return render(request, "premises/period_form.html", {"form": form, "period": period}, status=status)


@require_POST
@space_view(single_town=True, permission=MANAGE_UNITS)
def period_delete(request: HttpRequest, space: Space, unit_id: int, period_id: int) -> HttpResponse:
    period = _period_or_404(_town(space), unit_id, period_id)
    try:
        services.occupancy_delete(period=period, today=_today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La période est supprimée ; la précédente la remplace."))
    return redirect(reverse("premises:unit", args=[space.slug, unit_id]) + "#historique")


@require_POST
@space_view(single_town=True, permission=MANAGE_UNITS)
def perimeter_refresh(request: HttpRequest, space: Space) -> HttpResponse:
    moved = services.perimeter_refresh(town=_town(space))
    messages.success(
        request,
        ngettext(
            "Périmètre recalculé : %(count)s local a changé de côté.",
            "Périmètre recalculé : %(count)s locaux ont changé de côté.",
            moved,
        )
        % {"count": moved},
    )
    return redirect("premises:units", town_slug=space.slug)


# --- Vacancy -------------------------------------------------------------------------------------------


@require_safe
@space_view(single_town=True, permission=VIEW_UNITS)
def vacancy_page(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    today = _today()
    form = VacancyDateForm(request.GET or None)
    on = form.day(today)
    content = vacancy.vacancy_page(town, on=on)
    download = chart_csv_download(request, content.charts, prefix=f"vacance-{town.slug}")
    if download is not None:
        return download
    context = {"form": form, "page": content, "method": vacancy.METHOD, "is_today": on == today}
    return render(request, "premises/vacancy.html", context)


# --- Map -----------------------------------------------------------------------------------------------


@require_safe
@space_view(single_town=True, permission=VIEW_UNITS)
def unit_map(request: HttpRequest, space: Space) -> HttpResponse:
    from django.conf import settings

    town = _town(space)
    placed, missing = selectors.map_units(town)
    settings_for_script = {
        "points": reverse("premises:map_data", args=[space.slug]),
        "leaflet_js": static("js/vendor/leaflet-1.9.4/leaflet.js"),
        "leaflet_css": static("js/vendor/leaflet-1.9.4/leaflet.css"),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": f"{town.latitude},{town.longitude}",
        "zoom_in": _("Zoomer"),
        "zoom_out": _("Dézoomer"),
        "unavailable": _("La carte n'a pas pu être chargée. La liste des locaux donne l'état de chacun."),
    }
    counts: dict[str, int] = {}
    for unit in placed:
        counts[unit.state] = counts.get(unit.state, 0) + 1
    legend = [(state, label, counts.get(state, 0)) for state, label in UnitState.choices]
    context = {"map": settings_for_script, "legend": legend, "placed": len(placed), "missing": missing}
    return render(request, "premises/map.html", context)


@require_safe
@space_view(single_town=True, permission=VIEW_UNITS)
def unit_map_data(request: HttpRequest, space: Space) -> HttpResponse:
    """The units with coordinates as GeoJSON: reference, address, state and link; nothing private."""
    placed, _missing = selectors.map_units(_town(space))
    labels = dict(UnitState.choices)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(unit.longitude), float(unit.latitude)]},
            "properties": {
                "reference": unit.reference,
                "address": unit.address,
                "state": unit.state or "none",
                "state_label": str(labels.get(unit.state, _("Sans historique"))),
                "url": reverse("premises:unit", args=[space.slug, unit.pk]),
            },
        }
        for unit in placed
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Projects ------------------------------------------------------------------------------------------


def _project_or_404(town: Town, project_id: int) -> Any:
    project = selectors.town_project(town, project_id)
    if project is None:
        raise Http404
    return project


@require_safe
@space_view(single_town=True, permission=VIEW_PROJECTS)
def project_list(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    status = request.GET.get("statut", "ouverts")
    if status not in ("ouverts", "tous", *ProjectStatus.values):
        status = "ouverts"
    counts = selectors.project_status_counts(town)
    tabs = [
        ("ouverts", _("En cours"), sum(counts[s] for s in ("new", "study", "proposed"))),
        *((value, label, counts[value]) for value, label in ProjectStatus.choices),
        ("tous", _("Tous"), sum(counts.values())),
    ]
    context = {
        "projects": selectors.town_projects(town, status=status),
        "status": status,
        "tabs": tabs,
        "can_manage": _may(request, MANAGE_PROJECTS, town),
        "can_see_private": _may(request, VIEW_PRIVATE, town),
    }
    return render(request, "premises/project_list.html", context)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def project_create(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = ProjectForm(request.POST or None, streets=selectors.town_streets(town))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(town=town, data=form.project_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le projet « %(title)s » est enregistré.") % {"title": project.title})
            return redirect("premises_projects:detail", town_slug=space.slug, project_id=project.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "premises/project_form.html", {"form": form, "project": None}, status=status)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def project_edit(request: HttpRequest, space: Space, project_id: int) -> HttpResponse:
    town = _town(space)
    project = _project_or_404(town, project_id)
    form = ProjectForm(request.POST or None, instance=project, streets=selectors.town_streets(town))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, data=form.project_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le projet est enregistré."))
            return redirect("premises_projects:detail", town_slug=space.slug, project_id=project.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "premises/project_form.html", {"form": form, "project": project}, status=status)


def _project_page(
    request: HttpRequest,
    space: Space,
    project: Any,
    *,
    failed: tuple[int, OutcomeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    town = _town(space)
    can_manage = _may(request, MANAGE_PROJECTS, town)
    proposals = selectors.proposals_of_project(project)
    rows = []
    for proposal in proposals:
        if failed is not None and failed[0] == proposal.pk:
            form = failed[1]
        else:
            form = OutcomeForm(
                prefix=f"suite-{proposal.pk}",
                initial={
                    "outcome": proposal.outcome,
                    "outcome_on": proposal.outcome_on,
                    "note": proposal.note,
                },
            )
        rows.append((proposal, form))
    proposed = {proposal.unit_id for proposal in proposals}
    matching = []
    if can_manage and project.is_open:
        matching = [unit for unit in selectors.matching_units(project) if unit.pk not in proposed]
    context = {
        "project": project,
        "rows": rows,
        "matching": matching,
        "moves": [
            (value, ProjectStatus(value).label) for value in services.PROJECT_TRANSITIONS[project.status]
        ],
        "can_manage": can_manage,
        "can_see_private": _may(request, VIEW_PRIVATE, town),
    }
    return render(request, "premises/project_detail.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=VIEW_PROJECTS)
def project_detail(request: HttpRequest, space: Space, project_id: int) -> HttpResponse:
    return _project_page(request, space, _project_or_404(_town(space), project_id))


@require_POST
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def project_status(request: HttpRequest, space: Space, project_id: int) -> HttpResponse:
    project = _project_or_404(_town(space), project_id)
    form = ProjectStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut illisible : réessayez."))
    else:
        try:
            project = services.project_transition(project=project, to_status=form.cleaned_data["to_status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Le projet est désormais « %(status)s ».")
                % {"status": ProjectStatus(project.status).label},
            )
    return redirect("premises_projects:detail", town_slug=space.slug, project_id=project.pk)


def _propose(request: HttpRequest, *, project: Any, unit: CommercialUnit, note: str) -> None:
    try:
        services.proposal_create(project=project, unit=unit, proposed_on=_today(), note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le local %(reference)s est proposé au projet « %(title)s ».")
            % {"reference": unit.reference, "title": project.title},
        )


@require_POST
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def unit_propose(request: HttpRequest, space: Space, unit_id: int) -> HttpResponse:
    """From a unit's page: propose it to the project named by the form."""
    town = _town(space)
    unit = _unit_or_404(town, unit_id)
    form = ProposeForm(request.POST)
    project = selectors.town_project(town, form.cleaned_data["target"]) if form.is_valid() else None
    if project is None:
        messages.error(request, _("Ce projet n'existe pas ou plus."))
    else:
        _propose(request, project=project, unit=unit, note=form.cleaned_data["note"])
    return redirect(reverse("premises:unit", args=[space.slug, unit.pk]) + "#projets")


@require_POST
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def project_propose(request: HttpRequest, space: Space, project_id: int) -> HttpResponse:
    """From a project's page: propose it the unit named by the form."""
    town = _town(space)
    project = _project_or_404(town, project_id)
    form = ProposeForm(request.POST)
    unit = selectors.town_unit(town, form.cleaned_data["target"]) if form.is_valid() else None
    if unit is None:
        messages.error(request, _("Ce local n'existe pas ou plus."))
    else:
        _propose(request, project=project, unit=unit, note=form.cleaned_data["note"])
    return redirect(reverse("premises_projects:detail", args=[space.slug, project.pk]) + "#propositions")


@require_POST
@space_view(single_town=True, permission=MANAGE_PROJECTS)
def proposal_outcome(request: HttpRequest, space: Space, proposal_id: int) -> HttpResponse:
    town = _town(space)
    proposal = Proposal.objects.filter(town=town, pk=proposal_id).select_related("project").first()
    if proposal is None:
        raise Http404
    form = OutcomeForm(request.POST, prefix=f"suite-{proposal.pk}")
    if form.is_valid():
        try:
            services.proposal_set_outcome(
                proposal=proposal,
                outcome=form.cleaned_data["outcome"],
                outcome_on=form.cleaned_data["outcome_on"],
                note=form.cleaned_data["note"],
                today=_today(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La suite donnée est enregistrée."))
            return redirect(
                reverse("premises_projects:detail", args=[space.slug, proposal.project_id]) + "#propositions"
            )
    project = _project_or_404(town, proposal.project_id)
    return _project_page(request, space, project, failed=(proposal.pk, form), status=422)
