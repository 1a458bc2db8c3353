from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import valid_upload
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop, ShopClosure, ShopMembership, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class World:
    town: Town
    other_town: Town
    shop: Shop
    neighbour_shop: Shop
    far_shop: Shop
    product: Product
    owner: User
    neighbour: User
    manager: User
    far_manager: User
    resident: User


@pytest.fixture
def world() -> World:
    town = TownFactory.create(name="Argentan", slug="argentan")
    other_town = TownFactory.create(name="Alençon", slug="alencon")
    shop = ShopFactory.create(town=town, name="Épicerie Martin", slug="epicerie-martin")
    neighbour_shop = ShopFactory.create(town=town, name="Cave Dupont", slug="cave-dupont")
    far_shop = ShopFactory.create(town=other_town, name="Fromagerie", slug="epicerie-martin")
    owner, neighbour = UserFactory.create(), UserFactory.create()
    ShopMembershipFactory.create(shop=shop, user=owner)
    ShopMembershipFactory.create(shop=neighbour_shop, user=neighbour)
    manager = TownRoleFactory.create(town=town, role=Role.MANAGER).user
    far_manager = TownRoleFactory.create(town=other_town, role=Role.MANAGER).user
    product = ProductFactory.create(shop=shop, title="Miel", slug="miel", price=Decimal("8.00"), stock=4)
    return World(
        town=town,
        other_town=other_town,
        shop=shop,
        neighbour_shop=neighbour_shop,
        far_shop=far_shop,
        product=product,
        owner=owner,
        neighbour=neighbour,
        manager=manager,
        far_manager=far_manager,
        resident=UserFactory.create(),
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"merchants:{name}", args=args)


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- Who may see what -------------------------------------------------------------------------------------


SHOP_PAGES = ["shop_edit", "shop_closures", "products", "product_create", "products_import"]


