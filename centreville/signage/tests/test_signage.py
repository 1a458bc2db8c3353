"""QR codes, the counting addresses behind them, and the printable posters."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import zlib

import pytest
import segno
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.fixtures import Settings

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.activity.models import DailyCount, Metric
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.signage.codes import ERROR_LEVEL, QUIET_ZONE
from centreville.signage.posters import Poster, poster_pdf
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return ShopFactory.create(name="Crêperie de l'Œuf à la Coque", street_address="4 place du Marché")


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def merchant_of(shop: Shop) -> Client:
    return as_user(ShopMembershipFactory.create(shop=shop).user)


def manager_of(shop: Shop) -> Client:
    return as_user(TownRoleFactory.create(town=shop.town, role=Role.MANAGER).user)


# --- Scans ------------------------------------------------------------------------------------------------


def test_a_shop_scan_is_counted_and_leads_to_the_shop_page(client: Client, shop: Shop) -> None:
    response = client.get(f"/{shop.town.slug}/qr/{shop.slug}/")
    client.get(f"/{shop.town.slug}/qr/{shop.slug}/")

    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:shop", args=[shop.town.slug, shop.slug])
    assert list(DailyCount.objects.values_list("town_id", "shop_id", "metric", "count")) == [
        (shop.town_id, shop.pk, Metric.QR_SCAN, 2)
    ]


def test_a_town_scan_is_counted_and_leads_to_the_town_home(client: Client) -> None:
    town = TownFactory.create()

    response = client.get(f"/{town.slug}/qr/")

    assert response.status_code == 302
    assert response["Location"] == reverse("showcase:home", args=[town.slug])
    assert list(DailyCount.objects.values_list("town_id", "shop_id", "metric", "count")) == [
        (town.pk, None, Metric.QR_SCAN, 1)
    ]


def test_a_scan_stores_nothing_about_the_person(client: Client, shop: Shop) -> None:
    response = client.get(
        f"/{shop.town.slug}/qr/{shop.slug}/", HTTP_USER_AGENT="Phone/1.0", REMOTE_ADDR="203.0.113.9"
    )

    assert not response.cookies
    assert "no-store" in response["Cache-Control"]  # every scan reaches us, none is served by a cache
    assert not Session.objects.exists()
    assert DailyCount.objects.count() == 1
    assert DailyCount.objects.get().day is not None


def test_head_requests_are_not_counted(client: Client, shop: Shop) -> None:
    assert client.head(f"/{shop.town.slug}/qr/{shop.slug}/").status_code == 302
    assert not DailyCount.objects.exists()


def test_an_unpublished_shop_scan_leads_to_the_town(client: Client) -> None:
    shop = ShopFactory.create(status=ShopStatus.HIDDEN)

    response = client.get(f"/{shop.town.slug}/qr/{shop.slug}/")

    assert response["Location"] == reverse("showcase:home", args=[shop.town.slug])
    assert DailyCount.objects.get().shop_id == shop.pk


def test_an_unknown_or_foreign_shop_is_not_found_nor_counted(client: Client, shop: Shop) -> None:
    other_town = TownFactory.create()

    assert client.get(f"/{shop.town.slug}/qr/n-existe-pas/").status_code == 404
    assert client.get(f"/{other_town.slug}/qr/{shop.slug}/").status_code == 404
    assert not DailyCount.objects.exists()


# --- Codes ------------------------------------------------------------------------------------------------


def modules_of_png(data: bytes, size: int) -> list[list[bool]]:
    """The dark/light modules of a QR code PNG with a quiet zone, read at the centre of each module."""
    image = Image.open(io.BytesIO(data)).convert("L")
    scale = image.width // (size + 2 * QUIET_ZONE)
    offset = QUIET_ZONE * scale + scale // 2
    return [
        [image.getpixel((offset + column * scale, offset + row * scale)) < 128 for column in range(size)]  # type: ignore[operator]
        for row in range(size)
    ]


def test_the_shop_code_encodes_the_counting_address(shop: Shop) -> None:
    client = merchant_of(shop)
    expected_url = f"http://testserver/{shop.town.slug}/qr/{shop.slug}/"
    expected = segno.make_qr(expected_url, error=ERROR_LEVEL)
    matrix = [[bool(module) for module in row] for row in expected.matrix]

    png = client.get(reverse("signage:shop_qr_png", args=[shop.town.slug, shop.slug]))
    svg = client.get(reverse("signage:shop_qr_svg", args=[shop.town.slug, shop.slug]))

    assert png["Content-Type"] == "image/png"
    assert modules_of_png(png.content, len(matrix)) == matrix
    assert svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == shop.name
    reference = io.BytesIO()
    expected.save(
        reference, kind="svg", scale=10, border=QUIET_ZONE, title=shop.name, svgclass=None, lineclass=None
    )
    assert svg.content == reference.getvalue()


def test_printed_codes_use_the_public_address_when_set(shop: Shop, settings: Settings) -> None:
    settings.PUBLIC_BASE_URL = "https://centreville.example/"
    expected = segno.make_qr(
        f"https://centreville.example/{shop.town.slug}/qr/{shop.slug}/", error=ERROR_LEVEL
    )

    page = merchant_of(shop).get(reverse("signage:shop_print", args=[shop.town.slug, shop.slug]))
    png = merchant_of(shop).get(reverse("signage:shop_qr_png", args=[shop.town.slug, shop.slug]))

    assert f"https://centreville.example/{shop.town.slug}/qr/{shop.slug}/" in page.content.decode()
    assert modules_of_png(png.content, len(expected.matrix)) == [
        [bool(module) for module in row] for row in expected.matrix
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("merchant", 200), ("manager", 200), ("other_merchant", 403), ("other_manager", 403), ("resident", 403)],
)
@pytest.mark.parametrize("name", ["shop_print", "shop_qr_svg", "shop_qr_png", "shop_poster"])
def test_shop_codes_and_posters_are_for_its_merchants_and_managers(
    shop: Shop, who: str, status: int, name: str
) -> None:
    clients = {
        "merchant": lambda: merchant_of(shop),
        "manager": lambda: manager_of(shop),
        "other_merchant": lambda: merchant_of(ShopFactory.create(town=shop.town)),
        "other_manager": lambda: manager_of(ShopFactory.create()),
        "resident": lambda: as_user(UserFactory.create()),
    }

    response = clients[who]().get(reverse(f"signage:{name}", args=[shop.town.slug, shop.slug]))

    assert response.status_code == status


@pytest.mark.parametrize("name", ["shop_print", "shop_qr_png", "shop_poster"])
def test_anonymous_people_are_sent_to_log_in(client: Client, shop: Shop, name: str) -> None:
    response = client.get(reverse(f"signage:{name}", args=[shop.town.slug, shop.slug]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["town_print", "town_qr_svg", "town_qr_png", "town_poster"])
def test_town_codes_and_posters_are_for_its_managers(shop: Shop, name: str) -> None:
    url = reverse(f"signage:{name}", args=[shop.town.slug])

    assert manager_of(shop).get(url).status_code == 200
    assert merchant_of(shop).get(url).status_code == 403
    assert manager_of(ShopFactory.create()).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_print_page_links_every_download(shop: Shop) -> None:
    page = (
        merchant_of(shop)
        .get(reverse("signage:shop_print", args=[shop.town.slug, shop.slug]))
        .content.decode()
    )

    for name in ("shop_qr_svg", "shop_qr_png", "shop_poster"):
        assert reverse(f"signage:{name}", args=[shop.town.slug, shop.slug]) in page
    assert f'download="affiche-{shop.town.slug}-{shop.slug}.pdf"' in page


# --- Posters ----------------------------------------------------------------------------------------------


def check_pdf_structure(data: bytes) -> None:
    """A minimal parse: header, trailer, and every cross-reference entry pointing at its object."""
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[startxref : startxref + 4] == b"xref"
    first, count = map(int, re.match(rb"xref\s+(\d+)\s+(\d+)", data[startxref:]).groups())  # type: ignore[union-attr]
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", data[startxref:])[:count]
    assert len(entries) == count
    for number, (offset, _generation, kind) in enumerate(entries, start=first):
        if kind == b"n":
            assert re.match(rb"%d 0 obj" % number, data[int(offset) :]), number


def drawn_text(data: bytes) -> list[str]:
    """The strings drawn on the pages, decoded from WinAnsi (reportlab's standard-font encoding)."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw, adobe=True)
        content = zlib.decompress(raw)
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", content):
            unescaped = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), literal)
            unescaped = re.sub(rb"\\(.)", rb"\1", unescaped)
            texts.append(unescaped.decode("cp1252"))
    return texts


