"""The town team's and organisers' agenda pages: the events (current and past, their status and publication),
creating and changing one with its recurrence, its status, publishing; the queue of entries waiting for the
town team's check; the agenda's settings.

An organiser sees and changes only the events it wrote (`agenda.change_event`); the queue and the settings are
the town team's (`agenda.moderate`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.forms import add_service_error
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import services
from .forms_events import EventForm, RejectForm, SettingsForm, StatusForm
from .forms_image import save_image
from .models import Event, EventStatus, Publication

WRITE = "agenda.write_events"
MODERATE = "agenda.moderate"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _reviewer(request: HttpRequest, town: Town) -> bool:
    return request.user.has_perm(MODERATE, town)


def _event_or_404(request: HttpRequest, town: Town, event_id: int) -> Event:
    event = (
        Event.objects.for_town(town)
        .filter(pk=event_id, shop__isnull=True)
        .select_related("town", "photo", "created_by")
        .first()
    )
    if event is None:
        raise Http404
    if not request.user.has_perm("agenda.change_event", event):
        raise PermissionDenied
    return event


def _to_list(space: Space) -> HttpResponse:
    return redirect("agenda_manage:events", town_slug=space.slug)


@require_safe
@space_view(single_town=True, permission=WRITE)
def events(request: HttpRequest, space: Space) -> HttpResponse:
    town, now = _town(space), timezone.now()
    rows = Event.objects.for_town(town).filter(shop__isnull=True).select_related("created_by")
    if not _reviewer(request, town):
        rows = rows.filter(created_by=request.user)  # type: ignore[misc]
    current = rows.filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=now)).order_by("starts_at", "pk")
    past = rows.filter(last_ends_at__lte=now).order_by("-starts_at", "-pk")[:50]
    pending = Event.objects.for_town(town).filter(publication=Publication.PENDING).count()
    context = {
        "current": list(current),
        "past": list(past),
        "pending": pending if _reviewer(request, town) else 0,
        "publication": Publication,
    }
    return render(request, "agenda/manage/events.html", context)


def _published_message(request: HttpRequest, event: Event) -> None:
    if event.publication == Publication.PENDING:
        messages.success(
            request,
            _("« %(title)s » est enregistré : il paraîtra dès que la ville l'aura validé.")
            % {"title": event.title},
        )
    elif event.publication == Publication.DRAFT:
        messages.success(request, _("« %(title)s » est enregistré comme brouillon.") % {"title": event.title})
    else:
        messages.success(request, _("« %(title)s » est dans l'agenda.") % {"title": event.title})


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=WRITE)
def event_create(request: HttpRequest, space: Space) -> HttpResponse:
    town, now = _town(space), timezone.now()
    tz = ZoneInfo(town.timezone)
    form = EventForm(
        request.POST or None, request.FILES or None, tz=tz, initial={"day": now.astimezone(tz).date()}
    )
    if request.method == "POST" and form.is_valid():
        reviewer = _reviewer(request, town)
        try:
            event = services.event_create(
                town=town,
                data=form.event_data(),
                actor=request.user,  # type: ignore[arg-type]
                reviewer=reviewer,
                draft=reviewer and "draft" in request.POST,
                at=now,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if save_image(form, event):
                _published_message(request, event)
                return _to_list(space)
            return redirect("agenda_manage:event_edit", town_slug=space.slug, event_id=event.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "event": None, "reviewer": _reviewer(request, town)}
    return render(request, "agenda/manage/event_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=WRITE)
def event_edit(request: HttpRequest, space: Space, event_id: int) -> HttpResponse:
    town, now = _town(space), timezone.now()
    event = _event_or_404(request, town, event_id)
    tz = ZoneInfo(town.timezone)
    form = EventForm(
        request.POST or None, request.FILES or None, tz=tz, initial=EventForm.initial_from(event, tz)
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(
                event=event,
                data=form.event_data(),
                actor=request.user,  # type: ignore[arg-type]
                reviewer=_reviewer(request, town),
                at=now,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if save_image(form, event):
                _published_message(request, event)
                return _to_list(space)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "event": event, "reviewer": _reviewer(request, town)}
    return render(request, "agenda/manage/event_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=WRITE)
def event_status(request: HttpRequest, space: Space, event_id: int) -> HttpResponse:
    town, now = _town(space), timezone.now()
    event = _event_or_404(request, town, event_id)
    form = StatusForm(
        request.POST or None, tz=ZoneInfo(town.timezone), event=event, initial={"status": event.status}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_set_status(
                event=event,
                status=form.cleaned_data["status"],
                new_starts_at=form.cleaned_data["new_starts_at"],
                new_ends_at=form.cleaned_data["new_ends_at"],
                at=now,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("« %(title)s » : %(status)s.")
                % {"title": event.title, "status": EventStatus(form.cleaned_data["status"]).label},
            )
            return _to_list(space)
    status = 422 if request.method == "POST" else 200
    return render(request, "agenda/manage/event_status.html", {"form": form, "event": event}, status=status)


@require_POST
@space_view(single_town=True, permission=WRITE)
def event_publication(request: HttpRequest, space: Space, event_id: int) -> HttpResponse:
    """Publish or unpublish (the town team), or send for the check (an organiser)."""
    town, now = _town(space), timezone.now()
    event = _event_or_404(request, town, event_id)
    action = request.POST.get("action")
    reviewer = _reviewer(request, town)
    try:
        if action == "publish" and reviewer:
            services.event_publish(event=event, at=now)
        elif action == "unpublish" and reviewer:
            services.event_unpublish(event=event, at=now)
        elif action == "submit":
            services.event_submit(event=event, at=now)
        else:
            messages.error(request, _("Action inconnue."))
            return _to_list(space)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        event.refresh_from_db(fields=["publication"])
        messages.success(
            request,
            _("« %(title)s » : %(state)s.")
            % {"title": event.title, "state": event.get_publication_display()},
        )
    return _to_list(space)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=WRITE)
def event_delete(request: HttpRequest, space: Space, event_id: int) -> HttpResponse:
    event = _event_or_404(request, _town(space), event_id)
    if request.method == "POST":
        services.event_delete(event=event)
        messages.success(request, _("« %(title)s » est supprimé.") % {"title": event.title})
        return _to_list(space)
    return render(request, "agenda/manage/event_delete.html", {"event": event})


@require_safe
@space_view(single_town=True, permission=MODERATE)
def moderation(request: HttpRequest, space: Space) -> HttpResponse:
    waiting = (
        Event.objects.for_town(_town(space))
        .filter(publication=Publication.PENDING)
        .select_related("shop", "parent", "created_by", "photo")
        .order_by("updated_at", "pk")
    )
    return render(
        request, "agenda/manage/moderation.html", {"waiting": list(waiting), "reject_form": RejectForm()}
    )


@require_POST
@space_view(single_town=True, permission=MODERATE)
def moderation_decide(request: HttpRequest, space: Space, event_id: int) -> HttpResponse:
    town, now = _town(space), timezone.now()
    event = Event.objects.for_town(town).filter(pk=event_id).first()
    if event is None:
        raise Http404
    try:
        if request.POST.get("action") == "approve":
            services.event_approve(event=event, at=now)
            messages.success(request, _("« %(title)s » est publié.") % {"title": event.title})
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                waiting = Event.objects.for_town(town).filter(publication=Publication.PENDING)
                context = {"waiting": list(waiting), "reject_form": form, "rejecting": event.pk}
                return render(request, "agenda/manage/moderation.html", context, status=422)
            services.event_reject(event=event, reason=form.cleaned_data["reason"], at=now)
            messages.success(
                request, _("« %(title)s » est refusé ; son auteur voit le motif.") % {"title": event.title}
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("agenda_manage:moderation", town_slug=space.slug)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MODERATE)
def agenda_settings(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = SettingsForm(request.POST or None, instance=services.agenda_settings(town))
    if request.method == "POST" and form.is_valid():
        services.agenda_settings_update(
            town=town,
            offers_need_approval=form.cleaned_data["offers_need_approval"],
            organiser_events_need_approval=form.cleaned_data["organiser_events_need_approval"],
        )
        messages.success(request, _("Les réglages de l'agenda sont enregistrés."))
        return redirect("agenda_manage:settings", town_slug=space.slug)
    return render(request, "agenda/manage/settings.html", {"form": form})
