"""The person's personal API tokens, in their account space: make one (its key shown once), see them all
with their last use and expiry, revoke one. Plain forms; every answer is kept out of caches."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from centreville.accounts.http import SignedInRequest
from centreville.core.access import signed_in

from .models import ApiToken
from .selectors import api_token_of, api_token_rows
from .services import api_token_create, api_token_revoke, token_lifetime


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom du jeton"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("Pour le reconnaître plus tard, par exemple « Téléphone de la boutique »."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


@never_cache
@signed_in
@require_http_methods(["GET", "POST"])
def token_list(request: SignedInRequest) -> HttpResponse:
    now = timezone.now()
    form = TokenForm(request.POST or None)
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = api_token_create(user=request.user, name=form.cleaned_data["name"], now=now)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()  # ready for another one
    context = {
        "form": form,
        "rows": api_token_rows(request.user, now=now),
        "new_token": created[0] if created else None,
        "new_key": created[1] if created else "",
        "lifetime_days": token_lifetime().days,
    }
    return render(request, "api/tokens.html", context)


@never_cache
@signed_in
@require_http_methods(["GET", "POST"])
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = api_token_of(request.user, token_id)
    if not token.is_active(timezone.now()):
        messages.info(request, _("Le jeton « %(name)s » ne fonctionnait déjà plus.") % {"name": token.name})
        return redirect("api_tokens:list")
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(
            request,
            _("Le jeton « %(name)s » est révoqué : les applications qui s'en servaient sont refusées.")
            % {"name": token.name},
        )
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
