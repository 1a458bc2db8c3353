"""The public showcase pages over HTTP: directory, shop page, town home; the page cache and query counts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from centreville.accounts.tests.factories import UserFactory
from centreville.activity import services as activity
from centreville.catalogue.selectors import PRODUCTS_PAGE_SIZE
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import valid_upload
from centreville.shops import services
from centreville.shops.models import PaymentMethod, Shop, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.shops.selectors import DIRECTORY_PAGE_SIZE
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, TradeCategoryFactory
from centreville.towns.tests.factories import TerritoryFactory, TownFactory
from config.settings.base import tile_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts_in_memory(settings: Settings, db: None) -> Iterator[None]:
    """Page views counted in memory, as in production, so that counting writes no row during the test."""
    settings.ACTIVITY_FLUSH_EVENTS = 100_000
    settings.ACTIVITY_FLUSH_SECONDS = 3600
    yield
    activity.flush()  # inside the test's transaction: nothing is left for the next test to write


def directory_url(slug: str) -> str:
    return f"/{slug}/commerces/"


def shop_url(shop: Shop) -> str:
    return f"/{shop.town.slug}/commerces/{shop.slug}/"


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def map_data_url(page: str) -> str:
    """Where the page's map fetches its shops from."""
    found = re.search(r'data-points="([^"]+)"', page)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


# --- Directory -----------------------------------------------------------------------------------------


def test_directory_lists_the_towns_published_shops_with_trade_address_state_and_services(
    client: Client,
) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    bread = TradeCategoryFactory.create(name="Boulangerie-pâtisserie", slug="boulangerie-patisserie")
    ShopFactory.create(
        town=town,
        name="Fournil du Marché",
        category=bread,
        street_address="3 place du Marché",
        offers_click_collect=True,
        accessible_entrance=True,
        opening_hours="",
    )
    ShopFactory.create(town=town, name="Atelier Brouillon", status=ShopStatus.DRAFT)
    ShopFactory.create(town=other, name="Fromagerie d'Ailleurs")

    page = page_of(client, directory_url(town.slug))

    assert "Fournil du Marché" in page
    assert "Boulangerie-pâtisserie" in page
    assert "3 place du Marché" in page
    assert "Horaires non renseignés" in page
    assert "Click &amp; Collect" in page
    assert "Entrée accessible" in page
    assert "Atelier Brouillon" not in page
    assert "Ailleurs" not in page
    assert "1 commerce" in page


def test_directory_filters_are_a_plain_get_form(client: Client) -> None:
    town = TownFactory.create()
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    books = TradeCategoryFactory.create(name="Librairie", slug="librairie")
    ShopFactory.create(town=town, name="Fournil", category=bread, offers_click_collect=True)
    ShopFactory.create(town=town, name="Pages d'Or", category=books, offers_click_collect=True)
    ShopFactory.create(town=town, name="Mie Câline", category=bread)

    page = page_of(client, directory_url(town.slug) + "?metier=boulangerie&retrait=on")

    assert re.search(r'<form method="get" action="/[^"]+/commerces/"', page)
    assert "Fournil" in page
    assert "Pages d" not in page
    assert "Mie Câline" not in page
    assert re.search(r'<option value="boulangerie" selected>', page)
    assert re.search(r'name="retrait"[^>]*checked', page)
    assert "Retirer les filtres" in page


def test_an_unknown_trade_is_said_so_and_ignored(client: Client) -> None:
    town = TownFactory.create()
    ShopFactory.create(town=town, name="Fournil")

    page = page_of(client, directory_url(town.slug) + "?metier=cordonnerie-lunaire")

    assert "Ce métier n&#x27;existe pas ici" in page
    assert "Fournil" in page


def test_directory_pages_keep_their_filters(client: Client) -> None:
    town = TownFactory.create()
    ShopFactory.create_batch(DIRECTORY_PAGE_SIZE + 1, town=town, accessible_entrance=True)

    first = page_of(client, directory_url(town.slug) + "?accessible=on")
    second = page_of(client, directory_url(town.slug) + "?accessible=on&page=2")

    assert 'href="?accessible=on&amp;page=2"' in first
    assert "Page 2 sur 2" in second
    assert second.count('class="card shop-card"') == 1


