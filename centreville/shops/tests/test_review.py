"""The manager's validation queue and shop preview: buttons named after their action, the shop's content
shown before deciding, and every read scoped to the town."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import valid_upload
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create(slug="argentan")
    return town


@pytest.fixture
def manager(town: Town) -> User:
    user: User = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    return user


@pytest.fixture
def submitted(town: Town) -> Shop:
    shop: Shop = ShopFactory.create(
        town=town,
        name="Épicerie Vrac",
        status=ShopStatus.SUBMITTED,
        description="Du vrac, du local et des bocaux consignés.",
        siret="73282932000074",
        opening_hours="Tu-Sa 09:00-12:30,14:00-19:00",
    )
    ShopMembershipFactory.create(
        shop=shop, user=UserFactory.create(email="lea@vrac.example", first_name="Léa", last_name="Martin")
    )
    return shop


def queue(client: Client, status: str = "submitted") -> str:
    return client.get(f"/argentan/gestion/commerces/?statut={status}").content.decode()


def test_validation_buttons_say_what_they_do_not_what_the_shop_becomes(
    client: Client, manager: User, submitted: Shop
) -> None:
    client.force_login(manager)

    page = queue(client)

    assert ">Publier « Épicerie Vrac »</button>" in page
    assert ">Refuser « Épicerie Vrac »</button>" in page
    assert "Publié : Épicerie Vrac" not in page
    assert "Refusé : Épicerie Vrac" not in page


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ShopStatus.PUBLISHED, ["Masquer « Épicerie Vrac »", "Indiquer que « Épicerie Vrac » a fermé"]),
        (ShopStatus.HIDDEN, ["Remettre « Épicerie Vrac » en ligne"]),
        (ShopStatus.CLOSED, ["Rouvrir « Épicerie Vrac »"]),
    ],
)
def test_every_move_is_an_action(
    client: Client, manager: User, submitted: Shop, status: str, expected: list[str]
) -> None:
    Shop.objects.filter(pk=submitted.pk).update(status=status)
    client.force_login(manager)

    page = queue(client, status)

    for label in expected:
        assert f">{label}</button>" in page


def test_the_queue_shows_content_counts_siret_and_names_before_deciding(
    client: Client, manager: User, submitted: Shop
) -> None:
    ProductFactory.create(shop=submitted, title="Lentilles vertes")
    ProductFactory.create(shop=submitted, title="Riz basmati")
    shop_photo_add(shop=submitted, upload=valid_upload(), alt_text="La devanture")
    client.force_login(manager)

    page = queue(client)

    assert "Du vrac, du local et des bocaux consignés." in page
    assert "2 produits, 1 photo" in page
    assert "SIRET : 73282932000074" in page
    assert "Léa Martin" in page
    assert f'href="/argentan/gestion/commerces/{submitted.pk}/apercu/"' in page


def test_the_preview_shows_the_page_products_photos_and_siret(
    client: Client, manager: User, submitted: Shop
) -> None:
    bread = ProductFactory.create(shop=submitted, title="Lentilles vertes", price=Decimal("3.40"))
    product_photo_add(product=bread, upload=valid_upload(), alt_text="Un bocal de lentilles")
    ProductFactory.create(shop=submitted, title="Riz caché", is_visible=False)
    shop_photo_add(shop=submitted, upload=valid_upload(), alt_text="La devanture en bois")
    client.force_login(manager)

    page = client.get(f"/argentan/gestion/commerces/{submitted.pk}/apercu/").content.decode()

    assert 'Aperçu de « <span lang="fr">Épicerie Vrac</span> »' in page
    assert "Du vrac, du local et des bocaux consignés." in page
    assert 'alt="La devanture en bois"' in page
    assert "Lentilles vertes" in page
    assert "3,40\xa0€" in page
    assert "Riz caché" in page  # hidden products are shown to the manager, marked as such
    assert "annuaire-entreprises.data.gouv.fr/etablissement/73282932000074" in page
    assert "Léa Martin" in page
    assert "de 09:00 à 12:30 et de 14:00 à 19:00" in page
    assert ">Publier « Épicerie Vrac »</button>" in page


def test_the_preview_costs_a_bounded_number_of_queries(
    client: Client, manager: User, submitted: Shop, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        ProductFactory.create(shop=submitted, title=f"Produit {n}")
    client.force_login(manager)

    with django_assert_max_num_queries(16):
        response = client.get(f"/argentan/gestion/commerces/{submitted.pk}/apercu/")

    assert response.status_code == 200
    assert "Les 12 premiers sur 15." in response.content.decode()


def test_the_preview_is_only_for_the_towns_managers_and_the_towns_shops(
    client: Client, manager: User, submitted: Shop
) -> None:
    elsewhere = ShopFactory.create(status=ShopStatus.SUBMITTED)
    merchant = submitted.memberships.get().user

    client.force_login(manager)
    assert client.get(f"/argentan/gestion/commerces/{elsewhere.pk}/apercu/").status_code == 404
    client.force_login(merchant)
    assert client.get(f"/argentan/gestion/commerces/{submitted.pk}/apercu/").status_code == 403


def test_the_decision_is_confirmed_in_words(client: Client, manager: User, submitted: Shop) -> None:
    client.force_login(manager)

    response = client.post(
        f"/argentan/gestion/commerces/{submitted.pk}/decision/", {"to_status": "published"}, follow=True
    )

    assert "« Épicerie Vrac » est publié : il est visible sur la plateforme." in response.content.decode()


def test_the_claim_invitation_speaks_of_the_shop_with_one_wording(town: Town) -> None:
    from django.template.loader import render_to_string

    shop = ShopFactory.create(town=town)

    invitation = render_to_string("shops/claims/_claim_invitation.html", {"shop": shop})

    assert "Revendiquez-le" in invitation
    assert "Revendiquez-la" not in invitation
    assert "Revendiquer ce commerce" in invitation
