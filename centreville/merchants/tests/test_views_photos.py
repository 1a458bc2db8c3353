"""Merchant photo pages: who may reach them, and each step done with plain forms (no JavaScript)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.models import ProductPhoto
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import stored_files, upload, valid_upload
from centreville.shops.models import Shop, ShopPhoto
from centreville.shops.photos import MAX_SHOP_PHOTOS, shop_photo_add
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return ShopFactory.create(name="Fromagerie Lebrun")


@pytest.fixture
def merchant(shop: Shop) -> User:
    user: User = ShopMembershipFactory.create(shop=shop).user
    return user


def photos_url(shop: Shop) -> str:
    return reverse("merchants:shop_photos", args=[shop.town.slug, shop.slug])


def add(shop: Shop, alt_text: str) -> ShopPhoto:
    return shop_photo_add(shop=shop, upload=valid_upload(), alt_text=alt_text)


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client: Client, shop: Shop) -> None:
    response = client.get(photos_url(shop))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_merchant_sees_the_photos_with_their_descriptions(shop: Shop, merchant: User) -> None:
    add(shop, "Le comptoir des fromages")

    response = as_user(merchant).get(photos_url(shop))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Le comptoir des fromages"' in page
    assert 'accept="image/*"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "Que montre la photo ?" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("merchant_of_another_shop", 403),
        ("manager", 200),
        ("manager_of_another_town", 403),
        ("resident", 403),
        ("platform_admin", 200),
    ],
)
def test_who_may_manage_a_shops_photos(shop: Shop, who: str, status: int) -> None:
    if who == "merchant_of_another_shop":
        user = ShopMembershipFactory.create(shop=ShopFactory.create(town=shop.town)).user
    elif who == "manager":
        user = TownRoleFactory.create(town=shop.town, role=Role.MANAGER).user
    elif who == "manager_of_another_town":
        user = TownRoleFactory.create(town=TownFactory.create(), role=Role.MANAGER).user
    elif who == "platform_admin":
        user = UserFactory.create(is_superuser=True, is_staff=True)
    else:
        user = UserFactory.create()

    client = as_user(user)

    assert client.get(photos_url(shop)).status_code == status
    response = client.post(photos_url(shop), {"upload": valid_upload(), "alt_text": "Intrus"})
    assert response.status_code == (302 if status == 200 else status)
    assert ShopPhoto.objects.filter(alt_text="Intrus").exists() == (status == 200)


def test_a_shop_is_not_reachable_through_another_town(shop: Shop, merchant: User) -> None:
    other_town = TownFactory.create()

    url = reverse("merchants:shop_photos", args=[other_town.slug, shop.slug])

    assert as_user(merchant).get(url).status_code == 404


def test_uploading_a_photo_adds_it_and_comes_back_to_the_list(shop: Shop, merchant: User) -> None:
    client = as_user(merchant)

    response = client.post(
        photos_url(shop), {"upload": valid_upload(), "alt_text": "La vitrine de Noël"}, follow=True
    )

    assert response.redirect_chain == [(photos_url(shop), 302)]
    assert "La photo est ajoutée." in response.content.decode()
    assert ShopPhoto.objects.get(shop=shop).alt_text == "La vitrine de Noël"


def test_a_file_that_is_no_photo_gets_a_french_error_and_changes_nothing(shop: Shop, merchant: User) -> None:
    files = stored_files()

    response = as_user(merchant).post(
        photos_url(shop),
        {
            "upload": upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "vitrine.jpg"),
            "alt_text": "La vitrine",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas une photo au format JPEG, PNG ou WebP." in page
    assert 'value="La vitrine"' in page  # what was typed is kept
    assert not ShopPhoto.objects.exists()
    assert stored_files() == files


def test_a_photo_without_description_is_refused(shop: Shop, merchant: User) -> None:
    response = as_user(merchant).post(photos_url(shop), {"upload": valid_upload(), "alt_text": ""})

    assert "Dites en quelques mots ce que montre la photo." in response.content.decode()
    assert not ShopPhoto.objects.exists()


def test_the_upload_form_gives_way_to_a_notice_at_the_limit(shop: Shop, merchant: User) -> None:
    for number in range(MAX_SHOP_PHOTOS):
        add(shop, f"Photo {number}")

    page = as_user(merchant).get(photos_url(shop)).content.decode()

    assert 'type="file"' not in page
    assert "Vous avez atteint le maximum de 8 photos" in page


def test_photos_move_up_and_down_with_plain_forms(client: Client, shop: Shop, merchant: User) -> None:
    first, second = add(shop, "un"), add(shop, "deux")
    client = as_user(merchant)
    move_url = reverse("merchants:shop_photo_move", args=[shop.town.slug, shop.slug, second.pk])

    response = client.post(move_url, {"direction": "up"})

    assert response.status_code == 302
    assert response["Location"] == f"{photos_url(shop)}#photo-{second.pk}"
    assert list(ShopPhoto.objects.filter(shop=shop).values_list("pk", flat=True)) == [second.pk, first.pk]
    assert client.get(move_url).status_code == 405


def test_removing_asks_first_then_removes(shop: Shop, merchant: User) -> None:
    photo = add(shop, "La façade")
    client = as_user(merchant)
    remove_url = reverse("merchants:shop_photo_remove", args=[shop.town.slug, shop.slug, photo.pk])

    confirmation = client.get(remove_url)
    assert confirmation.status_code == 200
    assert "Retirer cette photo ?" in confirmation.content.decode()
    assert ShopPhoto.objects.filter(pk=photo.pk).exists()

    response = client.post(remove_url)
    assert response.status_code == 302
    assert not ShopPhoto.objects.filter(pk=photo.pk).exists()


def test_a_photo_of_another_shop_cannot_be_reached_through_mine(shop: Shop, merchant: User) -> None:
    theirs = add(ShopFactory.create(town=shop.town), "Leur vitrine")

    url = reverse("merchants:shop_photo_remove", args=[shop.town.slug, shop.slug, theirs.pk])

    assert as_user(merchant).post(url).status_code == 404
    assert ShopPhoto.objects.filter(pk=theirs.pk).exists()


def test_the_description_can_be_corrected(shop: Shop, merchant: User) -> None:
    photo = add(shop, "Photo")
    client = as_user(merchant)
    url = reverse("merchants:shop_photo_update", args=[shop.town.slug, shop.slug, photo.pk])

    client.post(url, {f"photo-{photo.pk}-alt_text": "Le rayon des chèvres"})
    refused = client.post(url, {f"photo-{photo.pk}-alt_text": ""})

    assert ShopPhoto.objects.get(pk=photo.pk).alt_text == "Le rayon des chèvres"
    assert "Dites en quelques mots ce que montre la photo." in refused.content.decode()


def test_product_photos_follow_the_product_permission(shop: Shop, merchant: User) -> None:
    product = ProductFactory.create(shop=shop, title="Tomme de vache")
    url = reverse("merchants:product_photos", args=[shop.town.slug, shop.slug, product.slug])
    stranger = ShopMembershipFactory.create(shop=ShopFactory.create(town=shop.town)).user

    assert as_user(stranger).get(url).status_code == 403
    response = as_user(merchant).post(url, {"upload": valid_upload(), "alt_text": "Une tomme entière"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert ProductPhoto.objects.get(product=product).alt_text == "Une tomme entière"


def test_product_photo_pages_list_move_and_remove(shop: Shop, merchant: User) -> None:
    product = ProductFactory.create(shop=shop)
    first = product_photo_add(product=product, upload=valid_upload(), alt_text="Vue de face")
    second = product_photo_add(product=product, upload=valid_upload(), alt_text="Vue de dos")
    client = as_user(merchant)
    args = [shop.town.slug, shop.slug, product.slug]

    page = client.get(reverse("merchants:product_photos", args=args)).content.decode()
    client.post(reverse("merchants:product_photo_move", args=[*args, second.pk]), {"direction": "up"})
    client.post(reverse("merchants:product_photo_remove", args=[*args, first.pk]))

    assert 'alt="Vue de face"' in page
    assert 'alt="Vue de dos"' in page
    assert list(ProductPhoto.objects.filter(product=product).values_list("pk", "position")) == [
        (second.pk, 0)
    ]


def test_a_product_of_another_shop_is_not_reachable_through_mine(shop: Shop, merchant: User) -> None:
    theirs = ProductFactory.create(shop=ShopFactory.create(town=shop.town))

    url = reverse("merchants:product_photos", args=[shop.town.slug, shop.slug, theirs.slug])

    assert as_user(merchant).get(url).status_code == 404
