"""Error pages speak to a resident, in their language: a real title, what to do next, no technical words."""

from __future__ import annotations

import html
import re
from typing import Protocol

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from centreville.accounts.tests.factories import UserFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

TECHNICAL = ("DEBUG", "CSRF", "Forbidden", "403 ", "cookie csrftoken", "Traceback", "referer", "Referer")


class HasContent(Protocol):
    """A test client's answer, as far as reading its page goes."""

    content: bytes


def page_of(response: HasContent) -> str:
    return html.unescape(response.content.decode())


def title_of(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found is not None
    return found.group(1).strip()


def in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def refused_form(client: Client) -> str:
    """A form posted without its CSRF token, as after a session expired."""
    response = client.post("/compte/login/", {"login": "marie@example.fr", "password": "secret"})
    assert response.status_code == 403
    return page_of(response)


def test_a_form_refused_for_its_security_token_says_what_to_do_in_french() -> None:
    page = refused_form(Client(enforce_csrf_checks=True))

    assert '<html lang="fr">' in page
    assert title_of(page) == "Le formulaire n'a pas pu être envoyé — Centre-Ville en ligne"
    assert "Revenez à la page précédente et rechargez-la." in page
    assert "Ce que vous avez saisi n'a pas été enregistré." in page
    assert "autorisez les cookies de ce site" in page  # it came without the cookie
    assert not [word for word in TECHNICAL if word in page]


def test_a_form_refused_for_its_security_token_says_it_in_english_too() -> None:
    page = refused_form(in_english(Client(enforce_csrf_checks=True)))

    assert '<html lang="en">' in page
    assert title_of(page) == "The form could not be sent — Centre-Ville en ligne"
    assert "Go back to the previous page and reload it." in page
    assert not [word for word in TECHNICAL if word in page]


def test_the_way_back_is_a_link_only_to_our_own_pages() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/compte/login/")  # the cookie is there: only the token is missing

    ours = page_of(client.post("/compte/login/", {}, headers={"referer": "http://testserver/argentan/"}))
    theirs = page_of(client.post("/compte/login/", {}, headers={"referer": "https://ailleurs.example/"}))

    assert '<a href="http://testserver/argentan/">Revenez à la page précédente' in ours
    assert "ailleurs.example" not in theirs
    assert "autorisez les cookies" not in ours


def test_the_403_page_says_who_may_see_the_page_and_how_to_change_account(client: Client) -> None:
    TownFactory.create(slug="argentan")
    client.force_login(UserFactory.create(email="marie@example.fr"))

    response = client.get("/argentan/espace-commercant/commandes/")

    page = page_of(response)
    assert response.status_code == 403
    assert '<html lang="fr">' in page
    assert title_of(page) == "Accès refusé — Centre-Ville en ligne"
    assert "Vous êtes connecté·e avec l'adresse marie@example.fr." in page
    assert "Retour à l'accueil" in page
    in_english(client)
    english = page_of(client.get("/argentan/espace-commercant/commandes/"))
    assert '<html lang="en">' in english
    assert title_of(english) == "Access denied — Centre-Ville en ligne"


def test_the_404_page_is_in_the_visitor_s_language(client: Client) -> None:
    french = page_of(client.get("/nulle-part/"))
    english = page_of(in_english(client).get("/nulle-part/"))

    assert '<html lang="fr">' in french
    assert title_of(french) == "Page introuvable — Centre-Ville en ligne"
    assert '<html lang="en">' in english
    assert title_of(english) == "Page not found — Centre-Ville en ligne"


def test_the_500_page_is_in_the_visitor_s_language(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne")

    monkeypatch.setattr("centreville.showcase.views.selectors.platform_directory", broken)
    client = Client(raise_request_exception=False)

    french = page_of(client.get("/"))
    english = page_of(in_english(client).get("/"))

    assert '<html lang="fr">' in french
    assert title_of(french) == "Erreur du serveur — Centre-Ville en ligne"
    assert "panne" not in french
    assert '<html lang="en">' in english
    assert title_of(english) == "Server error — Centre-Ville en ligne"


def test_the_400_page_is_ours_in_the_visitor_s_language(client: Client) -> None:
    response = client.get("/", headers={"host": "ailleurs.example"})  # not an allowed host

    page = page_of(response)
    assert response.status_code == 400
    assert '<html lang="fr">' in page
    assert title_of(page) == "Demande incorrecte — Centre-Ville en ligne"
    assert "Bad Request" not in page


def test_a_visitor_s_language_does_not_stay_on_after_their_page(client: Client) -> None:
    in_english(client).get("/nulle-part/")

    assert translation.get_language() == "fr"
