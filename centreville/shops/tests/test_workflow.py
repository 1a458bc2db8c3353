"""The shop workflow: one transition map, enforced with permissions and recorded with who and when."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.shops import services
from centreville.shops.models import Shop, ShopStatus, ShopStatusChange
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict:
    town = TownFactory.create()
    shop = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    return {
        "shop": shop,
        "merchant": ShopMembershipFactory.create(shop=shop).user,
        "manager": TownRoleFactory.create(town=town, role=Role.MANAGER).user,
        "other_manager": TownRoleFactory.create(role=Role.MANAGER).user,
        "resident": UserFactory.create(),
    }


def test_a_shop_goes_from_draft_to_published_and_keeps_its_history(people: dict) -> None:
    shop = people["shop"]

    services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])
    services.shop_transition(shop=shop, to_status=ShopStatus.PUBLISHED, actor=people["manager"])
    services.shop_transition(shop=shop, to_status=ShopStatus.HIDDEN, actor=people["merchant"])
    services.shop_transition(shop=shop, to_status=ShopStatus.CLOSED, actor=people["merchant"])

    shop.refresh_from_db()
    assert shop.status == ShopStatus.CLOSED
    steps = list(ShopStatusChange.objects.filter(shop=shop).values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("draft", "submitted", people["merchant"].pk),
        ("submitted", "published", people["manager"].pk),
        ("published", "hidden", people["merchant"].pk),
        ("hidden", "closed", people["merchant"].pk),
    ]
    assert Shop.objects.filter(pk=shop.pk).exists()  # closed shops keep their history


def test_a_rejection_needs_a_reason_which_the_merchant_sees(people: dict) -> None:
    shop = people["shop"]
    services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])

    with pytest.raises(ValidationError) as error:
        services.shop_transition(
            shop=shop, to_status=ShopStatus.REJECTED, actor=people["manager"], reason="  "
        )
    assert "motif" in error.value.message_dict["reason"][0]

    services.shop_transition(
        shop=shop,
        to_status=ShopStatus.REJECTED,
        actor=people["manager"],
        reason="Adresse hors du centre-ville.",
    )
    shop.refresh_from_db()
    assert shop.rejection_reason == "Adresse hors du centre-ville."
    services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])
    shop.refresh_from_db()
    assert shop.rejection_reason == ""


@pytest.mark.parametrize("actor", ["merchant", "resident", "other_manager"])
def test_only_the_towns_manager_validates(people: dict, actor: str) -> None:
    shop = people["shop"]
    services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])

    with pytest.raises(PermissionDenied):
        services.shop_transition(shop=shop, to_status=ShopStatus.PUBLISHED, actor=people[actor])

    shop.refresh_from_db()
    assert shop.status == ShopStatus.SUBMITTED


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "published"),
        ("submitted", "hidden"),
        ("closed", "hidden"),
        ("published", "draft"),
        ("draft", "draft"),
    ],
)
def test_illegal_moves_are_refused_in_french(people: dict, start: str, target: str) -> None:
    shop = people["shop"]
    Shop.objects.filter(pk=shop.pk).update(status=start)
    shop.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.shop_transition(shop=shop, to_status=target, actor=people["manager"])

    assert "ne peut pas passer" in error.value.messages[0]
    assert not ShopStatusChange.objects.exists()


def test_chains_are_refused_unless_the_town_accepts_them(people: dict) -> None:
    shop = people["shop"]
    services.shop_update(shop=shop, is_independent=False, network_name="Grande Enseigne")

    with pytest.raises(ValidationError) as error:
        services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])
    assert "indépendants" in error.value.messages[0]

    shop.town.allow_chains = True
    shop.town.save()
    services.shop_transition(shop=shop, to_status=ShopStatus.SUBMITTED, actor=people["merchant"])
    assert shop.status == ShopStatus.SUBMITTED


def test_shop_create_makes_its_creator_a_member_with_a_free_slug() -> None:
    town = TownFactory.create()
    ShopFactory.create(town=town, slug="fromagerie-lebrun")
    category = ShopFactory.create(town=town).category
    creator = UserFactory.create()

    shop = services.shop_create(
        town=town,
        creator=creator,
        name="Fromagerie Lebrun",
        category=category,
        street_address="3 rue du Beigle",
        postcode="61200",
        city="Argentan",
    )

    assert shop.slug == "fromagerie-lebrun-2"
    assert shop.status == ShopStatus.DRAFT
    assert shop.independence_declared_at is not None
    assert list(shop.memberships.values_list("user", flat=True)) == [creator.pk]


def test_bad_shop_details_get_french_errors_and_save_nothing() -> None:
    shop = ShopFactory.create(name="Librairie des Halles")

    with pytest.raises(ValidationError) as error:
        services.shop_update(
            shop=shop, name="Nouveau nom", siret="12345678901234", phone="12", opening_hours="lundi"
        )

    errors = error.value.message_dict
    assert "SIRET" in errors["siret"][0]
    assert "Horaires illisibles" in errors["opening_hours"][0]
    assert "phone" in errors
    shop.refresh_from_db()
    assert shop.name == "Librairie des Halles"


def test_a_valid_siret_and_french_phone_are_accepted() -> None:
    shop = ShopFactory.create()
    services.shop_update(shop=shop, siret="73282932000074", phone="02 33 36 12 34")
    shop.refresh_from_db()
    assert shop.phone.as_e164 == "+33233361234"


def test_the_independence_declaration_keeps_the_date_it_was_made() -> None:
    shop = ShopFactory.create(is_independent=False, network_name="Réseau")

    services.shop_update(shop=shop, is_independent=True, network_name="")
    declared_at = shop.independence_declared_at
    services.shop_update(shop=shop, is_independent=True, description="Nouvelle vitrine")

    assert declared_at is not None
    assert shop.independence_declared_at == declared_at


def test_shop_update_and_create_refuse_what_has_its_own_way() -> None:
    shop = ShopFactory.create(status=ShopStatus.DRAFT)

    with pytest.raises(TypeError, match="shop_update\\(\\) cannot change status"):
        services.shop_update(shop=shop, status=ShopStatus.PUBLISHED)
    with pytest.raises(TypeError, match="shop_create\\(\\) cannot change town_id"):
        services.shop_create(town=shop.town, creator=None, name="Ailleurs", town_id=TownFactory.create().pk)

    shop.refresh_from_db()
    assert shop.status == ShopStatus.DRAFT


def test_shop_update_keeps_a_detail_changed_meanwhile(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    shop = ShopFactory.create(description="Livres anciens", website="")
    stale = Shop.objects.get(pk=shop.pk)
    Shop.objects.filter(pk=shop.pk).update(website="https://librairie.example")  # another member

    services.shop_update(shop=stale, description="Livres anciens et gravures")
    with django_capture_on_commit_callbacks() as unchanged:
        services.shop_update(shop=stale, description="Livres anciens et gravures")

    shop.refresh_from_db()
    assert (shop.description, shop.website) == ("Livres anciens et gravures", "https://librairie.example")
    assert not unchanged  # nothing changed: no page to refresh, nothing to index
