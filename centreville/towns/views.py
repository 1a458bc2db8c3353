from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centreville.accounts.models import TownRole, User
from centreville.core.access import public
from centreville.core.french import de
from centreville.core.http import HtmxHttpRequest

from . import selectors, services
from .decorators import space_view
from .forms import RoleGrantForm, TownSettingsForm
from .models import Town
from .spaces import Space


@public
def ping(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness check that touches no database: the framework floor for benchmarks."""
    return HttpResponse("pong", content_type="text/plain")


@require_http_methods(["GET", "POST"])
@space_view(permission="towns.change_town")
def town_settings(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    # A fresh copy, so that a refused change never shows in the page's header.
    town = Town.objects.get(pk=space.town.pk)
    form = TownSettingsForm(request.POST or None, request.FILES or None, instance=town)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if fields.get("logo") is False:  # the file input's "clear" box: no logo any more
            fields["logo"] = ""
        try:
            services.town_update(town=Town.objects.get(pk=town.pk), **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les réglages de la ville sont enregistrés."))
            return redirect("towns:settings", town_slug=space.slug)
    return render(request, "towns/settings.html", {"form": form})


def _roles_page(
    request: HtmxHttpRequest,
    space: Space,
    form: RoleGrantForm,
    *,
    status: int = 200,
    focus: str = "",
) -> HttpResponse:
    """The roles page, or with htmx its panel; `focus` names what takes the focus once the panel is swapped
    in ("status": the message saying what happened, "form": the first field to correct), so that the next
    Tab goes on from there rather than from the top of the page (RGAA 7.3)."""
    assert space.town is not None
    if request.htmx and focus == "form":
        first_error = next((name for name in form.fields if name in form.errors), None)
        if first_error is not None:
            form.fields[first_error].widget.attrs["autofocus"] = True
        else:
            focus = "status"
    template = "towns/_roles.html" if request.htmx else "towns/roles.html"
    context = {
        "form": form,
        "town_roles": selectors.town_roles(space.town),
        "focus": focus if request.htmx else "",
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@space_view(permission="towns.manage_roles")
def town_roles(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    form = RoleGrantForm(request.POST or None)
    refused = 422 if request.htmx else 200
    if request.method == "POST":
        if not form.is_valid():
            return _roles_page(request, space, form, status=refused, focus="form")
        try:
            town_role = services.town_role_grant(
                town=space.town,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                granted_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return _roles_page(request, space, form, status=refused, focus="form")
        messages.success(
            request,
            _("%(person)s est désormais %(role)s.")
            % {"person": person_name(town_role.user), "role": town_role.get_role_display()},
        )
        if not request.htmx:
            return redirect("towns:roles", town_slug=space.slug)
        return _roles_page(request, space, RoleGrantForm(), focus="status")
    return _roles_page(request, space, form)


@require_POST
@space_view(permission="towns.manage_roles")
def town_role_revoke(request: HtmxHttpRequest, space: Space, role_id: int) -> HttpResponse:
    town_role = get_object_or_404(TownRole.objects.select_related("user"), pk=role_id, town=space.town)
    try:
        services.town_role_remove(town_role=town_role, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le rôle %(role)s %(de_person)s est retiré.")
            % {"de_person": de(person_name(town_role.user)), "role": town_role.get_role_display()},
        )
    if request.htmx:
        return _roles_page(request, space, RoleGrantForm(), focus="status")
    return redirect("towns:roles", town_slug=space.slug)


def person_name(user: User) -> str:
    """A person as the town team knows them: their name and address, or the address alone."""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email
