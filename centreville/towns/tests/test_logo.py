"""The town's logo goes through the photo pipeline: re-encoded without its GPS position, capped in pixels
with a French error, and made the size the header shows."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.core.images import LOGO_SIDE
from centreville.core.tests.samples import (
    gps_exif,
    huge_png_header,
    jpeg_bytes,
    two_halves,
    upload,
    webp_chunks,
)
from centreville.towns.models import Territory, Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", name="Argentan")


@pytest.fixture
def manager(client: Client, town: Town) -> Client:
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    return client


def settings_form(town: Town, **changes: Any) -> dict[str, Any]:
    return {
        "name": town.name,
        "brand_colour": "#7a1f3d",
        "postcodes": "61200",
        "latitude": "48.7445",
        "longitude": "-0.0203",
        "timezone": "Europe/Paris",
        **changes,
    }


def send_logo(client: Client, town: Town, data: bytes, name: str = "logo.jpg") -> Any:
    url = reverse("towns:settings", args=[town.slug])
    return client.post(url, settings_form(town, logo=upload(data, name=name)))


def test_a_photo_with_its_gps_position_becomes_a_clean_square_logo(
    manager: Client, town: Town, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    photo = jpeg_bytes(two_halves((1600, 800)), exif=gps_exif(), comment=b"Argentan, rue de la Chaussee")

    with django_capture_on_commit_callbacks(execute=True):
        response = send_logo(manager, town, photo)

    assert response.status_code == 302
    town.refresh_from_db()
    assert town.logo.name.startswith("logos/")
    assert town.logo.name.endswith(".webp")
    assert "logo" not in town.logo.name.removeprefix("logos/")  # a fresh name, not the sender's
    stored = default_storage.open(town.logo.name).read()
    assert webp_chunks(stored)[0] in (b"VP8 ", b"VP8L", b"VP8X")
    assert not {b"EXIF", b"XMP ", b"ICCP"} & set(webp_chunks(stored))
    assert b"Argentan" not in stored
    with Image.open(default_storage.open(town.logo.name)) as logo:
        assert logo.size == (LOGO_SIDE, LOGO_SIDE)
        assert not logo.getexif()
        # the 2:1 picture fills the width, centred on a transparent ground
        alpha = logo.getchannel("A")
        assert alpha.getpixel((LOGO_SIDE // 2, 2)) == 0
        assert alpha.getpixel((LOGO_SIDE // 2, LOGO_SIDE // 2)) == 255
    page = manager.get("/argentan/").content.decode()
    assert re.findall("<img[^>]*>", page) == [f'<img src="{town.logo.url}" alt="" width="40" height="40">']


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            huge_png_header(9000, 9000),
            "logo.png",
            "La photo est trop grande (9000 × 9000 pixels) : 40 millions de pixels au plus.",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.svg", "n'est pas une photo au format JPEG"),
        (b"%PDF-1.4 un logo en PDF", "logo.jpg", "n'est pas une photo au format JPEG"),
    ],
)
def test_a_logo_that_is_too_large_or_not_a_picture_is_refused_in_french(
    manager: Client, town: Town, data: bytes, name: str, message: str
) -> None:
    response = send_logo(manager, town, data, name)

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    town.refresh_from_db()
    assert town.logo.name == ""


def test_a_replaced_logo_leaves_no_file_behind(
    manager: Client, town: Town, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_logo(manager, town, jpeg_bytes())
    town.refresh_from_db()
    first = town.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        send_logo(manager, town, jpeg_bytes(two_halves((300, 300))))

    town.refresh_from_db()
    assert town.logo.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(town.logo.name)


@pytest.mark.parametrize("model", [Town, Territory])
def test_the_platform_admin_s_uploads_go_through_the_pipeline_too(client: Client, model: type[Any]) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    branding = (
        TownFactory.create(slug="alencon")
        if model is Town
        else Territory.objects.create(name="Pays d'Argentan", slug="pays-argentan")
    )
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[branding.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, FieldFile)
    }
    data["postcodes"] = '["61000"]'

    response = client.post(url, {**data, "logo": upload(jpeg_bytes(exif=gps_exif()))})

    assert response.status_code == 302, response.context["adminform"].form.errors
    branding.refresh_from_db()
    assert branding.logo.name.endswith(".webp")
    with Image.open(default_storage.open(branding.logo.name)) as logo:
        assert logo.size == (LOGO_SIDE, LOGO_SIDE)
        assert not logo.getexif()
