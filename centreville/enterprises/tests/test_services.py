"""Enterprises' writes: registration and its checks, profile, shops as buyers, places, members, photos, and
the producers a town shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centreville.accounts.tests.factories import UserFactory
from centreville.core.pagecache import town_versions
from centreville.core.tests.samples import valid_upload
from centreville.enterprises import services
from centreville.enterprises.models import (
    BuyerCategory,
    Enterprise,
    EnterpriseMember,
    EnterprisePhoto,
    LegalForm,
    PickupPlace,
    SpaceProducer,
    VatRegime,
)
from centreville.enterprises.signals import enterprise_changed
from centreville.enterprises.tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    valid_siret,
    vat_number_of,
)
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
BAD_SIRET = "73282932000075"  # the Luhn key of 73282932000074 changed


def farm(**overrides: Any) -> dict[str, Any]:
    siret = overrides.pop("siret", valid_siret(500))
    digits = "".join(siret.split())
    return {
        "name": "Ferme du Pré",
        "is_producer": True,
        "is_buyer": False,
        "siret": siret,
        "legal_form": LegalForm.GAEC,
        "vat_regime": VatRegime.REGISTERED,
        "vat_number": vat_number_of(digits) if digits.isdigit() else "",
        "street_address": "La Croix",
        "postcode": "61200",
        "city": "Sarceaux",
        "latitude": Decimal("48.720000"),
        "longitude": Decimal("-0.050000"),
        "email": "pre@example.fr",
        "labels": ["ab", "hve"],
        **overrides,
    }


@pytest.fixture
def collected() -> Iterator[list[Enterprise]]:
    """The enterprises `enterprise_changed` announces."""
    heard: list[Enterprise] = []

    def receiver(sender: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        heard.append(enterprise)

    enterprise_changed.connect(receiver, dispatch_uid="test-heard")
    yield heard
    enterprise_changed.disconnect(dispatch_uid="test-heard")


def test_registering_makes_the_enterprise_and_its_owner() -> None:
    user = UserFactory.create()

    enterprise = services.enterprise_register(
        user=user,
        fields=farm(siret=" " + " ".join(valid_siret(500)), labels=["hve", "ab", "ab"]),
    )

    assert enterprise.slug == "ferme-du-pre"
    assert enterprise.siret == valid_siret(500)
    assert enterprise.labels == ["ab", "hve"]
    member = EnterpriseMember.objects.get(enterprise=enterprise)
    assert (member.user, member.is_owner) == (user, True)
    # A second farm of that name gets its own address.
    other = services.enterprise_register(user=user, fields=farm(siret=valid_siret(501)))
    assert other.slug == "ferme-du-pre-2"


def test_a_name_that_is_a_page_of_pro_gets_another_address() -> None:
    enterprise = services.enterprise_register(user=UserFactory.create(), fields=farm(name="Inscription"))
    assert enterprise.slug == "inscription-2"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"siret": BAD_SIRET, "vat_number": ""}, "siret", "n'est pas un numéro SIRET valide"),
        ({"vat_number": vat_number_of(valid_siret(7))}, "vat_number", "ne correspond pas au SIREN"),
        ({"vat_number": ""}, "vat_number", "indique son numéro de TVA"),
        ({"vat_number": "FR00123456789"}, "vat_number", "numéro de TVA intracommunautaire"),
        ({"labels": ["bio-ish"]}, "labels", "Label inconnu"),
        ({"is_producer": False}, "__all__", "vend ses produits, achète"),
        ({"is_producer": False, "is_buyer": True}, "buyer_category", "type d'acheteur"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.enterprise_register(user=UserFactory.create(), fields=farm(**overrides))

    assert words in " ".join(refusal.value.message_dict[field])
    assert not Enterprise.objects.exists()
    assert not EnterpriseMember.objects.exists()


def test_franchise_and_flat_rate_farmers_need_no_vat_number() -> None:
    franchise = services.enterprise_register(
        user=UserFactory.create(), fields=farm(vat_regime=VatRegime.FRANCHISE, vat_number="")
    )
    assert franchise.vat_number == ""
    assert not franchise.charges_vat


@pytest.mark.parametrize("regime", [VatRegime.FRANCHISE, VatRegime.FLAT_RATE_FARMER])
def test_switching_out_of_vat_drops_the_vat_number(regime: str) -> None:
    enterprise = EnterpriseFactory.create(vat_regime=VatRegime.REGISTERED)
    assert enterprise.vat_number

    updated = services.enterprise_update(enterprise=enterprise, fields={"vat_regime": regime})
    registered = services.enterprise_register(
        user=UserFactory.create(), fields=farm(vat_regime=regime, siret=valid_siret(8))
    )

    enterprise.refresh_from_db()
    assert (updated.vat_number, enterprise.vat_number, registered.vat_number) == ("", "", "")


def test_an_update_of_position_or_labels_is_announced_after_commit(
    collected: list[Enterprise], django_capture_on_commit_callbacks: Capture
) -> None:
    enterprise = EnterpriseFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(enterprise=enterprise, fields={"description": "Vaches normandes"})
    assert collected == []

    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(enterprise=enterprise, fields={"labels": ["ab"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(enterprise=enterprise, fields={"latitude": Decimal("48.800000")})

    assert [item.pk for item in collected] == [enterprise.pk, enterprise.pk]
    enterprise.refresh_from_db()
    assert (enterprise.description, enterprise.labels) == ("Vaches normandes", ["ab"])


def test_a_refused_update_changes_nothing(collected: list[Enterprise]) -> None:
    enterprise = EnterpriseFactory.create()
    siret = enterprise.siret

    with pytest.raises(ValidationError):
        services.enterprise_update(enterprise=enterprise, fields={"siret": BAD_SIRET, "labels": ["ab"]})

    enterprise.refresh_from_db()
    assert (enterprise.siret, enterprise.labels) == (siret, [])
    assert collected == []


def test_a_shop_member_makes_the_shops_buyer_enterprise_with_the_shops_people() -> None:
    shop = ShopFactory.create(siret=valid_siret(600))
    merchant = ShopMembershipFactory.create(shop=shop).user
    partner = ShopMembershipFactory.create(shop=shop).user
    fields = farm(siret=shop.siret, is_producer=False, name=shop.name)

    enterprise = services.enterprise_create_for_shop(shop=shop, user=merchant, fields=fields)

    assert enterprise.shop == shop
    assert (enterprise.is_buyer, enterprise.is_producer, enterprise.buyer_category) == (
        True,
        False,
        BuyerCategory.SHOP,
    )
    assert dict(enterprise.members.values_list("user_id", "is_owner")) == {
        merchant.pk: True,
        partner.pk: False,
    }
    with pytest.raises(ValidationError, match="déjà son entreprise acheteuse"):
        services.enterprise_create_for_shop(shop=shop, user=partner, fields=fields)


def test_only_a_member_of_the_shop_may_make_its_buyer_enterprise() -> None:
    shop = ShopFactory.create()

    with pytest.raises(PermissionDenied):
        services.enterprise_create_for_shop(shop=shop, user=UserFactory.create(), fields=farm())

    assert not Enterprise.objects.exists()


def test_pickup_places_are_checked_with_the_opening_hours_parser(
    collected: list[Enterprise], django_capture_on_commit_callbacks: Capture
) -> None:
    enterprise = EnterpriseFactory.create()
    fields = {"name": "Hangar", "street_address": "La Croix", "postcode": "61200", "city": "Sarceaux"}

    with pytest.raises(ValidationError) as refusal:
        services.pickup_place_create(enterprise=enterprise, fields={**fields, "opening_hours": "mardi soir"})
    assert "Créneaux illisibles : « mardi soir »" in refusal.value.message_dict["opening_hours"][0]
    assert not PickupPlace.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        place = services.pickup_place_create(
            enterprise=enterprise, fields={**fields, "opening_hours": " Tu,Fr  17:00-19:00 "}
        )
    assert place.opening_hours == "Tu,Fr 17:00-19:00"

    with django_capture_on_commit_callbacks(execute=True):
        services.pickup_place_update(place=place, fields={"opening_hours": "Sa 09:00-12:00"})
    with django_capture_on_commit_callbacks(execute=True):
        services.pickup_place_deactivate(place=place)

    place.refresh_from_db()
    assert (place.opening_hours, place.is_active) == ("Sa 09:00-12:00", False)
    assert len(collected) == 3


def test_a_place_needs_both_coordinates_or_neither() -> None:
    enterprise = EnterpriseFactory.create()
    with pytest.raises(ValidationError, match="latitude et la longitude"):
        services.pickup_place_create(
            enterprise=enterprise,
            fields={
                "name": "Hangar",
                "street_address": "La Croix",
                "postcode": "61200",
                "city": "Sarceaux",
                "opening_hours": "Sa 09:00-12:00",
                "latitude": Decimal("48.7"),
                "longitude": None,
            },
        )


def test_a_buyer_has_no_pickup_places() -> None:
    buyer = EnterpriseFactory.create(is_producer=False, is_buyer=True, buyer_category=BuyerCategory.GROCER)
    with pytest.raises(ValidationError, match="Seul un producteur"):
        services.pickup_place_create(
            enterprise=buyer,
            fields={
                "name": "Ici",
                "street_address": "x",
                "postcode": "61200",
                "city": "A",
                "opening_hours": "24/7",
            },
        )


def test_owners_add_members_by_the_email_of_their_account() -> None:
    owner = EnterpriseMemberFactory.create()
    enterprise = owner.enterprise
    colleague = UserFactory.create(email="paul@example.fr")

    with pytest.raises(ValidationError) as refusal:
        services.member_add(enterprise=enterprise, email="inconnu@example.fr", by=owner.user)
    assert "Aucun compte n'utilise l'adresse « inconnu@example.fr »" in refusal.value.message_dict["email"][0]

    member = services.member_add(enterprise=enterprise, email=" Paul@Example.fr ", by=owner.user)
    assert (member.user, member.is_owner) == (colleague, False)

    with pytest.raises(ValidationError, match="déjà membre"):
        services.member_add(enterprise=enterprise, email="paul@example.fr", by=owner.user)
    with pytest.raises(PermissionDenied):
        services.member_add(enterprise=enterprise, email=owner.user.email, by=colleague)


def test_the_last_owner_is_never_removed() -> None:
    owner = EnterpriseMemberFactory.create()
    other = EnterpriseMemberFactory.create(enterprise=owner.enterprise, is_owner=False)

    with pytest.raises(ValidationError, match="au moins un responsable"):
        services.member_remove(member=owner, by=owner.user)
    with pytest.raises(PermissionDenied):
        services.member_remove(member=owner, by=other.user)

    services.member_remove(member=other, by=other.user)  # anyone may leave
    assert list(EnterpriseMember.objects.values_list("pk", flat=True)) == [owner.pk]


def test_photos_are_reencoded_limited_and_removed() -> None:
    enterprise = EnterpriseFactory.create()

    photo = services.enterprise_photo_add(
        enterprise=enterprise, upload=valid_upload(), alt_text=" Le troupeau "
    )
    assert (photo.alt_text, photo.position, photo.width) == ("Le troupeau", 0, 400)
    for _n in range(services.MAX_ENTERPRISE_PHOTOS - 1):
        services.enterprise_photo_add(enterprise=enterprise, upload=valid_upload(), alt_text="Le pré")
    with pytest.raises(ValidationError, match="8 photos au plus"):
        services.enterprise_photo_add(enterprise=enterprise, upload=valid_upload(), alt_text="De trop")

    services.enterprise_photo_remove(photo=photo)
    assert list(EnterprisePhoto.objects.values_list("position", flat=True).order_by("position")) == list(
        range(7)
    )


def test_a_town_team_shows_and_hides_a_producer(django_capture_on_commit_callbacks: Capture) -> None:
    town = TownFactory.create()
    producer = EnterpriseFactory.create()
    manager = UserFactory.create()
    before = town_versions((town.pk,))

    with django_capture_on_commit_callbacks(execute=True):
        services.space_producer_add(town=town, enterprise=producer, by=manager)
        services.space_producer_add(town=town, enterprise=producer, by=manager)

    chosen = SpaceProducer.objects.get()
    assert (chosen.town, chosen.enterprise, chosen.added_by) == (town, producer, manager)
    assert town_versions((town.pk,)) != before

    services.space_producer_remove(town=town, enterprise=producer, by=manager)
    assert not SpaceProducer.objects.exists()


def test_a_buyer_or_a_closed_producer_cannot_be_shown() -> None:
    town = TownFactory.create()
    buyer = EnterpriseFactory.create(
        is_producer=False, is_buyer=True, buyer_category=BuyerCategory.RESTAURANT
    )
    closed = EnterpriseFactory.create(is_active=False)

    for enterprise in (buyer, closed):
        with pytest.raises(ValidationError, match="producteur en activité"):
            services.space_producer_add(town=town, enterprise=enterprise, by=None)
    assert not SpaceProducer.objects.exists()
