from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, TownRole
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_ping_needs_no_database(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get("/ping/")
    assert response.content == b"pong"


def test_english_is_available_through_the_language_switch(client: Client) -> None:
    town = TownFactory.create()
    response = client.get(f"/langue/en/?next=/{town.slug}/")
    assert response["Location"] == f"/{town.slug}/"

    page = client.get(f"/{town.slug}/").content.decode()

    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_manager_changes_town_settings(client: Client) -> None:
    town = TownFactory.create(name="Argentan")
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    data = {
        "name": "Argentan",
        "welcome_text": "Bienvenue en centre-ville !",
        "contact_email": "mairie@argentan.example",
        "brand_colour": "#7a1f3d",
        "postcodes": "61200, 61201",
        "latitude": "48.7445",
        "longitude": "-0.0203",
        "timezone": "Europe/Paris",
    }

    response = client.post(reverse("towns:settings", args=[town.slug]), data)

    assert response.status_code == 302
    town.refresh_from_db()
    assert town.postcodes == ["61200", "61201"]
    assert town.brand_colour == "#7a1f3d"
    assert town.allow_chains is False


def test_bad_town_settings_get_french_errors_and_change_nothing(client: Client) -> None:
    town = TownFactory.create(name="Argentan")
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    data = {
        "name": "Argentan-Nouveau",
        "brand_colour": "rouge",
        "postcodes": "6120",
        "latitude": "148",
        "longitude": "-0.02",
        "timezone": "Mars/Olympus",
    }

    response = client.post(reverse("towns:settings", args=[town.slug]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "#RRVVBB" in page
    assert "n&#x27;est pas un code postal français" in page
    assert "fuseau horaire" in page
    town.refresh_from_db()
    assert town.name == "Argentan"
    assert "Argentan-Nouveau" not in page.split("<main")[0]  # the header still shows the saved name


def test_manager_grants_and_revokes_a_role(client: Client) -> None:
    town = TownFactory.create()
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    someone = UserFactory.create(email="elu@argentan.example")
    client.force_login(manager)

    response = client.post(
        reverse("towns:roles", args=[town.slug]), {"email": "ELU@argentan.example", "role": "elected"}
    )
    assert response.status_code == 302
    granted = TownRole.objects.get(user=someone, town=town)
    assert granted.role == Role.ELECTED
    assert granted.granted_by == manager

    response = client.post(reverse("towns:role_revoke", args=[town.slug, granted.pk]))
    assert response.status_code == 302
    assert not TownRole.objects.filter(pk=granted.pk).exists()


def test_granting_to_an_unknown_address_explains_why_in_french(client: Client) -> None:
    town = TownFactory.create()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)

    response = client.post(
        reverse("towns:roles", args=[town.slug]),
        {"email": "inconnu@example.fr", "role": "elected"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert "doit d&#x27;abord créer son compte" in response.content.decode()
    assert "<html" not in response.content.decode()  # htmx gets the panel only


def test_htmx_grant_returns_the_refreshed_panel(client: Client) -> None:
    town = TownFactory.create()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    UserFactory.create(email="conseil@example.fr")

    response = client.post(
        reverse("towns:roles", args=[town.slug]),
        {"email": "conseil@example.fr", "role": "adviser"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "conseil@example.fr" in page
    assert "<html" not in page


def test_the_last_manager_cannot_be_removed(client: Client) -> None:
    town = TownFactory.create()
    only_manager = TownRoleFactory.create(town=town, role=Role.MANAGER)
    client.force_login(UserFactory.create(is_superuser=True))

    response = client.post(reverse("towns:role_revoke", args=[town.slug, only_manager.pk]), follow=True)

    assert TownRole.objects.filter(pk=only_manager.pk).exists()
    assert "au moins un manager" in response.content.decode()


def test_a_manager_cannot_revoke_a_role_of_another_town(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    foreign_role = TownRoleFactory.create(town=other, role=Role.ELECTED)

    response = client.post(reverse("towns:role_revoke", args=[town.slug, foreign_role.pk]))

    assert response.status_code == 404
    assert TownRole.objects.filter(pk=foreign_role.pk).exists()


def test_pages_load_nothing_from_another_host(client: Client) -> None:
    town = TownFactory.create()
    ProductFactory.create(shop=ShopFactory.create(town=town))

    for url in ("/", f"/{town.slug}/", "/compte/login/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        page = response.content.decode()
        assert 'src="http' not in page
        # No stylesheet or font from elsewhere; absolute links in <head> (canonical URL) name this host.
        head_links = re.findall(r'href="(https?://[^"]*)"', page.split("<main")[0])
        assert all(link.startswith("http://testserver/") for link in head_links), head_links


def test_french_is_the_default_whatever_the_browser_prefers(client: Client) -> None:
    town = TownFactory.create()

    page = client.get(f"/{town.slug}/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="fr">' in page


def test_language_links_never_send_people_to_another_site(client: Client) -> None:
    assert client.get("/langue/en/?next=https://ailleurs.example/")["Location"] == "/"
    assert client.get("/langue/de/").status_code == 404