def test_directory_map_data_leads_to_the_shop_pages_and_needs_no_inline_script(client: Client) -> None:
    town = TownFactory.create()
    placed = ShopFactory.create(
        town=town, name="Placée", latitude=Decimal("48.7445"), longitude=Decimal("-0.0203")
    )
    ShopFactory.create(town=town, name="Sans position")

    page = page_of(client, directory_url(town.slug))
    data = client.get(map_data_url(page))

    assert data["Content-Type"] == "application/geo+json"
    features = data.json()["features"]
    assert features == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-0.0203, 48.7445]},
            "properties": {
                "name": "Placée",
                "url": shop_url(placed),
                "trade": placed.category.name,
                "state": features[0]["properties"]["state"],
            },
        }
    ]
    assert '<p id="carte-absente">La carte a besoin de JavaScript.' in page
    assert 'id="carte" class="map" hidden' in page
    assert 'data-tiles=""' in page  # no tile server unless the operator names one
    assert "/static/js/map.js" in page
    scripts = re.findall(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", page, re.S)
    inline = [attributes for attributes, body in scripts if body.strip() and "application/" not in attributes]
    assert inline == []


def test_the_map_library_is_not_loaded_with_the_page(client: Client) -> None:
    town = TownFactory.create()

    page = page_of(client, directory_url(town.slug))

    # map.js fetches it when the map is wanted: named in a data attribute, never a <script> or <link>.
    assert 'data-leaflet-js="/static/js/vendor/leaflet-1.9.4/leaflet.js"' in page
    assert '<script src="/static/js/vendor/leaflet' not in page
    assert 'href="/static/js/vendor/leaflet-1.9.4/leaflet.css"' not in page


def test_the_map_shows_every_shop_of_the_filters_not_only_the_page(
    client: Client, counts_in_memory: None, django_assert_max_num_queries: Any
) -> None:
    town = TownFactory.create()
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    position = {"latitude": Decimal("48.7"), "longitude": Decimal("-0.02")}
    ShopFactory.create_batch(DIRECTORY_PAGE_SIZE + 6, town=town, category=bread, **position)
    ShopFactory.create(town=town, name="Librairie placée", **position)
    ShopFactory.create(town=TownFactory.create(), name="Ailleurs", **position)

    everything = page_of(client, directory_url(town.slug))
    bakeries = page_of(client, directory_url(town.slug) + "?metier=boulangerie")
    with django_assert_max_num_queries(6):
        all_points = client.get(map_data_url(everything)).json()["features"]
    bakery_points = client.get(map_data_url(bakeries)).json()["features"]

    assert len(all_points) == DIRECTORY_PAGE_SIZE + 7
    assert len(bakery_points) == DIRECTORY_PAGE_SIZE + 6
    assert "Ailleurs" not in json.dumps(all_points)
    assert "Librairie placée" not in json.dumps(bakery_points)


def test_the_map_data_is_cached_like_the_page(
    client: Client, counts_in_memory: None, django_assert_num_queries: Any
) -> None:
    shop = ShopFactory.create(latitude=Decimal("48.7"), longitude=Decimal("-0.02"), opening_hours="24/7")
    url = f"/{shop.town.slug}/commerces/carte.geojson"
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.content == first.content
    assert second["Content-Type"] == "application/geo+json"


def test_directory_loads_no_tiles_from_another_host_unless_told(client: Client) -> None:
    town = TownFactory.create()

    response = client.get(directory_url(town.slug))

    img_src = next(part for part in response["Content-Security-Policy"].split(";") if "img-src" in part)
    assert img_src.strip() == "img-src 'self' data:"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_named_tile_server_is_the_only_other_host_images_may_come_from() -> None:
    assert tile_sources("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert tile_sources("https://{s}.tiles.ville.example/{z}/{x}/{y}.png") == [
        "https://*.tiles.ville.example"
    ]
    assert tile_sources("") == []


def test_a_territory_directory_links_shops_under_their_town(client: Client) -> None:
    territory = TerritoryFactory.create()
    town = TownFactory.create(territory=territory)
    shop = ShopFactory.create(town=town, name="Librairie du Pont")

    page = page_of(client, directory_url(territory.slug))

    assert f'href="{shop_url(shop)}"' in page


def test_directory_of_an_unknown_space_is_404(client: Client) -> None:
    assert client.get(directory_url("nulle-part")).status_code == 404
    assert client.get(directory_url(TownFactory.create(is_published=False).slug)).status_code == 404


# --- Shop page -----------------------------------------------------------------------------------------


def test_shop_page_shows_everything_a_visitor_needs(client: Client) -> None:
    shop = ShopFactory.create(
        name="Fromagerie Lebrun",
        description="Fromages affinés en cave.",
        phone="02 33 36 12 34",
        email="bonjour@lebrun.example",
        website="https://lebrun.example/",
        facebook_url="https://facebook.example/lebrun",
        instagram_url="https://instagram.example/lebrun",
        opening_hours="Tu-Sa 09:00-12:30,14:00-19:00",
        offers_click_collect=True,
        offers_delivery=True,
        accessible_entrance=True,
        payment_methods=[PaymentMethod.CASH, PaymentMethod.CARD],
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
    )
    ShopClosureFactory.create(shop=shop, label="Congés d'été")
    ProductFactory.create(shop=shop, title="Camembert de Normandie AOP", price=Decimal("6.90"))
    ProductFactory.create(shop=shop, title="Produit masqué", is_visible=False)

    page = page_of(client, shop_url(shop))

    assert '<h1 lang="fr">Fromagerie Lebrun</h1>' in page
    assert shop.category.name in page
    assert "Fromages affinés en cave." in page
    assert f"{shop.street_address}, 61200 {shop.city}" in page
    assert 'href="https://www.openstreetmap.org/?mlat=48.744500&amp;mlon=-0.020300' in page
    assert '<a href="tel:+33233361234">02 33 36 12 34</a>' in page
    assert 'href="mailto:bonjour@lebrun.example"' in page
    for link in (shop.website, shop.facebook_url, shop.instagram_url):
        assert f'<a href="{link}" rel="noopener">' in page
    assert "Tu-Sa" not in page  # hours in words, never in OSM syntax
    assert "De 09:00 à 12:30 et de 14:00 à 19:00" in page
    assert re.search(r'class="opening opening-(open|closed)">(Ouvert|Fermé)', page)
    assert "Congés d&#x27;été" in page
    assert "Click & Collect : réservez en ligne, retirez en boutique" in page
    assert "Livraison locale" in page
    assert "Entrée accessible en fauteuil roulant" in page
    assert "Espèces, Carte bancaire" in page
    assert "Camembert de Normandie AOP" in page
    assert "6,90\u00a0€" in page
    assert "Produit masqué" not in page


def test_shop_photos_come_in_three_sizes_with_their_description(client: Client) -> None:
    shop = ShopFactory.create()
    photo = shop_photo_add(shop=shop, upload=valid_upload((800, 600)), alt_text="La vitrine en hiver")

    page = page_of(client, shop_url(shop))

    assert 'alt="La vitrine en hiver"' in page
    srcset = re.search(r'srcset="([^"]+)"', page)
    assert srcset is not None
    assert srcset.group(1) == f"{photo.small.url} 320w, {photo.medium.url} 640w, {photo.large.url} 800w"
    assert 'width="800" height="600"' in page


def test_shop_products_come_a_page_at_a_time(client: Client) -> None:
    shop = ShopFactory.create()
    ProductFactory.create_batch(PRODUCTS_PAGE_SIZE + 2, shop=shop)

    first = page_of(client, shop_url(shop))
    second = page_of(client, shop_url(shop) + "?page=2")

    assert first.count('class="card product-card"') == PRODUCTS_PAGE_SIZE
    assert second.count('class="card product-card"') == 2
    assert 'href="?page=2" rel="next"' in first


@pytest.mark.parametrize(
    "status",
    [ShopStatus.DRAFT, ShopStatus.SUBMITTED, ShopStatus.REJECTED, ShopStatus.HIDDEN, ShopStatus.CLOSED],
)
def test_unpublished_shops_are_404(client: Client, status: str) -> None:
    shop = ShopFactory.create(status=status)

    assert client.get(shop_url(shop)).status_code == 404


def test_a_shop_of_town_b_is_404_under_town_a(client: Client) -> None:
    town_a, town_b = TownFactory.create(), TownFactory.create()
    shop_b = ShopFactory.create(town=town_b, slug="la-boutique")

    assert client.get(f"/{town_a.slug}/commerces/{shop_b.slug}/").status_code == 404
    assert client.get(f"/{town_b.slug}/commerces/{shop_b.slug}/").status_code == 200


def test_public_pages_refuse_writes(client: Client) -> None:
    shop = ShopFactory.create()

    assert client.post(shop_url(shop)).status_code == 405
    assert client.post(directory_url(shop.town.slug)).status_code == 405


# --- Query counts ----------------------------------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    """Queries of one uncached visit."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_directory_queries_do_not_grow_with_shops(client: Client, counts_in_memory: None) -> None:
    town = TownFactory.create()
    position = {"latitude": Decimal("48.7"), "longitude": Decimal("-0.02")}
    for _ in range(3):
        ShopClosureFactory.create(shop=ShopFactory.create(town=town, **position))

    few = queries_for(client, directory_url(town.slug))
    for _ in range(DIRECTORY_PAGE_SIZE + 5):
        ShopClosureFactory.create(shop=ShopFactory.create(town=town, **position))
    many = queries_for(client, directory_url(town.slug))
    open_now = queries_for(client, directory_url(town.slug) + "?ouvert=on")

    assert many == few
    assert many <= 6
    assert open_now <= many


def test_shop_page_queries_do_not_grow_with_products(client: Client, counts_in_memory: None) -> None:
    shop = ShopFactory.create()
    ShopClosureFactory.create(shop=shop)
    shop_photo_add(shop=shop, upload=valid_upload(), alt_text="La vitrine")
    ProductFactory.create_batch(2, shop=shop)

    few = queries_for(client, shop_url(shop))
    ProductFactory.create_batch(PRODUCTS_PAGE_SIZE + 10, shop=shop)
    many = queries_for(client, shop_url(shop))

    assert many == few
    assert many <= 8  # and the shop's current offers (agenda)


def test_town_home_queries_do_not_grow_with_shops(
    client: Client, counts_in_memory: None, django_assert_max_num_queries: Any
) -> None:
    town = TownFactory.create()
    for _ in range(20):
        ShopClosureFactory.create(shop=ShopFactory.create(town=town))
        ProductFactory.create(shop=ShopFactory.create(town=town))

    # The space, shop rows, closures, shops shown and their photos, trades, chosen products, recent
    # products with photos and the others, products shown and their photos; the agenda's next dates, the
    # town's car parks.
    with django_assert_max_num_queries(13):
        assert client.get(f"/{town.slug}/").status_code == 200


# --- Page cache ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["home", "directory", "shop"])
def test_a_second_anonymous_visit_makes_no_query(
    client: Client, counts_in_memory: None, django_assert_num_queries: Any, kind: str
) -> None:
    shop = ShopFactory.create(opening_hours="24/7")
    ProductFactory.create(shop=shop)
    url = {"home": f"/{shop.town.slug}/", "directory": directory_url(shop.town.slug), "shop": shop_url(shop)}[
        kind
    ]
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content


def test_anonymous_pages_carry_nothing_personal(client: Client) -> None:
    shop = ShopFactory.create()

    for url in (f"/{shop.town.slug}/", directory_url(shop.town.slug), shop_url(shop)):
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies, url


def test_an_edit_through_the_services_shows_at_once(
    client: Client, counts_in_memory: None, django_capture_on_commit_callbacks: Any
) -> None:
    shop = ShopFactory.create(name="Ancien Nom")
    assert "Ancien Nom" in page_of(client, shop_url(shop))
    assert "Ancien Nom" in page_of(client, directory_url(shop.town.slug))

    with django_capture_on_commit_callbacks(execute=True):
        services.shop_update(shop=shop, name="Nouveau Nom")

    assert "Nouveau Nom" in page_of(client, shop_url(shop))
    assert "Nouveau Nom" in page_of(client, directory_url(shop.town.slug))


def test_a_town_settings_change_shows_at_once(
    client: Client, counts_in_memory: None, django_capture_on_commit_callbacks: Any
) -> None:
    from centreville.towns.services import town_update

    town = TownFactory.create(welcome_text="Bienvenue !")
    assert "Bienvenue !" in page_of(client, f"/{town.slug}/")

    with django_capture_on_commit_callbacks(execute=True):
        town_update(town=town, welcome_text="Bonjour à tous")

    assert "Bonjour à tous" in page_of(client, f"/{town.slug}/")


def test_a_signed_in_person_is_never_served_the_cached_page(client: Client, counts_in_memory: None) -> None:
    shop = ShopFactory.create()
    assert "Se déconnecter" not in page_of(client, shop_url(shop))

    client.force_login(UserFactory.create())
    signed_in = page_of(client, shop_url(shop))
    anonymous = page_of(Client(), shop_url(shop))

    assert "Se déconnecter" in signed_in
    assert "Se déconnecter" not in anonymous


def test_a_cached_page_lives_no_longer_than_its_opening_labels(
    client: Client, counts_in_memory: None
) -> None:
    shop = ShopFactory.create(opening_hours="24/7")

    response = client.get(shop_url(shop))

    # Nothing changes for a shop always open, except "demain" becoming "aujourd'hui" at midnight.
    lifetime = response.page_cache_seconds  # type: ignore[attr-defined]
    assert 0 <= lifetime <= 24 * 3600


def test_a_shop_page_visit_is_counted_even_from_the_cache(client: Client, counts_in_memory: None) -> None:
    from centreville.activity.models import DailyCount, Metric

    shop = ShopFactory.create()
    client.get(shop_url(shop))
    client.get(shop_url(shop))

    activity.flush()

    assert DailyCount.objects.get(shop=shop, metric=Metric.SHOP_VIEW).count == 2
