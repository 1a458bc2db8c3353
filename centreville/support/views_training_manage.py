"""The town team's training pages: sessions to come and past, creating, changing and cancelling a session,
its registrants (confirmed, then waiting in order), attendance, follow-up tasks for each attendee, and the
registrants as a spreadsheet."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.models import User
from centreville.core.forms import add_service_error
from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors_training as selectors
from . import training
from .forms_training import AttendanceForm, SessionForm, TasksForm
from .models import Registration, RegistrationStatus, TrainingSession

FOLLOW_UP = "support.follow_up"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _session_or_404(town: Town, session_id: int) -> TrainingSession:
    session = selectors.town_session(town, session_id)
    if session is None:
        raise Http404
    return session


def _split(registrations: list[Registration]) -> tuple[list[Registration], list[Registration]]:
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    return confirmed, waiting


def _suggestions(session: TrainingSession) -> list[str]:
    return [line.strip() for line in session.suggested_tasks.splitlines() if line.strip()]


@require_safe
@space_view(single_town=True, permission=FOLLOW_UP)
def training_sessions(request: HttpRequest, space: Space) -> HttpResponse:
    upcoming, past = selectors.manage_sessions(_town(space), at=timezone.now())
    return render(request, "support/training/manage_list.html", {"upcoming": upcoming, "past": past})


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def training_session_create(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = SessionForm(request.POST or None, tz=ZoneInfo(town.timezone), initial={"capacity": 12})
    if request.method == "POST" and form.is_valid():
        actor: User = request.user  # type: ignore[assignment]
        try:
            session = training.session_create(town=town, data=form.session_data(), actor=actor)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("La session « %(title)s » est ouverte aux inscriptions.") % {"title": session.title},
            )
            return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "support/training/manage_form.html", {"form": form, "session": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def training_session_edit(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town = _town(space)
    session = _session_or_404(town, session_id)
    if session.is_cancelled:
        messages.error(request, _("Cette session est annulée : elle ne peut plus être modifiée."))
        return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)
    tz = ZoneInfo(town.timezone)
    form = SessionForm(request.POST or None, tz=tz, initial=SessionForm.initial_from(session, tz))
    if request.method == "POST" and form.is_valid():
        try:
            training.session_update(session=session, data=form.session_data(), at=timezone.now())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La session est enregistrée."))
            return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "support/training/manage_form.html", {"form": form, "session": session}, status=status
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def training_session_cancel(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town = _town(space)
    session = _session_or_404(town, session_id)
    if request.method == "POST":
        try:
            training.session_cancel(session=session, at=timezone.now())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "La session est annulée ; les personnes inscrites et en attente sont prévenues par "
                    "e-mail."
                ),
            )
        return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)
    return render(request, "support/training/manage_cancel.html", {"session": session})


@require_safe
@space_view(single_town=True, permission=FOLLOW_UP)
def training_session(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town, now = _town(space), timezone.now()
    session = _session_or_404(town, session_id)
    registrations = selectors.session_registrations(session)
    confirmed, waiting = _split(registrations)
    started = session.starts_at <= now
    attendance_form = (
        AttendanceForm(registrations=confirmed) if started and not session.is_cancelled else None
    )
    # Each registrant with their attendance choice, once the session has started.
    rows: list[tuple[Registration, Any]] = [(r, None) for r in confirmed]
    if attendance_form is not None:
        rows = list(attendance_form.rows())
    context = {
        "session": session,
        "confirmed": confirmed,
        "rows": rows,
        "waiting": waiting,
        "cancelled_count": sum(1 for r in registrations if r.status == RegistrationStatus.CANCELLED),
        "started": started,
        "attendance_form": attendance_form,
        "seats_left": max(session.capacity - len(confirmed), 0),
    }
    return render(request, "support/training/manage_session.html", context)


@require_POST
@space_view(single_town=True, permission=FOLLOW_UP)
def training_attendance(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town = _town(space)
    session = _session_or_404(town, session_id)
    confirmed, _waiting = _split(selectors.session_registrations(session))
    form = AttendanceForm(request.POST, registrations=confirmed)
    if form.is_valid():
        try:
            training.attendance_record(session=session, attended=form.attended(), at=timezone.now())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect("support_manage:training_tasks", town_slug=space.slug, session_id=session.pk)
    else:
        messages.error(request, _("Choisissez présent, absent ou non noté pour chaque personne."))
    return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def training_tasks(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    """A task for each attendee (or each registrant while attendance is not recorded), prefilled."""
    town = _town(space)
    session = _session_or_404(town, session_id)
    confirmed, _waiting = _split(selectors.session_registrations(session))
    attendees = [r for r in confirmed if r.attended] or [r for r in confirmed if r.attended is None]
    suggestions = _suggestions(session)
    form = TasksForm(
        request.POST or None, registrations=attendees, suggestion=suggestions[0] if suggestions else ""
    )
    if request.method == "POST" and form.is_valid():
        actor: User = request.user  # type: ignore[assignment]
        try:
            added = training.tasks_add(session=session, tasks=form.tasks(), actor=actor)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s tâche de suivi donnée.", "%(count)s tâches de suivi données.", len(added))
                % {"count": len(added)},
            )
            return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)
    context = {"session": session, "form": form, "suggestions": suggestions, "all_registrants": confirmed}
    status = 422 if request.method == "POST" else 200
    return render(request, "support/training/manage_tasks.html", context, status=status)


@require_POST
@space_view(single_town=True, permission=FOLLOW_UP)
def training_unregister(
    request: HttpRequest, space: Space, session_id: int, registration_id: int
) -> HttpResponse:
    """Cancel someone's registration for them (they phoned): their seat goes to the first person waiting."""
    town = _town(space)
    session = _session_or_404(town, session_id)
    registration = session.registrations.select_related("user").filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    try:
        training.registration_cancel(registration=registration, at=timezone.now())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s est désinscrit.") % {"name": registration.user})
    return redirect("support_manage:training_session", town_slug=space.slug, session_id=session.pk)


@require_safe
@space_view(single_town=True, permission=FOLLOW_UP)
def training_registrants_csv(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town = _town(space)
    session = _session_or_404(town, session_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="formation-{session.pk}-inscrits.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            _("Ordre d'arrivée"),
            _("Nom"),
            _("E-mail"),
            _("Commerce"),
            _("Statut"),
            _("Présent"),
            _("Tâches de suivi"),
        ]
    )
    attended = {True: _("oui"), False: _("non"), None: ""}
    for registration in selectors.session_registrations(session):
        writer.writerow(
            [
                registration.rank,
                spreadsheet_text(registration.user.get_full_name()),
                spreadsheet_text(registration.user.email),
                spreadsheet_text(registration.shop.name if registration.shop else ""),
                registration.get_status_display(),
                attended[registration.attended],
                spreadsheet_text(" ; ".join(task.title for task in registration.tasks.all())),
            ]
        )
    return response
