from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from centreville.core.access import public, signed_in

from . import selectors, services
from .forms import AccountDeleteForm
from .http import SignedInRequest
from .retention import retention_rules


@require_safe
@signed_in
def account_home(request: SignedInRequest) -> HttpResponse:
    places = selectors.user_places(request.user)
    return render(request, "accounts/account_home.html", {"places": places})


@require_safe
@signed_in
def account_export(request: SignedInRequest) -> HttpResponse:
    data = selectors.user_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-centre-ville.json"'
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def account_delete(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_erase(user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Votre compte et vos données personnelles sont supprimés."))
            return redirect("platform_home")
    return render(request, "accounts/account_delete.html", {"form": form})


@public
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The platform's privacy page: what it keeps about people, and how long (the operator's settings)."""
    periods = [(rule.data, rule.period()) for rule in retention_rules()]
    return render(request, "accounts/privacy.html", {"periods": periods})