def test_the_shop_poster_is_a_valid_pdf_with_the_name_and_the_call_to_action(shop: Shop) -> None:
    response = merchant_of(shop).get(reverse("signage:shop_poster", args=[shop.town.slug, shop.slug]))

    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="affiche-{shop.town.slug}-{shop.slug}.pdf"'
    )
    check_pdf_structure(response.content)
    text = " ".join(drawn_text(response.content))
    assert shop.name in text
    assert "4 place du Marché" in text
    assert "Scannez pour voir nos produits et nos horaires" in text
    assert f"testserver/{shop.town.slug}/qr/{shop.slug}/" in text


def test_french_accents_ligatures_and_the_euro_sign_survive_in_the_poster() -> None:
    title = "é, è, à, ç, œ, Œ, €, « ô » ù ï"
    poster = Poster(
        title=title,
        subtitle="Pâtisserie",
        address="1 rue de l'Église, 61200 Argentan",
        town_name="Écouché-les-Vallées",
        platform_name="Centre-Ville en ligne",
        call_to_action="Scannez pour voir nos produits et nos horaires",
        url="https://centreville.example/ecouche-les-vallees/qr/patisserie/",
        brand_colour="#7a1f2b",
    )

    data = poster_pdf(poster)

    check_pdf_structure(data)
    assert b"/Encoding /WinAnsiEncoding" in data
    text = drawn_text(data)
    assert title in " ".join(text)  # perhaps on two lines
    assert "Écouché-les-Vallées" in text
    assert "1 rue de l'Église, 61200 Argentan" in text


def test_the_town_poster_names_the_town(shop: Shop) -> None:
    response = manager_of(shop).get(reverse("signage:town_poster", args=[shop.town.slug]))

    check_pdf_structure(response.content)
    text = " ".join(drawn_text(response.content))
    assert shop.town.name in text
    assert f"testserver/{shop.town.slug}/qr/" in text
