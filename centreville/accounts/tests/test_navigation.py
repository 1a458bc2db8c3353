"""Signing in from a town's page brings the person back to it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from centreville.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_signing_in_from_a_town_page_comes_back_to_it(client: Client) -> None:
    TownFactory.create(slug="argentan")
    UserFactory.create(email="marie@example.fr")

    page = client.get("/argentan/commerces/").content.decode()
    link = re.search(r'<a href="(/compte/login/[^"]*)">Se connecter</a>', page)

    assert link is not None
    assert link.group(1) == "/compte/login/?next=/argentan/commerces/"
    response = client.post(link.group(1), {"login": "marie@example.fr", "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/argentan/commerces/"
