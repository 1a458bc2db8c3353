from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AllauthLoginForm):
    """allauth's login, its address named « Adresse e-mail » as everywhere else on the platform."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail")


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, doing the same work whether the address already has an account or not.

    A new account costs a password hashing; an address already known used to cost nothing (allauth only
    sends a "you already have an account" e-mail), which told anyone timing the answer which addresses
    have an account. The password is hashed either way, and either way one e-mail is queued.
    """

    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the work a new account does, thrown away
        return super().try_save(request)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("Ce mot de passe n'est pas le bon : votre compte n'a pas été supprimé.")
            )
        return password