@pytest.mark.parametrize("page", ["home", "shop_create", *SHOP_PAGES])
def test_anonymous_people_are_sent_to_log_in(client: Client, world: World, page: str) -> None:
    args = ["argentan"] if page in ("home", "shop_create") else ["argentan", world.shop.slug]

    response = client.get(url(page, *args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_shop_is_reached_only_under_its_own_town(client: Client, world: World) -> None:
    logged_in(client, world.owner)

    # Alençon has a shop with the same address, but it is not Marie's; and hers is not in Alençon.
    assert client.get(url("products", "alencon", world.shop.slug)).status_code == 403
    assert client.get(url("products", "alencon", "cave-dupont")).status_code == 404
    assert client.get(url("products", "argentan", "inconnu")).status_code == 404


def test_another_shops_product_is_not_found_even_with_a_crafted_address(client: Client, world: World) -> None:
    theirs = ProductFactory.create(shop=world.neighbour_shop, slug="vin", stock=3)
    logged_in(client, world.owner)

    edit = client.get(url("product_edit", "argentan", world.shop.slug, theirs.slug))
    stock = client.post(url("product_stock", "argentan", world.shop.slug, theirs.slug), {"stock": "0"})
    delete = client.post(url("product_delete", "argentan", world.shop.slug, theirs.slug))
    theirs_directly = client.post(
        url("product_stock", "argentan", world.neighbour_shop.slug, theirs.slug), {"stock": "0"}
    )

    assert (edit.status_code, stock.status_code, delete.status_code) == (404, 404, 404)
    assert theirs_directly.status_code == 403
    theirs.refresh_from_db()
    assert theirs.stock == 3


# --- Home -------------------------------------------------------------------------------------------------


def test_home_lists_my_shops_of_this_town_with_status_next_steps_and_visits(
    client: Client, world: World
) -> None:
    rejected = ShopFactory.create(
        town=world.town, name="Atelier Refusé", status=ShopStatus.REJECTED, rejection_reason="Photo floue."
    )
    ShopMembershipFactory.create(shop=rejected, user=world.owner)
    ShopMembershipFactory.create(shop=world.far_shop, user=world.owner)
    today = timezone.localdate()
    day_count(town=world.town, shop=world.shop, day=today, metric=Metric.SHOP_VIEW, count=12)
    day_count(
        town=world.town, shop=world.shop, day=today - timedelta(days=1), metric=Metric.PRODUCT_VIEW, count=5
    )
    day_count(
        town=world.town, shop=world.shop, day=today - timedelta(days=9), metric=Metric.SHOP_VIEW, count=99
    )

    page = logged_in(client, world.owner).get(url("home", "argentan")).content.decode()

    assert "Épicerie Martin" in page
    assert "Atelier Refusé" in page
    assert "Fromagerie" not in page  # Marie's shop in Alençon belongs on Alençon's page
    assert "Photo floue." in page
    assert "Corrigez la fiche selon le motif ci-dessus" in page
    assert "Envoyer pour validation" in page  # the rejected shop can be sent again
    assert "Masquer mon commerce" in page  # the published one can be hidden
    assert "Visites des 7 derniers jours : 17" in page


def test_home_invites_someone_without_a_shop_to_create_one(client: Client, world: World) -> None:
    page = logged_in(client, world.resident).get(url("home", "argentan")).content.decode()

    assert "Vous ne gérez pas encore de commerce à Argentan." in page
    assert url("shop_create", "argentan") in page


def test_home_puts_orders_waiting_for_an_answer_first_and_counts_them_on_the_orders_link(
    client: Client, world: World
) -> None:
    shop = Shop.objects.get(pk=world.shop.pk)
    shop.description, shop.opening_hours = "Épicerie fine du centre.", "Mo-Sa 09:00-19:00"
    shop.save()
    shop_photo_add(shop=shop, upload=valid_upload(), alt_text="La vitrine")
    logged_in(client, world.owner)
    page = html.unescape(client.get(url("home", "argentan")).content.decode())
    assert "Tout est en ordre" in page

    for _ in range(2):
        order_place(
            shop=shop,
            wanted=[Wanted(world.product.pk, 1)],
            customer=None,
            customer_name="Jeanne",
            customer_contact="jeanne@example.fr",
        )
    page = html.unescape(client.get(url("home", "argentan")).content.decode())

    assert "Tout est en ordre" not in page
    orders_url = reverse("orders_merchant:day", args=["argentan"]) + f"?commerce={shop.slug}"
    assert (
        f'<a class="button" href="{orders_url}">2 commandes attendent votre réponse : '
        "les accepter ou les refuser</a>"
    ) in page
    assert f'<a href="{orders_url}">Commandes du jour <strong>(2 à accepter)</strong></a>' in page


def test_home_query_count_does_not_grow_with_products(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        ProductFactory.create(shop=world.shop)
    logged_in(client, world.owner)

    with django_assert_max_num_queries(14):
        client.get(url("home", "argentan"))


# --- Creating and changing a shop -----------------------------------------------------------------------


def shop_post(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "La Bonne Graine",
        "category": TradeCategoryFactory.create(slug="epicerie-fine").pk,
        "description": "Épicerie vrac.",
        "street_address": "3 rue du Marché",
        "postcode": "61200",
        "city": "Argentan",
        "latitude": "48,7445",
        "longitude": "-0,0203",
        "opening_hours": "Tu-Sa 09:00-12:30,14:00-19:00; PH off",
        "phone": "02 33 00 00 00",
        "email": "contact@bonnegraine.fr",
        "website": "https://bonnegraine.fr",
        "facebook_url": "",
        "instagram_url": "",
        "siret": "732 829 320 00074",
        "offers_click_collect": "on",
        "payment_methods": ["card", "cash"],
        "independence": "yes",
        "network_name": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_anyone_signed_in_creates_a_draft_shop_and_runs_it(client: Client, world: World) -> None:
    response = logged_in(client, world.resident).post(url("shop_create", "argentan"), shop_post())

    shop = Shop.objects.get(name="La Bonne Graine")
    assert response.status_code == 302
    assert response["Location"] == f"{url('home', 'argentan')}#commerce-{shop.pk}"
    assert shop.town == world.town
    assert shop.status == ShopStatus.DRAFT
    assert shop.siret == "73282932000074"
    assert shop.latitude == Decimal("48.744500")
    assert shop.payment_methods == ["card", "cash"]
    assert shop.is_independent
    assert shop.independence_declared_at is not None
    assert ShopMembership.objects.filter(shop=shop, user=world.resident).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opening_hours": "tous les jours 9h-19h"}, "Horaires illisibles"),
        ({"siret": "123"}, "n&#x27;est pas un numéro SIRET valide"),
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"independence": "no", "network_name": ""}, "Indiquez le nom de la chaîne ou du réseau."),
        ({"phone": "pas un numéro"}, "numéro de téléphone"),
    ],
)
def test_shop_creation_refuses_bad_input_in_french_and_saves_nothing(
    client: Client, world: World, changes: dict[str, Any], message: str
) -> None:
    response = logged_in(client, world.resident).post(url("shop_create", "argentan"), shop_post(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shop.objects.filter(town=world.town, name="La Bonne Graine").exists()


def test_the_owner_edits_the_shop(client: Client, world: World) -> None:
    response = logged_in(client, world.owner).post(
        url("shop_edit", "argentan", world.shop.slug), shop_post(name="Épicerie Martin & fils")
    )

    assert response.status_code == 302
    world.shop.refresh_from_db()
    assert world.shop.name == "Épicerie Martin & fils"
    assert world.shop.slug == "epicerie-martin"
    assert world.shop.opening_hours == "Tu-Sa 09:00-12:30,14:00-19:00; PH off"


def test_a_published_shop_cannot_become_a_chain_in_a_town_of_independents(
    client: Client, world: World
) -> None:
    response = logged_in(client, world.owner).post(
        url("shop_edit", "argentan", world.shop.slug),
        shop_post(name="Nouveau nom", independence="no", network_name="Franprix"),
    )

    assert response.status_code == 200
    assert "Argentan n&#x27;accepte que les commerces indépendants" in response.content.decode()
    world.shop.refresh_from_db()
    assert world.shop.name == "Épicerie Martin"
    assert world.shop.is_independent


def test_the_edit_form_shows_opening_hours_examples(client: Client, world: World) -> None:
    page = logged_in(client, world.owner).get(url("shop_edit", "argentan", world.shop.slug)).content.decode()

    assert "Tu-Sa 09:00-12:30,14:00-19:00" in page
    assert "fermé les jours fériés" in page
    assert 'aria-describedby="id_opening_hours_helptext"' in page


# --- Workflow ---------------------------------------------------------------------------------------------


def test_submit_a_draft_then_hide_and_show_a_published_shop(client: Client, world: World) -> None:
    draft = ShopFactory.create(town=world.town, status=ShopStatus.DRAFT)
    ShopMembershipFactory.create(shop=draft, user=world.owner)
    logged_in(client, world.owner)

    client.post(url("shop_transition", "argentan", draft.slug), {"to_status": "submitted"})
    client.post(
        url("shop_transition", "argentan", world.shop.slug), {"to_status": "hidden", "confirmed": "1"}
    )
    hidden_status = Shop.objects.get(pk=world.shop.pk).status
    response = client.post(url("shop_transition", "argentan", world.shop.slug), {"to_status": "published"})

    draft.refresh_from_db()
    world.shop.refresh_from_db()
    assert draft.status == ShopStatus.SUBMITTED
    assert hidden_status == ShopStatus.HIDDEN
    assert world.shop.status == ShopStatus.PUBLISHED
    assert response["Location"] == f"{url('home', 'argentan')}#commerce-{world.shop.pk}"


def test_a_merchant_cannot_publish_their_own_submitted_shop(client: Client, world: World) -> None:
    submitted = ShopFactory.create(town=world.town, status=ShopStatus.SUBMITTED)
    ShopMembershipFactory.create(shop=submitted, user=world.owner)

    response = logged_in(client, world.owner).post(
        url("shop_transition", "argentan", submitted.slug), {"to_status": "published"}, follow=True
    )

    submitted.refresh_from_db()
    assert submitted.status == ShopStatus.SUBMITTED
    assert response.status_code == 403


def test_an_illegal_move_is_explained_and_changes_nothing(client: Client, world: World) -> None:
    draft = ShopFactory.create(town=world.town, status=ShopStatus.DRAFT)
    ShopMembershipFactory.create(shop=draft, user=world.owner)

    response = logged_in(client, world.owner).post(
        url("shop_transition", "argentan", draft.slug), {"to_status": "hidden"}, follow=True
    )

    assert "ne peut pas passer à « Masqué »" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ShopStatus.DRAFT


def test_someone_else_cannot_move_a_shop(client: Client, world: World) -> None:
    response = logged_in(client, world.neighbour).post(
        url("shop_transition", "argentan", world.shop.slug), {"to_status": "hidden"}
    )

    assert response.status_code == 403
    world.shop.refresh_from_db()
    assert world.shop.status == ShopStatus.PUBLISHED


# --- Exceptional closures ------------------------------------------------------------------------------


def test_add_and_remove_an_exceptional_closure(client: Client, world: World) -> None:
    logged_in(client, world.owner)
    start = timezone.localdate() + timedelta(days=10)

    client.post(
        url("shop_closures", "argentan", world.shop.slug),
        {
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=6)).isoformat(),
            "label": "Congés",
        },
    )
    closure = ShopClosure.objects.get(shop=world.shop)
    page = client.get(url("shop_closures", "argentan", world.shop.slug)).content.decode()
    client.post(url("shop_closure_remove", "argentan", world.shop.slug, closure.pk))

    assert closure.label == "Congés"
    assert "Congés" in page
    assert not ShopClosure.objects.exists()


