"""Personal API tokens expire, note their last use, die with a password change or reset, and are made,
listed and revoked from a page of the account space."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Protocol

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.api.models import ApiToken
from centreville.api.services import api_token_create, api_token_user

from .conftest import App, Scene, new_key

pytestmark = pytest.mark.django_db

PAGE = "/compte/espace/jetons/"
NEW_PASSWORD = "Un-nouveau-secret-2026"


class HasContent(Protocol):
    """A test client's answer, as far as reading its page goes."""

    content: bytes


def orders_url(scene: Scene) -> str:
    return f"/api/villes/{scene.town.slug}/commerces/boulangerie/commandes"


def test_a_token_lasts_the_configured_lifetime_then_stops(settings: Settings) -> None:
    user = UserFactory.create()
    made = timezone.now()
    token, key = api_token_create(user=user, name="Caisse", now=made)

    assert token.expires_at == made + timedelta(days=90)
    assert api_token_user(key, now=made + timedelta(days=89, hours=23)) == user
    assert api_token_user(key, now=made + timedelta(days=90)) is None

    settings.API_TOKEN_LIFETIME_DAYS = 7
    short, _key = api_token_create(user=user, name="Essai", now=made)
    assert short.expires_at == made + timedelta(days=7)


def test_an_expired_token_is_refused_by_the_api_and_no_longer_counts(scene: Scene) -> None:
    long_ago = timezone.now() - timedelta(days=91)
    _token, key = api_token_create(user=scene.baker, name="Ancien téléphone", now=long_ago)

    response = App(key).get(orders_url(scene))

    assert response.status_code == 401
    assert response.json()["detail"] == "Ce jeton d'API n'est pas valable (inconnu, révoqué ou expiré)."
    for number in range(20):  # the expired one leaves room for twenty active ones
        api_token_create(user=scene.baker, name=f"Caisse {number}", now=timezone.now())


def test_the_last_use_is_noted_at_most_once_a_minute() -> None:
    user = UserFactory.create()
    made = timezone.now()
    token, key = api_token_create(user=user, name="Caisse", now=made)

    api_token_user(key, now=made + timedelta(seconds=10))
    api_token_user(key, now=made + timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == made + timedelta(seconds=10)
    api_token_user(key, now=made + timedelta(minutes=5))
    token.refresh_from_db()
    assert token.last_used_at == made + timedelta(minutes=5)


def test_changing_the_password_revokes_every_token(scene: Scene) -> None:
    keys = [new_key(scene.baker), new_key(scene.baker)]
    florist_key = new_key(scene.florist_owner)
    browser = Client()
    browser.force_login(scene.baker)

    response = browser.post(
        "/compte/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    for key in keys:
        assert App(key).get(orders_url(scene)).status_code == 401
    assert set(ApiToken.objects.filter(user=scene.baker).values_list("revoked", flat=True)) == {True}
    # Someone else's tokens are theirs
    florist_orders = f"/api/villes/{scene.town.slug}/commerces/fleuriste/commandes"
    assert App(florist_key).get(florist_orders).status_code == 200


def test_resetting_the_password_revokes_every_token(
    scene: Scene, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    key = new_key(scene.baker)
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/compte/password/reset/", {"email": scene.baker.email})
    link = re.search(r"http://testserver(/compte/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_url = browser.get(link.group(1), follow=True).redirect_chain[-1][0]

    browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert User.objects.get(pk=scene.baker.pk).check_password(NEW_PASSWORD)
    assert App(key).get(orders_url(scene)).status_code == 401


def test_a_password_set_by_the_platform_admin_revokes_the_tokens_too(scene: Scene) -> None:
    key = new_key(scene.baker)
    admin = Client()
    admin.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    response = admin.post(
        f"/admin/accounts/user/{scene.baker.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert App(key).get(orders_url(scene)).status_code == 401


def page_text(response: HasContent) -> str:
    return html.unescape(response.content.decode())


def test_the_page_makes_a_token_and_shows_its_key_once(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    created = client.post(PAGE, {"name": "  Téléphone   de la boutique "})

    page = page_text(created)
    token = ApiToken.objects.get(user=user)
    key = re.search(r'value="(cv_[^"]+)"', page)
    assert key is not None
    assert api_token_user(key.group(1), now=timezone.now()) == user
    assert token.name == "Téléphone de la boutique"
    assert "Copiez sa clé maintenant : elle ne sera plus jamais affichée." in page
    assert "no-store" in created["Cache-Control"]
    later = page_text(client.get(PAGE))
    assert key.group(1) not in later
    assert f"{token.prefix}…" in later


def test_the_page_lists_name_creation_last_use_expiry_and_state(client: Client) -> None:
    user = UserFactory.create()
    now = timezone.now()
    used, _key = api_token_create(user=user, name="Caisse", now=now)
    ApiToken.objects.filter(pk=used.pk).update(last_used_at=now)
    api_token_create(user=user, name="Vieille tablette", now=now - timedelta(days=100))
    revoked, _key = api_token_create(user=user, name="Téléphone perdu", now=now)
    ApiToken.objects.filter(pk=revoked.pk).update(revoked=True)
    api_token_create(user=UserFactory.create(), name="Jeton d'une autre personne", now=now)
    client.force_login(user)

    page = page_text(client.get(PAGE))

    assert re.findall(r"<h3>(.*?)</h3>", page) == ["Téléphone perdu", "Vieille tablette", "Caisse"]
    assert "Jeton d'une autre personne" not in page
    assert page.count("<dd>Actif</dd>") == 1
    assert page.count("<dd>Expiré</dd>") == 1
    assert page.count("<dd>Révoqué</dd>") == 1
    assert page.count("<dd>jamais</dd>") == 2
    assert "A expiré le" in page
    assert page.count('/revoquer/"') == 1  # only the active one can be revoked


def test_revoking_from_the_page_asks_first_then_stops_the_token(client: Client, scene: Scene) -> None:
    key = new_key(scene.baker)
    token = ApiToken.objects.get()
    client.force_login(scene.baker)
    url = f"{PAGE}{token.pk}/revoquer/"

    asked = page_text(client.get(url))
    assert "Révoquer le jeton « Téléphone de la boutique » ?" in asked
    assert App(key).get(orders_url(scene)).status_code == 200

    done = client.post(url, follow=True)

    assert "Le jeton « Téléphone de la boutique » est révoqué" in page_text(done)
    assert App(key).get(orders_url(scene)).status_code == 401


def test_nobody_reaches_the_tokens_of_someone_else(client: Client, scene: Scene) -> None:
    new_key(scene.baker)
    token = ApiToken.objects.get()
    client.force_login(scene.florist_owner)

    assert client.get(f"{PAGE}{token.pk}/revoquer/").status_code == 404
    assert client.post(f"{PAGE}{token.pk}/revoquer/").status_code == 404
    assert client.get(f"{PAGE}99999999999999999999/revoquer/").status_code == 404
    assert ApiToken.objects.get().revoked is False
    assert Client().get(PAGE)["Location"].startswith("/compte/login/")


def test_a_nameless_token_is_refused_in_french(client: Client) -> None:
    client.force_login(UserFactory.create())

    response = client.post(PAGE, {"name": "   "})

    page = page_text(response)
    assert "Ce champ est obligatoire." in page
    assert "<title>Erreur : Mes jetons d'API" in page
    assert not ApiToken.objects.exists()
