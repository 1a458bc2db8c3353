from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    places = selectors.user_places(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/account_home.html", {"places": places})