def test_a_closure_ending_before_it_starts_is_refused(client: Client, world: World) -> None:
    response = logged_in(client, world.owner).post(
        url("shop_closures", "argentan", world.shop.slug),
        {"start_date": "2030-08-10", "end_date": "2030-08-01", "label": ""},
    )

    assert "La fin de la fermeture précède son début." in response.content.decode()
    assert not ShopClosure.objects.exists()


def test_another_shops_closure_cannot_be_removed(client: Client, world: World) -> None:
    theirs = ShopClosure.objects.create(
        shop=world.neighbour_shop, start_date=date(2030, 1, 1), end_date=date(2030, 1, 2)
    )

    response = logged_in(client, world.owner).post(
        url("shop_closure_remove", "argentan", world.shop.slug, theirs.pk)
    )

    assert response.status_code == 404
    assert ShopClosure.objects.filter(pk=theirs.pk).exists()


# --- Product list ---------------------------------------------------------------------------------------


def test_product_list_searches_filters_and_pages(client: Client, world: World) -> None:
    for n in range(30):
        ProductFactory.create(shop=world.shop, title=f"Bocal {n:02d}", is_visible=n % 2 == 0)
    ProductFactory.create(shop=world.neighbour_shop, title="Bocal du voisin")
    logged_in(client, world.owner)
    products = url("products", "argentan", world.shop.slug)

    first = client.get(products).content.decode()
    second = client.get(products, {"page": 2}).content.decode()
    hidden = client.get(products, {"visibilite": "masques", "q": "bocal"}).content.decode()
    nothing = client.get(products, {"q": "voisin"}).content.decode()

    assert "Tous (31)" in first
    assert "Visibles (16)" in first
    assert "Masqués (15)" in first
    assert (
        'href="/argentan/espace-commercant/commerces/epicerie-martin/produits/?q=bocal&amp;visibilite=masques"'
        in hidden
    )
    assert "Bocal 00" in first
    assert "Bocal 29" not in first
    assert "Bocal 29" in second
    assert "Page 2 sur 2" in second
    assert "Bocal 01" in hidden
    assert "Bocal 02" not in hidden
    assert "Miel" not in hidden
    assert "Aucun produit ne correspond" in nothing


