"""Coaching pages of experts and advisers: programmes, a programme's pairs (stalled ones flagged), pairing,
an action's page (milestones, meetings, the note after a meeting, the end review), a programme's CSV.

Who reaches them is `support.coach` (the town's experts and those who follow merchants up); creating a
programme and pairing is `support.follow_up`. An expert sees only the actions they are paired on: any
other is a 404 for them (`coaching.actions_for_coach`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.forms import add_service_error
from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import coaching
from .forms_coaching import (
    AddExpertsForm,
    EndReviewForm,
    MilestoneForm,
    NoteForm,
    PairForm,
    ProgrammeForm,
    SlotForm,
)
from .models.coaching import (
    ActionStatus,
    CoachingAction,
    CoachingMeeting,
    CoachingMilestone,
    CoachingProgramme,
    MeetingStatus,
)

COACH = "support.coach"
FOLLOW_UP = "support.follow_up"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _programme_or_404(request: HttpRequest, town: Town, programme_id: int) -> CoachingProgramme:
    visible = {
        row["programme"].pk: row["programme"] for row in coaching.programmes_for_coach(request.user, town)
    }
    if programme_id not in visible:
        raise Http404
    return visible[programme_id]


def _action_or_404(request: HttpRequest, town: Town, action_id: int) -> CoachingAction:
    action = (
        coaching.actions_for_coach(request.user, town)
        .filter(pk=action_id)
        .select_related("town", "shop", "programme", "expert")
        .first()
    )
    if action is None:
        raise Http404
    return action


def _meeting_or_404(request: HttpRequest, town: Town, meeting_id: int) -> CoachingMeeting:
    meeting = CoachingMeeting.objects.filter(pk=meeting_id, action__town=town).first()
    if meeting is None:
        raise Http404
    action = _action_or_404(request, town, meeting.action_id)
    meeting.action = action
    return meeting


def _action_url(space: Space, action_id: int, anchor: str = "") -> str:
    return reverse("support_manage:coaching_action", args=[space.slug, action_id]) + anchor


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Programmes -----------------------------------------------------------------------------------------


@require_safe
@space_view(single_town=True, permission=COACH)
def programme_list(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    context = {
        "rows": coaching.programmes_for_coach(request.user, town),
        "can_follow_up": coaching.follows_up(request.user, town),
        "statuses": ActionStatus,
    }
    return render(request, "support/coaching/manage/programme_list.html", context)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def programme_create(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    today = timezone.localdate(timezone.now())
    form = ProgrammeForm(request.POST or None, experts=coaching.town_experts(town), today=today)
    if request.method == "POST" and form.is_valid():
        try:
            programme = coaching.programme_create(
                town=town,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                description=form.cleaned_data["description"],
                experts=form.cleaned_data["experts"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le programme « %(name)s » est créé.") % {"name": programme.name})
            return redirect(
                "support_manage:coaching_programme", town_slug=space.slug, programme_id=programme.pk
            )
    status = 422 if request.method == "POST" else 200
    return render(request, "support/coaching/manage/programme_form.html", {"form": form}, status=status)


def _programme_page(
    request: HttpRequest,
    space: Space,
    programme: CoachingProgramme,
    *,
    experts_form: AddExpertsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    town = _town(space)
    at = timezone.now()
    can_follow_up = coaching.follows_up(request.user, town)
    if can_follow_up and experts_form is None:
        experts_form = AddExpertsForm(
            experts=coaching.town_experts(town).exclude(coaching_programmes=programme)
        )
    pairs = coaching.programme_pairs(programme=programme, user=request.user, at=at)
    context = {
        "programme": programme,
        "experts": list(programme.experts.order_by("last_name", "first_name")),
        "pairs": pairs,
        "stalled_count": sum(1 for pair in pairs if pair.progress.stalled),
        "can_follow_up": can_follow_up,
        "experts_form": experts_form,
    }
    return render(request, "support/coaching/manage/programme_detail.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=COACH)
def programme_detail(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    return _programme_page(request, space, _programme_or_404(request, _town(space), programme_id))


@require_POST
@space_view(single_town=True, permission=FOLLOW_UP)
def programme_experts(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    town = _town(space)
    programme = _programme_or_404(request, town, programme_id)
    form = AddExpertsForm(
        request.POST, experts=coaching.town_experts(town).exclude(coaching_programmes=programme)
    )
    if form.is_valid():
        try:
            coaching.programme_add_experts(programme=programme, experts=form.cleaned_data["experts"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Les experts sont ajoutés au programme."))
            return redirect(
                "support_manage:coaching_programme", town_slug=space.slug, programme_id=programme.pk
            )
    return _programme_page(request, space, programme, experts_form=form, status=422)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=FOLLOW_UP)
def programme_pair(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    town = _town(space)
    programme = _programme_or_404(request, town, programme_id)
    shops = Shop.objects.for_town(town).exclude(status=ShopStatus.CLOSED).order_by("name")
    form = PairForm(
        request.POST or None,
        experts=programme.experts.order_by("last_name", "first_name"),
        shops=shops,
        initial={"shop": request.GET.get("commerce")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = coaching.action_pair(
                programme=programme,
                expert=form.cleaned_data["expert"],
                shop=form.cleaned_data["shop"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                goal=form.cleaned_data["goal"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(expert)s accompagne %(shop)s : %(action)s.")
                % {"expert": action.expert, "shop": action.shop.name, "action": action.label},
            )
            return redirect(_action_url(space, action.pk))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "programme": programme}
    return render(request, "support/coaching/manage/pair_form.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=COACH)
def programme_export(request: HttpRequest, space: Space, programme_id: int) -> HttpResponse:
    """The programme's pairs the person sees, as a spreadsheet (no note: they stay on the action's page)."""
    town = _town(space)
    programme = _programme_or_404(request, town, programme_id)
    pairs = coaching.programme_pairs(programme=programme, user=request.user, at=timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accompagnement-{town.slug}-{programme.pk}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            _("Commerce"),
            _("Expert"),
            _("Action"),
            _("Statut"),
            _("Commencée le"),
            _("Terminée le"),
            _("Dernière activité"),
            _("En panne"),
            _("Prochain rendez-vous"),
            _("Résultat"),
            _("Note du commerçant"),
        ]
    )
    for pair in pairs:
        action = pair.action
        review = getattr(action, "end_review", None)
        writer.writerow(
            [
                spreadsheet_text(action.shop.name),
                spreadsheet_text(action.expert_name),
                spreadsheet_text(action.label),
                str(ActionStatus(action.status).label),
                action.started_on.isoformat() if action.started_on else "",
                action.ended_on.isoformat() if action.ended_on else "",
                pair.progress.last_activity_on.isoformat() if pair.progress.last_activity_on else "",
                _("oui") if pair.progress.stalled else _("non"),
                pair.next_meeting.starts_at.astimezone(coaching.town_tz(town)).strftime("%Y-%m-%d %H:%M")
                if pair.next_meeting
                else "",
                review.get_outcome_display() if review and review.outcome else "",
                str(review.merchant_rating) if review and review.merchant_rating else "",
            ]
        )
    return response


# --- An action ------------------------------------------------------------------------------------------


def _action_page(
    request: HttpRequest,
    space: Space,
    action: CoachingAction,
    *,
    at: datetime,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = coaching.action_page(action, at=at)
    forms = forms or {}
    slots = coaching.meeting_slots(action=action, at=at) if action.is_open and page.upcoming is None else []
    note_rows = [
        (
            meeting,
            (forms.get("note") if forms.get("note_meeting") == meeting.pk else None)
            or NoteForm(
                prefix=f"note-{meeting.pk}", initial={"note": meeting.note, "next_step": meeting.next_step}
            ),
        )
        for meeting in page.to_write
    ]
    context = {
        "page": page,
        "action": action,
        "milestone_form": forms.get("milestone") or MilestoneForm(),
        "slot_form": forms.get("slot") or SlotForm(),
        "slot_days": coaching.slot_days(slots),
        "note_rows": note_rows,
        "review_form": forms.get("review") or EndReviewForm(),
        "at": at,
        "statuses": ActionStatus,
        "meeting_statuses": MeetingStatus,
    }
    return render(request, "support/coaching/manage/action_detail.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=COACH)
def action_detail(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    return _action_page(request, space, action, at=timezone.now())


@require_POST
@space_view(single_town=True, permission=COACH)
def action_milestone_add(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            coaching.milestone_add(
                action=action,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("L'étape est ajoutée."))
            return redirect(_action_url(space, action.pk, "#etapes"))
    return _action_page(request, space, action, at=timezone.now(), forms={"milestone": form}, status=422)


@require_POST
@space_view(single_town=True, permission=COACH)
def milestone_done(request: HttpRequest, space: Space, action_id: int, milestone_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    milestone = CoachingMilestone.objects.filter(pk=milestone_id, action=action).first()
    if milestone is None:
        raise Http404
    milestone.action = action
    try:
        coaching.milestone_complete(
            milestone=milestone,
            actor=request.user,  # type: ignore[arg-type]
            today=timezone.localdate(timezone.now()),
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Étape « %(title)s » faite.") % {"title": milestone.title})
    return redirect(_action_url(space, action.pk, "#etapes"))


@require_POST
@space_view(single_town=True, permission=COACH)
def action_book(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    at = timezone.now()
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            meeting = coaching.meeting_book(
                action=action,
                starts_at=form.cleaned_data["starts_at"],
                actor=request.user,  # type: ignore[arg-type]
                at=at,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Rendez-vous réservé le %(when)s (15 minutes).")
                % {"when": coaching.moment_in_words(meeting.starts_at, action.town)},
            )
            return redirect(_action_url(space, action.pk, "#rendez-vous"))
    return _action_page(request, space, action, at=at, forms={"slot": form}, status=422)


@require_POST
@space_view(single_town=True, permission=COACH)
def meeting_update(request: HttpRequest, space: Space, meeting_id: int) -> HttpResponse:
    """Held, missed or cancelled: the coach says what became of a booked meeting."""
    meeting = _meeting_or_404(request, _town(space), meeting_id)
    to = request.POST.get("to", "")
    steps = {
        MeetingStatus.HELD: (coaching.meeting_hold, _("Rendez-vous tenu : écrivez la note.")),
        MeetingStatus.MISSED: (coaching.meeting_miss, _("Rendez-vous noté comme manqué.")),
    }
    try:
        if to == MeetingStatus.CANCELLED:
            coaching.meeting_cancel(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
            done = _("Rendez-vous annulé.")
        elif to in steps:
            step, done = steps[to]  # type: ignore[index]
            step(meeting=meeting, actor=request.user, at=timezone.now())  # type: ignore[arg-type]
        else:
            raise ValidationError(_("Choisissez ce qu'est devenu le rendez-vous."))
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, done)
    return redirect(_action_url(space, meeting.action_id, "#rendez-vous"))


@require_POST
@space_view(single_town=True, permission=COACH)
def meeting_note(request: HttpRequest, space: Space, meeting_id: int) -> HttpResponse:
    meeting = _meeting_or_404(request, _town(space), meeting_id)
    at = timezone.now()
    form = NoteForm(request.POST, prefix=f"note-{meeting.pk}")
    if form.is_valid():
        try:
            coaching.meeting_note(
                meeting=meeting,
                note=form.cleaned_data["note"],
                next_step=form.cleaned_data["next_step"],
                actor=request.user,  # type: ignore[arg-type]
                at=at,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("La note est enregistrée ; le commerçant peut la lire."))
            return redirect(_action_url(space, meeting.action_id, "#rendez-vous"))
    return _action_page(
        request, space, meeting.action, at=at, forms={"note": form, "note_meeting": meeting.pk}, status=422
    )


@require_POST
@space_view(single_town=True, permission=COACH)
def action_review(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    at = timezone.now()
    form = EndReviewForm(request.POST)
    if form.is_valid():
        try:
            coaching.end_review_write(
                action=action,
                outcome=form.cleaned_data["outcome"],
                what_changed=form.cleaned_data["what_changed"],
                actor=request.user,  # type: ignore[arg-type]
                at=at,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le bilan est enregistré : l'action est terminée."))
            return redirect(_action_url(space, action.pk, "#bilan"))
    return _action_page(request, space, action, at=at, forms={"review": form}, status=422)


@require_POST
@space_view(single_town=True, permission=COACH)
def action_step(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    """Start a planned action by hand, or abandon one."""
    action = _action_or_404(request, _town(space), action_id)
    at = timezone.now()
    try:
        if request.POST.get("to") == ActionStatus.RUNNING:
            coaching.action_start(action=action, actor=request.user, today=timezone.localdate(at))  # type: ignore[arg-type]
            messages.success(request, _("L'action a commencé."))
        elif request.POST.get("to") == ActionStatus.ABANDONED:
            coaching.action_abandon(action=action, actor=request.user, at=at)  # type: ignore[arg-type]
            messages.success(request, _("L'action est abandonnée ; ses rendez-vous prévus sont annulés."))
        else:
            raise ValidationError(_("Choisissez ce que devient l'action."))
    except ValidationError as error:
        _error_message(request, error)
    return redirect(_action_url(space, action.pk))
