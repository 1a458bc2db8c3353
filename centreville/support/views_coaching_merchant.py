"""The merchant's coaching pages: my coaching action, its milestones, the next 15-minute meeting (pick a
quiet slot, confirm or cancel), the notes the expert shared, my quiet moment, my part of the end review.

Made for a phone (320 px) and for no JavaScript: every choice is a plain form. Reached with
`support.take_part`; a person sees only the actions of the shops they run (others are a 404).
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
from django.views.decorators.http import require_POST, require_safe

from centreville.core.forms import add_service_error
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import coaching
from .forms_coaching import MerchantReviewForm, PreferenceForm, SlotForm
from .models.coaching import ActionStatus, CoachingAction, CoachingMeeting, MeetingStatus

TAKE_PART = "support.take_part"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _action_or_404(request: HttpRequest, town: Town, action_id: int) -> CoachingAction:
    action = coaching.merchant_actions(request.user, town).filter(pk=action_id).first()
    if action is None:
        raise Http404
    return action


def _url(space: Space, action_id: int, anchor: str = "") -> str:
    return reverse("support_merchant:coaching_action", args=[space.slug, action_id]) + anchor


@require_safe
@space_view(single_town=True, permission=TAKE_PART)
def coaching_home(request: HttpRequest, space: Space) -> HttpResponse:
    """My coaching actions; straight to the one when there is only one open."""
    actions = list(coaching.merchant_actions(request.user, _town(space)))
    open_actions = [action for action in actions if action.is_open]
    if len(open_actions) == 1 and len(actions) == 1:
        return redirect(_url(space, open_actions[0].pk))
    return render(
        request, "support/coaching/merchant/home.html", {"actions": actions, "statuses": ActionStatus}
    )


def _page(
    request: HttpRequest,
    space: Space,
    action: CoachingAction,
    *,
    at: datetime,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    page = coaching.action_page(action, at=at)
    slots = coaching.meeting_slots(action=action, at=at) if action.is_open and page.upcoming is None else []
    review = page.review
    context = {
        "page": page,
        "action": action,
        "slot_days": coaching.slot_days(slots),
        "slot_form": forms.get("slot") or SlotForm(),
        "preference_form": forms.get("preference")
        or PreferenceForm(
            initial={
                "weekday": action.preferred_weekday,
                "start": action.preferred_start,
                "end": action.preferred_end,
            }
        ),
        "review_form": forms.get("review")
        or MerchantReviewForm(
            initial={
                "rating": str(review.merchant_rating) if review and review.merchant_rating else None,
                "comment": review.merchant_comment if review else "",
            }
        ),
        "statuses": ActionStatus,
        "meeting_statuses": MeetingStatus,
        "at": at,
    }
    return render(request, "support/coaching/merchant/action.html", context, status=status)


@require_safe
@space_view(single_town=True, permission=TAKE_PART)
def coaching_action(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    return _page(request, space, _action_or_404(request, _town(space), action_id), at=timezone.now())


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def coaching_book(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
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
            when = coaching.moment_in_words(meeting.starts_at, action.town)
            messages.success(request, _("C'est noté : rendez-vous le %(when)s, 15 minutes.") % {"when": when})
            return redirect(_url(space, action.pk, "#rendez-vous"))
    return _page(request, space, action, at=at, forms={"slot": form}, status=422)


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def coaching_meeting(request: HttpRequest, space: Space, meeting_id: int) -> HttpResponse:
    """Confirm or cancel a booked meeting."""
    town = _town(space)
    meeting = CoachingMeeting.objects.filter(pk=meeting_id, action__town=town).first()
    if meeting is None:
        raise Http404
    action = _action_or_404(request, town, meeting.action_id)
    meeting.action = action
    try:
        if request.POST.get("to") == "confirm":
            coaching.meeting_confirm(meeting=meeting, actor=request.user, at=timezone.now())  # type: ignore[arg-type]
            messages.success(request, _("Rendez-vous confirmé. À bientôt !"))
        elif request.POST.get("to") == MeetingStatus.CANCELLED:
            coaching.meeting_cancel(meeting=meeting, actor=request.user)  # type: ignore[arg-type]
            messages.success(
                request, _("Rendez-vous annulé : choisissez un autre créneau quand vous voulez.")
            )
        else:
            raise ValidationError(_("Choisissez de confirmer ou d'annuler le rendez-vous."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_url(space, action.pk, "#rendez-vous"))


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def coaching_preference(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            coaching.action_set_preference(
                action=action,
                weekday=form.cleaned_data["weekday"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("C'est noté : les créneaux proposés suivent votre préférence."))
            return redirect(_url(space, action.pk, "#rendez-vous"))
    return _page(request, space, action, at=timezone.now(), forms={"preference": form}, status=422)


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def coaching_review(request: HttpRequest, space: Space, action_id: int) -> HttpResponse:
    action = _action_or_404(request, _town(space), action_id)
    at = timezone.now()
    form = MerchantReviewForm(request.POST)
    if form.is_valid():
        try:
            coaching.end_review_merchant(
                action=action,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                actor=request.user,  # type: ignore[arg-type]
                at=at,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Merci pour votre avis."))
            return redirect(_url(space, action.pk, "#avis"))
    return _page(request, space, action, at=at, forms={"review": form}, status=422)