def test_product_list_query_count_does_not_grow_with_products(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(25):
        ProductFactory.create(shop=world.shop)
    logged_in(client, world.owner)

    with django_assert_max_num_queries(12):
        client.get(url("products", "argentan", world.shop.slug))


def test_list_fields_use_numeric_keyboards_and_visible_labels(client: Client, world: World) -> None:
    page = logged_in(client, world.owner).get(url("products", "argentan", world.shop.slug)).content.decode()

    pk = world.product.pk
    assert f'<label for="stock-{pk}">Stock' in page
    assert f'<label for="prix-{pk}">Prix (€)' in page
    assert f'id="stock-{pk}" name="stock" inputmode="numeric"' in page
    assert f'id="prix-{pk}" name="price" inputmode="decimal"' in page
    assert 'value="8,00"' in page


# --- Quick edits ----------------------------------------------------------------------------------------


def quick(world: World, action: str) -> str:
    return url(action, "argentan", world.shop.slug, world.product.slug)


def test_quick_edit_without_javascript_comes_back_to_the_same_place(client: Client, world: World) -> None:
    return_to = url("products", "argentan", world.shop.slug) + "?q=miel&page=1"
    logged_in(client, world.owner)

    stock = client.post(quick(world, "product_stock"), {"stock": "9", "return_to": return_to})
    plus = client.post(quick(world, "product_stock_adjust"), {"delta": "1", "return_to": return_to})
    minus = client.post(quick(world, "product_stock_adjust"), {"delta": "-1", "return_to": return_to})
    price = client.post(quick(world, "product_price"), {"price": "12,50", "return_to": return_to})
    hide = client.post(quick(world, "product_visibility"), {"is_visible": "0", "return_to": return_to})

    anchor = f"{return_to}#produit-{world.product.pk}"
    assert [r["Location"] for r in (stock, plus, minus, price, hide)] == [anchor] * 5
    world.product.refresh_from_db()
    assert world.product.stock == 9
    assert world.product.price == Decimal("12.50")
    assert not world.product.is_visible


def test_quick_edit_with_htmx_answers_with_the_row_only(client: Client, world: World) -> None:
    logged_in(client, world.owner)

    response = client.post(quick(world, "product_price"), {"price": "12.5", "return_to": ""}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li class="product-row" id="produit-{world.product.pk}"')
    assert 'value="12,50"' in html
    assert 'id="quick-edit-status" hx-swap-oob="innerHTML">Prix de « Miel » : 12,50 €.' in html


def test_quick_edit_with_htmx_refuses_bad_input_with_422_in_the_row(client: Client, world: World) -> None:
    logged_in(client, world.owner)

    price = client.post(quick(world, "product_price"), {"price": "douze"}, headers=HTMX)
    stock = client.post(quick(world, "product_stock"), {"stock": "-4"}, headers=HTMX)

    assert price.status_code == 422
    assert "Prix « douze » illisible (exemple : 12,50)." in price.content.decode()
    assert 'value="douze"' in price.content.decode()
    assert 'aria-invalid="true"' in price.content.decode()
    assert stock.status_code == 422
    assert "Le stock ne peut pas être négatif." in stock.content.decode()
    world.product.refresh_from_db()
    assert (world.product.price, world.product.stock) == (Decimal("8.00"), 4)


def test_stock_cannot_go_below_zero_with_the_minus_button(client: Client, world: World) -> None:
    Product.objects.filter(pk=world.product.pk).update(stock=0)

    response = logged_in(client, world.owner).post(
        quick(world, "product_stock_adjust"), {"delta": "-1"}, headers=HTMX
    )

    assert response.status_code == 422
    assert "Le stock ne peut pas descendre sous 0 : il en reste 0." in response.content.decode()
    world.product.refresh_from_db()
    assert world.product.stock == 0


def test_quick_edit_error_without_javascript_shows_the_list_with_the_error(
    client: Client, world: World
) -> None:
    return_to = url("products", "argentan", world.shop.slug) + "?q=mi"

    response = logged_in(client, world.owner).post(
        quick(world, "product_price"), {"price": "beaucoup", "return_to": return_to}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<html" in page
    assert "Prix « beaucoup » illisible" in page
    assert 'value="mi"' in page  # the search is kept


@pytest.mark.parametrize(
    "return_to",
    [
        "https://ailleurs.example/argentan/",
        "//ailleurs.example/",
        "/argentan/espace-commercant/commerces/cave-dupont/produits/",
    ],
)
def test_quick_edit_never_sends_people_elsewhere(client: Client, world: World, return_to: str) -> None:
    response = logged_in(client, world.owner).post(
        quick(world, "product_stock"), {"stock": "2", "return_to": return_to}
    )

    assert (
        response["Location"] == f"{url('products', 'argentan', world.shop.slug)}#produit-{world.product.pk}"
    )


def test_quick_edit_is_refused_to_other_people(client: Client, world: World) -> None:
    for who in (world.neighbour, world.resident, world.far_manager):
        client.force_login(who)
        assert client.post(quick(world, "product_stock"), {"stock": "0"}).status_code == 403
    client.logout()
    assert client.post(quick(world, "product_stock"), {"stock": "0"}).status_code == 302
    world.product.refresh_from_db()
    assert world.product.stock == 4


def test_the_town_manager_may_correct_a_product(client: Client, world: World) -> None:
    response = logged_in(client, world.manager).post(quick(world, "product_stock"), {"stock": ""})

    assert response.status_code == 302
    world.product.refresh_from_db()
    assert world.product.stock is None


def test_quick_edits_accept_only_post(client: Client, world: World) -> None:
    assert logged_in(client, world.owner).get(quick(world, "product_stock")).status_code == 405


# --- Full product form --------------------------------------------------------------------------------


def product_post(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "T-shirt du marché",
        "price": "19,90",
        "stock": "",
        "is_visible": "on",
        "description": "Coton bio.",
        "category": "",
        "reference": "TS-1",
        "variantes-TOTAL_FORMS": "2",
        "variantes-INITIAL_FORMS": "0",
        "variantes-MIN_NUM_FORMS": "0",
        "variantes-MAX_NUM_FORMS": "50",
        "variantes-0-label": "Taille M",
        "variantes-0-size": "M",
        "variantes-0-stock": "3",
        "variantes-0-price": "",
        "variantes-1-label": "Taille L",
        "variantes-1-price": "21,90",
        "variantes-1-stock": "0",
    }
    data.update(changes)
    return data


def test_create_a_product_with_variants(client: Client, world: World) -> None:
    response = logged_in(client, world.owner).post(
        url("product_create", "argentan", world.shop.slug), product_post()
    )

    product = Product.objects.get(reference="TS-1")
    assert response.status_code == 302
    assert response["Location"] == f"{url('products', 'argentan', world.shop.slug)}#produit-{product.pk}"
    assert (product.shop, product.town, product.price, product.stock) == (
        world.shop,
        world.town,
        Decimal("19.90"),
        None,
    )
    assert list(product.variants.values_list("label", "price", "stock")) == [
        ("Taille M", None, 3),
        ("Taille L", Decimal("21.90"), 0),
    ]


def test_product_form_refuses_bad_input_and_saves_nothing(client: Client, world: World) -> None:
    response = logged_in(client, world.owner).post(
        url("product_create", "argentan", world.shop.slug),
        product_post(price="gratuit", **{"variantes-1-label": "taille m"}),
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Prix « gratuit » illisible" in page
    assert "Deux variantes s&#x27;appellent « taille m »" in page
    assert not Product.objects.filter(reference="TS-1").exists()


def test_product_form_reports_a_reference_taken_in_the_shop(client: Client, world: World) -> None:
    ProductFactory.create(shop=world.shop, title="Ancien", reference="TS-1")

    response = logged_in(client, world.owner).post(
        url("product_create", "argentan", world.shop.slug), product_post()
    )

    assert response.status_code == 422
    assert "La référence « TS-1 » est déjà celle de « Ancien »." in response.content.decode()
    assert Product.objects.filter(shop=world.shop).count() == 2


def test_edit_a_product_and_its_variants(client: Client, world: World) -> None:
    small = ProductVariant.objects.create(product=world.product, label="250 g", stock=1)
    large = ProductVariant.objects.create(product=world.product, label="500 g", stock=1, position=1)
    logged_in(client, world.owner)
    form_page = client.get(quick(world, "product_edit")).content.decode()

    response = client.post(
        quick(world, "product_edit"),
        product_post(
            title="Miel de lavande",
            reference="",
            **{
                "variantes-TOTAL_FORMS": "3",
                "variantes-INITIAL_FORMS": "2",
                "variantes-0-id": str(small.pk),
                "variantes-0-label": "250 g",
                "variantes-0-DELETE": "on",
                "variantes-1-id": str(large.pk),
                "variantes-1-label": "500 g",
                "variantes-1-price": "14",
                "variantes-1-stock": "2",
                "variantes-2-label": "",
            },
        ),
    )

    assert 'value="250 g"' in form_page
    assert response.status_code == 302
    world.product.refresh_from_db()
    assert world.product.title == "Miel de lavande"
    assert world.product.slug == "miel"  # addresses stay stable
    assert list(world.product.variants.values_list("label", "price", "stock")) == [
        ("500 g", Decimal("14.00"), 2)
    ]


def test_delete_asks_for_confirmation_first(client: Client, world: World) -> None:
    logged_in(client, world.owner)

    confirm = client.get(quick(world, "product_delete"))
    assert Product.objects.filter(pk=world.product.pk).exists()
    response = client.post(quick(world, "product_delete"))

    assert "Oui, supprimer ce produit" in confirm.content.decode()
    assert response["Location"] == url("products", "argentan", world.shop.slug)
    assert not Product.objects.filter(pk=world.product.pk).exists()


# --- Import ---------------------------------------------------------------------------------------------


def test_import_page_shows_the_report(client: Client, world: World) -> None:
    content = "\ufefftitre;prix;stock\nConfiture;4,50;3\nGelée;cinq;1\n".encode()
    upload = SimpleUploadedFile("produits.csv", content, content_type="text/csv")

    response = logged_in(client, world.owner).post(
        url("products_import", "argentan", world.shop.slug), {"file": upload}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 produit créé" in page
    assert "1 ligne en erreur" in page
    assert "ligne 3 : prix « cinq » illisible (exemple : 12,50)." in page
    assert Product.objects.filter(shop=world.shop, title="Confiture").exists()


def test_import_refuses_a_file_that_is_not_a_spreadsheet(client: Client, world: World) -> None:
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 JFIF", content_type="image/jpeg")

    response = logged_in(client, world.owner).post(
        url("products_import", "argentan", world.shop.slug), {"file": upload}
    )

    assert response.status_code == 422
    assert "Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés." in response.content.decode()


def test_import_only_touches_the_shop_in_the_address(client: Client, world: World) -> None:
    theirs = ProductFactory.create(shop=world.neighbour_shop, title="Miel", reference="M", price=Decimal("3"))
    upload = SimpleUploadedFile("p.csv", b"reference;titre;prix\nM;Miel;99\n", content_type="text/csv")

    response = logged_in(client, world.owner).post(
        url("products_import", "argentan", world.neighbour_shop.slug), {"file": upload}
    )

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.price == Decimal("3.00")


def test_the_import_template_downloads_as_csv(client: Client, world: World) -> None:
    response = logged_in(client, world.resident).get(url("import_template", "argentan"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith("référence;titre;")


def test_several_people_run_one_shop_and_one_person_several_shops(client: Client, world: World) -> None:
    partner = UserFactory.create()
    ShopMembershipFactory.create(shop=world.shop, user=partner)
    ShopMembershipFactory.create(shop=world.neighbour_shop, user=world.owner)

    partner_home = logged_in(client, partner).get(url("home", "argentan")).content.decode()
    partner_edit = client.post(quick(world, "product_stock"), {"stock": "7"})
    owner_home = logged_in(client, world.owner).get(url("home", "argentan")).content.decode()

    assert "Épicerie Martin" in partner_home
    assert "Cave Dupont" not in partner_home
    assert partner_edit.status_code == 302
    assert "Épicerie Martin" in owner_home
    assert "Cave Dupont" in owner_home
