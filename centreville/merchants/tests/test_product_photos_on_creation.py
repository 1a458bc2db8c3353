"""A new product gets its first photos from its creation form: from the library or the camera, checked
before anything is saved, and a refused file leaves the product uncreated and what was typed in the form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.catalogue.models import Product, ProductPhoto
from centreville.catalogue.photos import MAX_PRODUCT_PHOTOS
from centreville.core.tests.samples import upload, valid_upload
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    shop: Shop = ShopFactory.create(name="Fromagerie Lebrun")
    return shop


@pytest.fixture
def merchant_client(client: Client, shop: Shop) -> Client:
    client.force_login(ShopMembershipFactory.create(shop=shop).user)
    return client


def create_url(shop: Shop) -> str:
    return reverse("merchants:product_create", args=[shop.town.slug, shop.slug])


def product_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Comté 18 mois",
        "price": "24,90",
        "stock": "6",
        "is_visible": "on",
        "description": "Affiné en cave.",
        "reference": "",
        "variantes-TOTAL_FORMS": "1",
        "variantes-INITIAL_FORMS": "0",
        "variantes-MIN_NUM_FORMS": "0",
        "variantes-MAX_NUM_FORMS": "50",
    }
    data.update(changes)
    return data


def test_the_creation_page_offers_photos_from_the_library_and_the_camera(
    merchant_client: Client, shop: Shop
) -> None:
    page = merchant_client.get(create_url(shop)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'name="photos-photos" accept="image/*"' in page
    assert "multiple" in page.split('name="photos-photos"', 1)[1].split(">", 1)[0]
    assert 'capture="environment"' in page.split('name="photos-camera"', 1)[1].split(">", 1)[0]
    assert "Que montrent les photos ?" in page


def test_the_edit_page_keeps_its_own_photo_page(merchant_client: Client, shop: Shop) -> None:
    product = Product.objects.create(town=shop.town, shop=shop, title="Brie", slug="brie", price=Decimal(5))

    page = merchant_client.get(
        reverse("merchants:product_edit", args=[shop.town.slug, shop.slug, product.slug])
    ).content.decode()

    assert 'name="photos-photos"' not in page
    assert "Photos du produit" in page


def test_a_product_is_created_with_two_library_photos_and_one_from_the_camera(
    merchant_client: Client, shop: Shop
) -> None:
    response = merchant_client.post(
        create_url(shop),
        product_post(
            **{
                "photos-photos": [valid_upload(), valid_upload((300, 500))],
                "photos-camera": valid_upload((640, 480)),
                "photos-photo_alt": "Une meule de comté entamée",
            }
        ),
    )

    product = Product.objects.get(shop=shop, title="Comté 18 mois")
    assert response.status_code == 302
    photos = list(ProductPhoto.objects.filter(product=product).order_by("position"))
    assert [photo.position for photo in photos] == [0, 1, 2]
    assert {photo.alt_text for photo in photos} == {"Une meule de comté entamée"}
    assert (photos[1].width, photos[1].height) == (300, 500)
    followed = merchant_client.get(response["Location"]).content.decode()
    assert "« Comté 18 mois » est enregistré, avec 3 photos." in followed


def test_without_a_description_the_photos_are_described_by_the_title(
    merchant_client: Client, shop: Shop
) -> None:
    merchant_client.post(create_url(shop), product_post(**{"photos-photos": [valid_upload()]}))

    assert ProductPhoto.objects.get().alt_text == "Comté 18 mois"


def test_a_product_is_created_without_any_photo(merchant_client: Client, shop: Shop) -> None:
    response = merchant_client.post(create_url(shop), product_post())

    assert response.status_code == 302
    assert Product.objects.filter(shop=shop, title="Comté 18 mois").exists()
    assert not ProductPhoto.objects.exists()


def test_a_refused_photo_creates_nothing_and_keeps_what_was_typed(
    merchant_client: Client, shop: Shop
) -> None:
    response = merchant_client.post(
        create_url(shop),
        product_post(
            **{
                "photos-photos": [valid_upload(), upload(b"<?php echo 1; ?>", name="vitrine.jpg")],
                "photos-photo_alt": "Une meule",
            }
        ),
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "« vitrine.jpg » : Ce fichier n&#x27;est pas une photo au format JPEG, PNG ou WebP." in page
    assert 'value="Comté 18 mois"' in page
    assert 'value="24,90"' in page
    assert "Affiné en cave." in page
    assert 'value="Une meule"' in page
    assert "choisissez à nouveau vos photos" in page
    assert not Product.objects.filter(shop=shop).exists()
    assert not ProductPhoto.objects.exists()


def test_a_refused_product_field_keeps_the_form_and_asks_for_the_photos_again(
    merchant_client: Client, shop: Shop
) -> None:
    response = merchant_client.post(
        create_url(shop), product_post(price="gratuit", **{"photos-photos": [valid_upload()]})
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Prix « gratuit » illisible" in page
    assert "choisissez à nouveau vos photos" in page
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()


def test_more_photos_than_a_product_shows_are_refused(merchant_client: Client, shop: Shop) -> None:
    too_many = [valid_upload((120, 120)) for _ in range(MAX_PRODUCT_PHOTOS + 1)]

    response = merchant_client.post(create_url(shop), product_post(**{"photos-photos": too_many}))

    assert response.status_code == 422
    expected = f"{MAX_PRODUCT_PHOTOS + 1} photos choisies : {MAX_PRODUCT_PHOTOS} au plus"
    assert expected in response.content.decode()
    assert not Product.objects.exists()
