"""The pages under /pro/: each form works by POST, strangers are sent to log in or refused, bad input
changes nothing, and an enterprise's home reads a fixed number of queries."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from centreville.accounts.tests.factories import UserFactory
from centreville.core.tests.samples import valid_upload
from centreville.enterprises import services
from centreville.enterprises.models import Enterprise, EnterpriseMember, EnterprisePhoto, PickupPlace
from centreville.enterprises.tests.factories import (
    EnterpriseMemberFactory,
    PickupPlaceFactory,
    valid_siret,
    vat_number_of,
)
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.validators import validate_space_slug

pytestmark = pytest.mark.django_db

BAD_SIRET = "73282932000075"


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def registration(**overrides: Any) -> dict[str, Any]:
    siret = valid_siret(900)
    return {
        "kind": "producer",
        "name": "Ferme des Saules",
        "siret": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}",
        "legal_form": "earl",
        "vat_regime": "registered",
        "vat_number": vat_number_of(siret),
        "street_address": "Les Saules",
        "postcode": "61200",
        "city": "Moulins-sur-Orne",
        "latitude": "48,730000",
        "longitude": "-0,060000",
        "email": "saules@example.fr",
        "labels": ["ab"],
        "service_radius_km": "40",
        **overrides,
    }


@pytest.fixture
def owner() -> EnterpriseMember:
    member: EnterpriseMember = EnterpriseMemberFactory.create(enterprise__slug="ferme-du-pre")
    return member


def test_pro_is_for_accounts_and_lists_mine_and_the_ways_to_register() -> None:
    member = EnterpriseMemberFactory.create(enterprise__name="Ferme du Pré")
    shop = ShopFactory.create(name="Épicerie Vallée")
    ShopMembershipFactory.create(shop=shop, user=member.user)

    anonymous = Client().get("/pro/")
    page = client_of(member.user).get("/pro/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    text = text_of(page)
    assert "Ferme du Pré" in text
    assert reverse("enterprises_pro:home", args=[member.enterprise.slug]) in text
    for words in (
        "Inscrire mon exploitation",
        "Inscrire mon entreprise acheteuse",
        "Acheter pour ma boutique",
    ):
        assert words in text
    assert reverse("enterprises_pro:register_shop", args=[shop.pk]) in text
    assert reverse("lots_platform:around") in text  # the exchange of every producer


def test_a_producer_registers() -> None:
    user = UserFactory.create()

    response = client_of(user).post("/pro/inscription/", registration())

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pro/{enterprise.slug}/"
    assert (enterprise.siret, enterprise.is_producer, enterprise.is_buyer) == (valid_siret(900), True, False)
    assert str(enterprise.latitude) == "48.730000"
    assert enterprise.members.get().user == user


def test_a_buyer_registers_with_its_category() -> None:
    client = client_of(UserFactory.create())

    refused = client.post("/pro/inscription/", registration(kind="buyer"))
    accepted = client.post("/pro/inscription/", registration(kind="buyer", buyer_category="canteen"))

    assert refused.status_code == 422
    assert "Indiquez quel type d'acheteur vous êtes." in text_of(refused)
    assert accepted.status_code == 302
    assert Enterprise.objects.get().buyer_category == "canteen"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"siret": BAD_SIRET}, "« 73282932000075 » n'est pas un numéro SIRET valide"),
        ({"vat_number": vat_number_of(valid_siret(3))}, "Le numéro de TVA ne correspond pas au SIREN"),
        ({"latitude": "148"}, "inférieure ou égale à 90"),
    ],
)
def test_bad_registration_shows_a_french_error_and_writes_nothing(
    overrides: dict[str, Any], words: str
) -> None:
    response = client_of(UserFactory.create()).post("/pro/inscription/", registration(**overrides))

    assert response.status_code == 422
    assert words in text_of(response)
    assert not Enterprise.objects.exists()


def test_the_registration_form_is_pre_filled_for_a_kind() -> None:
    page = client_of(UserFactory.create(email="jeanne@example.fr")).get("/pro/inscription/?type=acheteur")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*value="buyer"[^>]*checked', text_of(page))
    assert 'value="jeanne@example.fr"' in text_of(page)


def test_a_shop_member_registers_the_shop_as_a_buyer_from_its_details() -> None:
    shop = ShopFactory.create(name="Épicerie Vallée", siret=valid_siret(950), email="vallee@example.fr")
    merchant = ShopMembershipFactory.create(shop=shop).user
    client = client_of(merchant)
    url = f"/pro/boutique/{shop.pk}/"

    form = client.get(url)
    assert form.status_code == 200
    assert valid_siret(950) in text_of(form)
    data = {
        "name": shop.name,
        "siret": shop.siret,
        "legal_form": "sarl",
        "vat_regime": "registered",
        "vat_number": vat_number_of(shop.siret),
        "street_address": shop.street_address,
        "postcode": shop.postcode,
        "city": shop.city,
        "latitude": "48,744000",
        "longitude": "-0,020000",
        "email": shop.email,
    }
    response = client.post(url, data)

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert (enterprise.shop, enterprise.buyer_category, enterprise.is_buyer) == (shop, "shop", True)
    # Once made, the address leads to it.
    assert client.get(url)["Location"] == f"/pro/{enterprise.slug}/"


def test_someone_outside_the_shop_cannot_register_it() -> None:
    shop = ShopFactory.create()
    response = client_of(UserFactory.create()).post(f"/pro/boutique/{shop.pk}/", {"name": "x"})
    assert response.status_code == 403
    assert not Enterprise.objects.exists()


def test_the_enterprise_home_shows_identity_places_in_words_and_members(
    owner: EnterpriseMember, django_assert_max_num_queries: Any
) -> None:
    enterprise = owner.enterprise
    enterprise.labels = ["ab", "label_rouge"]
    enterprise.save()
    PickupPlaceFactory.create(enterprise=enterprise, name="À la ferme", opening_hours="Tu,Fr 17:00-19:00")
    PickupPlaceFactory.create(enterprise=enterprise, name="Marché", opening_hours="Sa 08:00-12:30")
    EnterpriseMemberFactory.create_batch(3, enterprise=enterprise, is_owner=False)
    services.enterprise_photo_add(enterprise=enterprise, upload=valid_upload(), alt_text="Le troupeau")
    client = client_of(owner.user)
    client.get("/pro/ferme-du-pre/")  # session and templates warmed

    # Session, user, enterprise, membership, then places, members and photos: whatever their number.
    with django_assert_max_num_queries(7):
        page = client.get("/pro/ferme-du-pre/")

    text = text_of(page)
    assert page.status_code == 200
    assert enterprise.siret in text
    assert "Assujetti à la TVA" in text
    assert "Agriculture biologique (AB), Label Rouge" in text
    assert "Mardi : de 17:00 à 19:00" in text
    assert "Samedi : de 08:00 à 12:30" in text
    assert owner.user.get_full_name() in text
    assert 'alt="Le troupeau"' in text


@pytest.mark.parametrize("page", ["", "profil/", "lieux/", "membres/"])
def test_an_enterprise_page_is_its_members_only(owner: EnterpriseMember, page: str) -> None:
    url = f"/pro/ferme-du-pre/{page}"

    anonymous = Client().get(url)
    stranger = client_of(UserFactory.create()).get(url)
    member = client_of(owner.user).get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert stranger.status_code == 403
    assert member.status_code == 200


def test_the_profile_form_saves_and_refuses_a_bad_siret(owner: EnterpriseMember) -> None:
    enterprise = owner.enterprise
    client = client_of(owner.user)
    data = {
        "name": "Ferme du Pré neuf",
        "siret": enterprise.siret,
        "legal_form": "gaec",
        "vat_regime": "registered",
        "vat_number": enterprise.vat_number,
        "street_address": "Le Bourg",
        "postcode": "61200",
        "city": "Argentan",
        "latitude": "48,744900",
        "longitude": "-0,020300",
        "email": "pre@example.fr",
        "labels": ["hve"],
        "service_radius_km": "25",
    }

    refused = client.post("/pro/ferme-du-pre/profil/", {**data, "siret": BAD_SIRET})
    enterprise.refresh_from_db()
    assert refused.status_code == 422
    assert "n'est pas un numéro SIRET valide" in text_of(refused)
    assert enterprise.name != "Ferme du Pré neuf"

    accepted = client.post("/pro/ferme-du-pre/profil/", data)
    enterprise.refresh_from_db()
    assert accepted.status_code == 302
    assert (enterprise.name, enterprise.labels, enterprise.service_radius_km) == (
        "Ferme du Pré neuf",
        ["hve"],
        25,
    )


def test_photos_are_added_and_removed_from_the_profile(owner: EnterpriseMember) -> None:
    client = client_of(owner.user)

    added = client.post(
        "/pro/ferme-du-pre/photos/", {"photo-upload": valid_upload(), "photo-alt_text": "Le troupeau"}
    )
    photo = EnterprisePhoto.objects.get()
    refused = client.post("/pro/ferme-du-pre/photos/", {"photo-alt_text": "Sans fichier"})
    removed = client.post(f"/pro/ferme-du-pre/photos/{photo.pk}/retirer/")

    assert added.status_code == 302
    assert refused.status_code == 422
    assert removed.status_code == 302
    assert not EnterprisePhoto.objects.exists()


def test_pickup_places_are_added_edited_and_closed(owner: EnterpriseMember) -> None:
    client = client_of(owner.user)
    data = {
        "name": "Hangar",
        "street_address": "La Croix",
        "postcode": "61200",
        "city": "Sarceaux",
        "opening_hours": "Tu,Fr 17:00-19:00",
        "latitude": "",
        "longitude": "",
    }

    refused = client.post("/pro/ferme-du-pre/lieux/", {**data, "opening_hours": "le mardi"})
    assert refused.status_code == 422
    assert "Créneaux illisibles : « le mardi »" in text_of(refused)
    assert not PickupPlace.objects.exists()

    assert client.post("/pro/ferme-du-pre/lieux/", data).status_code == 302
    place = PickupPlace.objects.get()
    assert client.get(f"/pro/ferme-du-pre/lieux/{place.pk}/").status_code == 200
    edited = client.post(f"/pro/ferme-du-pre/lieux/{place.pk}/", {**data, "opening_hours": "Sa 09:00-12:00"})
    closed = client.post(f"/pro/ferme-du-pre/lieux/{place.pk}/fermer/")

    place.refresh_from_db()
    assert edited.status_code == 302
    assert closed.status_code == 302
    assert (place.opening_hours, place.is_active) == ("Sa 09:00-12:00", False)


def test_a_stranger_cannot_touch_the_places(owner: EnterpriseMember) -> None:
    place = PickupPlaceFactory.create(enterprise=owner.enterprise)
    response = client_of(UserFactory.create()).post(f"/pro/ferme-du-pre/lieux/{place.pk}/fermer/")
    place.refresh_from_db()
    assert response.status_code == 403
    assert place.is_active


def test_a_buyer_has_no_places_page() -> None:
    member = EnterpriseMemberFactory.create(
        enterprise__slug="bistrot", enterprise__is_producer=False, enterprise__is_buyer=True,
        enterprise__buyer_category="restaurant",
    )  # fmt: skip
    assert client_of(member.user).get("/pro/bistrot/lieux/").status_code == 404


def test_owners_add_and_remove_members(owner: EnterpriseMember) -> None:
    client = client_of(owner.user)
    colleague = UserFactory.create(email="paul@example.fr")

    unknown = client.post("/pro/ferme-du-pre/membres/", {"email": "personne@example.fr"})
    added = client.post("/pro/ferme-du-pre/membres/", {"email": "paul@example.fr"})
    member = EnterpriseMember.objects.get(user=colleague)
    last_owner = client.post(f"/pro/ferme-du-pre/membres/{owner.pk}/retirer/", follow=True)
    removed = client.post(f"/pro/ferme-du-pre/membres/{member.pk}/retirer/")

    assert unknown.status_code == 422
    assert "Aucun compte n'utilise l'adresse « personne@example.fr »" in text_of(unknown)
    assert added.status_code == 302
    assert "au moins un responsable" in text_of(last_owner)
    assert removed.status_code == 302
    assert list(EnterpriseMember.objects.values_list("pk", flat=True)) == [owner.pk]


def test_a_member_who_is_not_an_owner_cannot_add_members(owner: EnterpriseMember) -> None:
    member = EnterpriseMemberFactory.create(enterprise=owner.enterprise, is_owner=False)
    UserFactory.create(email="paul@example.fr")
    response = client_of(member.user).post("/pro/ferme-du-pre/membres/", {"email": "paul@example.fr"})
    assert response.status_code == 403
    assert owner.enterprise.members.count() == 2


def test_pro_is_not_a_town_address() -> None:
    with pytest.raises(ValidationError, match="réservée par la plateforme"):
        validate_space_slug("pro")


def test_a_closed_place_is_opened_again(owner: EnterpriseMember) -> None:
    place = PickupPlaceFactory.create(enterprise=owner.enterprise, name="Marché", is_active=False)
    client = client_of(owner.user)

    listed = text_of(client.get("/pro/ferme-du-pre/lieux/"))
    reopened = client.post(f"/pro/ferme-du-pre/lieux/{place.pk}/rouvrir/")

    place.refresh_from_db()
    assert "Rouvrir ce lieu" in listed
    assert reopened.status_code == 302
    assert place.is_active


def test_a_stranger_cannot_reopen_a_place(owner: EnterpriseMember) -> None:
    place = PickupPlaceFactory.create(enterprise=owner.enterprise, is_active=False)

    response = client_of(UserFactory.create()).post(f"/pro/ferme-du-pre/lieux/{place.pk}/rouvrir/")

    place.refresh_from_db()
    assert response.status_code == 403
    assert not place.is_active


def test_the_producers_home_leads_to_its_lots_and_invoices(owner: EnterpriseMember) -> None:
    home = client_of(owner.user).get("/pro/ferme-du-pre/").content.decode()

    assert 'href="/pro/ferme-du-pre/lots/"' in home
    assert 'href="/pro/ferme-du-pre/factures/"' in home


def test_the_profile_asks_each_kind_only_what_concerns_it(owner: EnterpriseMember) -> None:
    buyer = EnterpriseMemberFactory.create(
        enterprise__slug="bistrot", enterprise__is_producer=False, enterprise__is_buyer=True,
        enterprise__buyer_category="restaurant",
    )  # fmt: skip

    producer_page = text_of(client_of(owner.user).get("/pro/ferme-du-pre/profil/"))
    buyer_page = text_of(client_of(buyer.user).get("/pro/bistrot/profil/"))

    assert 'name="buyer_category"' not in producer_page
    assert 'name="service_radius_km"' in producer_page
    assert 'name="buyer_category"' in buyer_page
    assert 'name="service_radius_km"' not in buyer_page
    assert 'name="labels"' not in buyer_page
