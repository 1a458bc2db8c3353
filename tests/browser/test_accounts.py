"""Account pages (django-allauth) in a real browser: log in, sign up, reset a password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, link_in, screenshot, translated

pytestmark = pytest.mark.browser

NEW_PASSWORD = "un-nouveau-secret-2024"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"


def wrong_password_error(lang: str) -> str:
    return translated(lang, DefaultAccountAdapter.error_messages["email_password_mismatch"])


def log_in(page: Page, lang: str, email: str, password: str) -> None:
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Sign In"), exact=True).click()


def test_login_refuses_a_wrong_password_then_lets_marie_in(lang_page: Page, lang: str, marie: User) -> None:
    page = lang_page
    page.goto("/compte/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Sign In"))
    assert_accessible(page)
    screenshot(page, f"login-{lang}-1280")

    log_in(page, lang, marie.email, WRONG_PASSWORD)
    error = page.get_by_role("alert")
    expect(error).to_have_text(wrong_password_error(lang))
    if lang == "fr":
        expect(error).to_contain_text("mot de passe sont incorrects")
    expect(page.locator("input[name=login]")).to_have_value(marie.email)
    expect(page.locator("input[name=password]")).to_have_value("")
    assert_accessible(page)
    screenshot(page, f"login-error-{lang}-1280")

    log_in(page, lang, marie.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/compte/espace/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mon compte"))
    expect(page.get_by_role("main")).to_contain_text(marie.email)
    assert_accessible(page)


def test_sign_up_confirm_the_address_and_arrive_logged_in(
    lang_page: Page, lang: str, live_server: Any, mailoutbox: list[EmailMessage]
) -> None:
    page = lang_page
    email = f"nouvelle-{lang}@example.fr"
    page.goto("/compte/signup/")
    assert_accessible(page)

    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Sign Up"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Verify Your Email Address"))
    assert_accessible(page)
    assert [message.to for message in mailoutbox] == [[email]]
    assert not EmailAddress.objects.get(email=email).verified

    page.goto(link_in(mailoutbox[0], live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Confirm Email Address"))
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Confirm"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/compte/espace/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mon compte"))
    expect(page.get_by_role("main")).to_contain_text(email)
    assert EmailAddress.objects.get(email=email).verified
    assert_accessible(page)


def test_sign_up_errors_are_tied_to_their_field(lang_page: Page, lang: str, marie: User) -> None:
    page = lang_page
    page.goto("/compte/signup/")
    page.locator("input[name=email]").fill("pas-une-adresse")
    page.locator("input[name=password1]").fill("court")
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Sign Up"), exact=True).click()

    email = page.locator("input[name=email]")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile(translated(lang, "Enter a valid email address.")))
    expect(page).to_have_title(re.compile("^" + translated(lang, "Erreur")))
    assert_accessible(page)
    screenshot(page, f"signup-errors-{lang}-1280")


def test_password_reset_by_emailed_link(
    lang_page: Page, lang: str, live_server: Any, marie: User, mailoutbox: list[EmailMessage]
) -> None:
    page = lang_page
    page.goto("/compte/login/")
    page.get_by_role("link", name=translated(lang, "Forgot your password?")).click()
    expect(page).to_have_url(re.compile(r"/compte/password/reset/$"))
    assert_accessible(page)

    page.locator("input[name=email]").fill(marie.email)
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Reset My Password")).click()
    expect(page).to_have_url(re.compile(r"/compte/password/reset/done/$"))
    assert_accessible(page)
    assert [message.to for message in mailoutbox] == [[marie.email]]

    page.goto(link_in(mailoutbox[0], live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Change Password"))
    assert_accessible(page)
    screenshot(page, f"reset-key-{lang}-1280")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role(
        "button", name=translated(lang, "Change Password"), exact=True
    ).click()
    expect(page.get_by_role("main")).to_contain_text(translated(lang, "Your password is now changed."))
    assert_accessible(page)

    page.goto("/compte/login/")
    log_in(page, lang, marie.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mon compte"))


def test_everything_works_without_javascript(
    new_context: NewContext, argentan: Argentan, marie: User
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    page.get_by_role("link", name="Argentan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Argentan")
    page.get_by_role("link", name="Se connecter").click()

    log_in(page, "fr", marie.email, WRONG_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("incorrects")
    expect(page.locator("input[name=login]")).to_have_value(marie.email)
    log_in(page, "fr", marie.email, DEFAULT_PASSWORD)
    # Signed in from the town's page: back to it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Le centre-ville d'Argentan")
    expect(page.get_by_role("banner").get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("banner").get_by_role("button", name=translated("en", "Se déconnecter")).click()
    expect(
        page.get_by_role("banner").get_by_role("link", name=translated("en", "Se connecter"))
    ).to_be_visible()
