"""Changing a town's settings: only the names the settings page changes, only the columns that change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.towns.models import Town
from centreville.towns.services import town_update
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_town_update_refuses_a_field_the_settings_page_does_not_change() -> None:
    town = TownFactory.create()

    with pytest.raises(TypeError, match="town_update\\(\\) cannot change insee_code, is_published"):
        town_update(town=town, is_published=False, insee_code="99999", name="Ailleurs")

    town.refresh_from_db()
    assert town.is_published
    assert town.name != "Ailleurs"


def test_town_update_keeps_a_change_made_meanwhile_to_another_setting() -> None:
    town = TownFactory.create(contact_email="mairie@argentan.example")
    stale = Town.objects.get(pk=town.pk)
    Town.objects.filter(pk=town.pk).update(contact_email="accueil@argentan.example")  # another manager

    town_update(town=stale, name=stale.name, welcome_text="Bienvenue en centre-ville !")

    town.refresh_from_db()
    assert town.welcome_text == "Bienvenue en centre-ville !"
    assert town.contact_email == "accueil@argentan.example"


def test_town_update_that_changes_nothing_writes_nothing() -> None:
    town = TownFactory.create(welcome_text="Bonjour")

    with CaptureQueriesContext(connection) as queries:
        town_update(town=town, welcome_text="Bonjour", postcodes=list(town.postcodes))

    assert not [query for query in queries if query["sql"].startswith("UPDATE")]


def test_a_setting_left_unread_still_counts_as_changed_when_set() -> None:
    town = TownFactory.create(welcome_text="Bonjour")
    partial = Town.objects.only("id", "slug", "name", "logo", "postcodes", "latitude", "longitude").get(
        pk=town.pk
    )

    town_update(town=partial, welcome_text="Bonsoir")

    town.refresh_from_db()
    assert town.welcome_text == "Bonsoir"
