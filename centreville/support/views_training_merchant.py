"""The merchant's training pages: sessions to come with their seats left, registering or joining the waiting
list, cancelling, past sessions, follow-up tasks to tick. Plain forms: everything works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from centreville.accounts.models import User
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors_training as selectors
from . import training
from .forms_training import RegisterForm
from .models import RegistrationStatus

TAKE_PART = "support.take_part"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _list_url(space: Space, anchor: str = "") -> str:
    url = reverse("support_merchant:training_list", args=[space.slug])
    return f"{url}#{anchor}" if anchor else url


@require_safe
@space_view(single_town=True, permission=TAKE_PART)
def training_list(request: HttpRequest, space: Space) -> HttpResponse:
    town, user, now = _town(space), _user(request), timezone.now()
    shops = training.shops_run_in_town(user, town)
    sessions = selectors.open_sessions(town, user, at=now)
    context = {
        "sessions": sessions,
        "mine": [row for row in sessions if row.mine is not None],
        "cancelled": selectors.my_cancelled_sessions(town, user, at=now),
        "past": selectors.my_past_registrations(town, user, at=now),
        "tasks": selectors.my_tasks(town, user),
        "register_form": RegisterForm(shops=shops),
        "shops": list(shops),
        "statuses": RegistrationStatus,
        "today": timezone.localdate(now),
    }
    return render(request, "support/training/merchant_list.html", context)


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def training_register(request: HttpRequest, space: Space, session_id: int) -> HttpResponse:
    town, user, now = _town(space), _user(request), timezone.now()
    session = selectors.town_session(town, session_id)
    if session is None:
        raise Http404
    form = RegisterForm(request.POST, shops=training.shops_run_in_town(user, town))
    if not form.is_valid():
        for error in form.errors.get("shop", []):
            messages.error(request, str(error))
        return redirect(_list_url(space, f"session-{session.pk}"))
    try:
        registration = training.registration_create(
            session=session, user=user, shop=form.chosen_shop(), at=now
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_list_url(space, f"session-{session.pk}"))
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            _("Vous êtes inscrit à « %(title)s ». Un rappel vous sera envoyé la veille.")
            % {"title": session.title},
        )
    else:
        messages.success(
            request,
            _(
                "La session « %(title)s » est complète : vous êtes sur la liste d'attente, en position "
                "%(position)s. Si une place se libère, vous serez inscrit et prévenu par e-mail."
            )
            % {"title": session.title, "position": training.waiting_position(registration)},
        )
    return redirect(_list_url(space, f"session-{session.pk}"))


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def training_cancel(request: HttpRequest, space: Space, registration_id: int) -> HttpResponse:
    town, user, now = _town(space), _user(request), timezone.now()
    registration = selectors.my_registration(town, user, registration_id)
    if registration is None:
        raise Http404
    try:
        training.registration_cancel(registration=registration, at=now)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Vous êtes désinscrit de « %(title)s ».") % {"title": registration.session.title},
        )
    return redirect(_list_url(space, f"session-{registration.session_id}"))


@require_POST
@space_view(single_town=True, permission=TAKE_PART)
def training_task(request: HttpRequest, space: Space, task_id: int) -> HttpResponse:
    town, user, now = _town(space), _user(request), timezone.now()
    task = selectors.my_task(town, user, task_id)
    if task is None:
        raise Http404
    done = request.POST.get("done") == "1"
    training.task_set_done(task=task, done=done, at=now)
    if done:
        messages.success(request, _("Bravo : « %(title)s » est faite.") % {"title": task.title})
    else:
        messages.success(request, _("« %(title)s » est de nouveau à faire.") % {"title": task.title})
    return redirect(_list_url(space, f"tache-{task.pk}"))
