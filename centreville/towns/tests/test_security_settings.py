from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.fixtures import Settings as SettingsWrapper

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_manager_removes_the_town_logo_with_the_clear_box(
    client: Client, settings: SettingsWrapper, tmp_path: Path
) -> None:
    # Given a town with a logo
    settings.MEDIA_ROOT = tmp_path
    town = TownFactory.create(slug="argentan")
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    url = reverse("towns:settings", args=[town.slug])
    data = {
        "name": town.name,
        "brand_colour": "#7a1f3d",
        "postcodes": "61200",
        "latitude": "48.7445",
        "longitude": "-0.0203",
        "timezone": "Europe/Paris",
    }
    assert client.post(url, {**data, "logo": _png()}).status_code == 302
    town.refresh_from_db()
    assert town.logo.name.startswith("logos/")

    # When the manager ticks the file input's "clear" box
    response = client.post(url, {**data, "logo-clear": "on"})

    # Then the logo is gone (no crash, no file named "False")
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.logo.name == ""
