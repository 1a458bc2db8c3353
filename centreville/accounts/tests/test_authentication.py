"""E-mail login, sign-up confirmed by e-mail, password reset, argon2 and login rate limiting."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client, override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
Capture = DjangoCaptureOnCommitCallbacks


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Capture) -> Capture:
    """Account e-mails leave through the task queue once the request's work is committed."""
    return django_capture_on_commit_callbacks


LINK = re.compile(r"http://testserver(/compte/\S+/)")


def emailed_link(message: EmailMessage) -> str:
    """The path of the account link an e-mail carries."""
    found = LINK.search(str(message.body))
    assert found is not None, message.body
    return found.group(1)


def test_signup_needs_the_emailed_confirmation_before_login(client: Client, sent: Capture) -> None:
    with sent(execute=True):
        response = client.post(
            "/compte/signup/",
            {
                "email": "Nouvelle@Example.fr",
                "password1": "Un-jardin-en-ville-2026",
                "password2": "Un-jardin-en-ville-2026",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.fr")
    assert client.get("/compte/espace/").status_code != 200  # not logged in before confirming

    assert len(mail.outbox) == 1
    confirm_url = emailed_link(mail.outbox[0])
    client.post(confirm_url)

    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/compte/espace/").status_code == 200


def test_signup_errors_are_in_french_and_keep_the_email(client: Client) -> None:
    response = client.post(
        "/compte/signup/", {"email": "marie@example.fr", "password1": "court", "password2": "autre"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "marie@example.fr" in page
    assert "trop court" in page or "identiques" in page
    assert not User.objects.filter(email="marie@example.fr").exists()


def test_login_with_email_and_password(client: Client) -> None:
    UserFactory.create(email="commercant@example.fr")

    response = client.post("/compte/login/", {"login": "commercant@example.fr", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/compte/espace/"


def test_unconfirmed_account_cannot_log_in(client: Client) -> None:
    UserFactory.create(email="pas-confirme@example.fr", verified=False)

    client.post("/compte/login/", {"login": "pas-confirme@example.fr", "password": DEFAULT_PASSWORD})

    assert client.get("/compte/espace/").status_code == 302


def test_failed_logins_are_rate_limited_per_account(client: Client) -> None:
    UserFactory.create(email="cible@example.fr")
    for _ in range(5):
        response = client.post("/compte/login/", {"login": "cible@example.fr", "password": "mauvais"})
        assert "incorrect" in response.content.decode()

    response = client.post("/compte/login/", {"login": "cible@example.fr", "password": DEFAULT_PASSWORD})

    assert "Trop de tentatives" in response.content.decode()
    assert client.get("/compte/espace/").status_code == 302  # even the right password is refused for now


def test_password_reset_by_emailed_link(client: Client, sent: Capture) -> None:
    UserFactory.create(email="oubli@example.fr")

    with sent(execute=True):
        client.post("/compte/password/reset/", {"email": "oubli@example.fr"})
    reset_url = emailed_link(mail.outbox[0])
    form_url = client.get(reset_url, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": "Nouveau-mot-de-passe-61", "password2": "Nouveau-mot-de-passe-61"})

    assert client.login(email="oubli@example.fr", password="Nouveau-mot-de-passe-61")


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = UserFactory.create()
        user.set_password("Un-mot-de-passe-solide")
        assert user.password.startswith("argon2$")
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"


def test_account_emails_speak_for_the_platform_not_the_host(client: Client, sent: Capture) -> None:
    UserFactory.create(email="oubli@example.fr")

    with sent(execute=True):
        client.post("/compte/password/reset/", {"email": "oubli@example.fr"})

    body = str(mail.outbox[0].body)
    assert body.startswith("Bonjour,")
    assert "L'équipe de Centre-Ville en ligne" in body
    assert "testserver !" not in body
    assert mail.outbox[0].subject.startswith("[Centre-Ville en ligne]")


def test_the_login_page_names_the_address_as_everywhere_else(client: Client) -> None:
    page = client.get("/compte/login/").content.decode()

    assert '<label for="id_login">Adresse e-mail' in page
    assert "Courriel" not in page
