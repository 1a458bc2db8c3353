"""What search engines read: JSON-LD that parses and is right, canonical and OpenGraph tags, sitemaps."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from centreville.baskets.tests.factories import NOW
from centreville.catalogue import seo as product_seo
from centreville.catalogue.models import Product
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductVariantFactory,
)
from centreville.core.tests.samples import valid_upload
from centreville.shops import seo
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, TradeCategoryFactory
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PARIS = ZoneInfo("Europe/Paris")


def shop_url(shop: Shop) -> str:
    return f"/{shop.town.slug}/commerces/{shop.slug}/"


def product_url(product: Product) -> str:
    return f"{shop_url(product.shop)}produits/{product.slug}/"


def json_ld(page: str) -> dict[str, Any]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def meta(page: str, name: str) -> str | None:
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)">', page)
    return found.group(1) if found else None


def test_shop_json_ld_is_a_local_business_with_its_address_hours_and_contacts(client: Client) -> None:
    bakery = TradeCategoryFactory.create(name="Boulangerie-pâtisserie", slug="boulangerie-patisserie")
    shop = ShopFactory.create(
        name="Fournil du Marché",
        category=bakery,
        street_address="3 place du Marché",
        postcode="61200",
        city="Argentan",
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
        phone="02 33 36 12 34",
        email="bonjour@fournil.example",
        website="https://fournil.example/",
        opening_hours="Tu-Sa 07:00-13:00,15:00-19:30; Su 07:00-12:30; PH off",
    )
    ShopClosureFactory.create(shop=shop, start_date=date(2099, 8, 3), end_date=date(2099, 8, 21))
    photo = shop_photo_add(shop=shop, upload=valid_upload(), alt_text="La vitrine")

    data = json_ld(client.get(shop_url(shop)).content.decode())

    url = f"http://testserver{shop_url(shop)}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Bakery"
    assert data["@id"] == f"{url}#commerce"
    assert data["name"] == "Fournil du Marché"
    assert data["url"] == url
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "3 place du Marché",
        "postalCode": "61200",
        "addressLocality": "Argentan",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.7445, "longitude": -0.0203}
    assert data["telephone"] == "+33233361234"
    assert data["email"] == "bonjour@fournil.example"
    assert data["sameAs"] == ["https://fournil.example/"]
    assert data["image"] == [f"http://testserver{photo.large.url}"]
    days = [f"https://schema.org/{day}" for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")]
    assert data["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": "07:00", "closes": "13:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": "15:00", "closes": "19:30"},
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Sunday"],
            "opens": "07:00",
            "closes": "12:30",
        },
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": "2099-08-03",
            "validThrough": "2099-08-21",
        },
    ]


def test_a_shop_without_details_leaves_them_out() -> None:
    shop = ShopFactory.create(opening_hours="", description="")

    data = seo.local_business(shop, url="https://example.fr/x/", images=[], at=NOW)

    assert data["@type"] == "LocalBusiness"
    for key in ("geo", "telephone", "email", "image", "openingHoursSpecification", "sameAs", "description"):
        assert key not in data


# Every day of a week, at night, and both days the clocks change (the last Sundays of March and October).
CLOCKS = [
    *(datetime(2026, 12, 7 + day, 23, 30, tzinfo=PARIS) for day in range(7)),
    *(datetime(2026, 12, 7 + day, 0, 30, tzinfo=PARIS) for day in range(7)),
    datetime(2027, 3, 28, 1, 30, tzinfo=PARIS),
    datetime(2026, 10, 25, 2, 30, tzinfo=PARIS),
]


@pytest.mark.parametrize("at", CLOCKS, ids=lambda at: at.strftime("%a-%Y-%m-%d-%H%M"))
def test_overnight_and_all_day_hours_in_schema_org_terms(at: datetime) -> None:
    bar = ShopFactory.create(opening_hours="Fr-Sa 18:00-02:00")
    always = ShopFactory.create(opening_hours="24/7")

    bar_hours = seo.opening_hours_specification(bar, at=at)
    always_hours = seo.opening_hours_specification(always, at=at)

    assert [(h["dayOfWeek"], h["opens"], h["closes"]) for h in bar_hours] == [
        (["https://schema.org/Friday", "https://schema.org/Saturday"], "18:00", "02:00")
    ]
    assert [(len(h["dayOfWeek"]), h["opens"], h["closes"]) for h in always_hours] == [(7, "00:00", "23:59")]


def test_json_ld_cannot_be_closed_by_what_a_merchant_types(client: Client) -> None:
    shop = ShopFactory.create(name="Chez </script><script>alert(1)</script> Marcel")

    page = client.get(shop_url(shop)).content.decode()

    assert "<script>alert(1)" not in page
    assert json_ld(page)["name"] == "Chez </script><script>alert(1)</script> Marcel"


@pytest.mark.parametrize(
    ("stock", "availability"),
    [
        (7, "https://schema.org/InStock"),
        (0, "https://schema.org/OutOfStock"),
        (None, "https://schema.org/BackOrder"),
    ],
)
def test_product_json_ld_offers_the_price_in_euros_sold_by_the_shop(
    client: Client, stock: int | None, availability: str
) -> None:
    category = ProductCategoryFactory.create(slug="fromages-cremerie", name="Fromages et crèmerie")
    product = ProductFactory.create(
        title="Camembert de Normandie AOP",
        description="Au lait cru.",
        price=Decimal("6.90"),
        stock=stock,
        category=category,
        reference="CAM-01",
    )

    data = json_ld(client.get(product_url(product)).content.decode())

    url = f"http://testserver{product_url(product)}"
    shop_page = f"http://testserver{shop_url(product.shop)}"
    assert data["@type"] == "Product"
    assert data["name"] == "Camembert de Normandie AOP"
    assert data["description"] == "Au lait cru."
    assert data["category"] == "Fromages et crèmerie"
    assert data["sku"] == "CAM-01"
    assert data["url"] == url
    assert data["offers"] == {
        "@type": "Offer",
        "price": "6.90",
        "priceCurrency": "EUR",
        "availability": availability,
        "url": url,
        "seller": {
            "@type": "LocalBusiness",
            "@id": f"{shop_page}#commerce",
            "name": product.shop.name,
            "url": shop_page,
        },
    }


def test_each_variant_is_an_offer_at_its_own_price() -> None:
    product = ProductFactory.create(price=Decimal("20.00"))
    ProductVariantFactory.create(product=product, label="Petit", price=Decimal("15.50"), stock=0)
    ProductVariantFactory.create(product=product, label="Grand", price=None, stock=4)

    data = product_seo.product_schema(
        product,
        url="https://x.fr/p/",
        shop_url="https://x.fr/s/",
        images=[],
        variants=list(product.variants.all()),
    )

    assert [(o["name"], o["price"], o["availability"]) for o in data["offers"]] == [
        ("Petit", "15.50", "https://schema.org/OutOfStock"),
        ("Grand", "20.00", "https://schema.org/InStock"),
    ]


def test_canonical_and_opengraph_tags_are_absolute_and_describe_the_page(client: Client) -> None:
    shop = ShopFactory.create(name="Fromagerie Lebrun", description="Fromages affinés en cave.")

    page = client.get(shop_url(shop)).content.decode()
    second_page = client.get(shop_url(shop) + "?page=2").content.decode()

    canonical = f"http://testserver{shop_url(shop)}"
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert meta(page, "og:title") == "Fromagerie Lebrun"
    assert meta(page, "og:description") == "Fromages affinés en cave."
    assert meta(page, "og:url") == canonical
    assert meta(page, "og:type") == "business.business"
    assert meta(page, "og:image") is None
    assert '<meta name="description" content="Fromages affinés en cave.">' in page
    assert f'<link rel="canonical" href="{canonical}">' in second_page  # a page out of range is page 1


def test_opengraph_image_is_the_first_photo(client: Client) -> None:
    product = ProductFactory.create()
    photo = product_photo_add(product=product, upload=valid_upload(), alt_text="Le fromage coupé")

    page = client.get(product_url(product)).content.decode()

    assert meta(page, "og:image") == f"http://testserver{photo.large.url}"
    assert meta(page, "og:image:alt") == "Le fromage coupé"
    assert meta(page, "og:type") == "product"


def test_directory_and_home_have_canonical_urls_without_filters(client: Client) -> None:
    town = TownFactory.create()

    home = client.get(f"/{town.slug}/").content.decode()
    filtered = client.get(f"/{town.slug}/commerces/?retrait=on").content.decode()

    assert f'<link rel="canonical" href="http://testserver/{town.slug}/">' in home
    assert f'<link rel="canonical" href="http://testserver/{town.slug}/commerces/">' in filtered


def sitemap_locations(client: Client, slug: str) -> list[str]:
    response = client.get(f"/{slug}/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [element.text or "" for element in root.iter(f"{SITEMAP}loc")]


def test_a_towns_sitemap_lists_only_its_public_pages(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    shop = ShopFactory.create(town=town)
    draft = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    product = ProductFactory.create(shop=shop)
    hidden = ProductFactory.create(shop=shop, is_visible=False)
    in_draft = ProductFactory.create(shop=draft)
    elsewhere = ProductFactory.create(shop=ShopFactory.create(town=other))

    locations = sitemap_locations(client, town.slug)

    base = "http://testserver"
    assert sorted(locations) == sorted(
        [
            f"{base}/{town.slug}/",
            f"{base}/{town.slug}/commerces/",
            f"{base}{shop_url(shop)}",
            f"{base}{product_url(product)}",
        ]
    )
    for missing in (shop_url(draft), product_url(hidden), product_url(in_draft), product_url(elsewhere)):
        assert f"{base}{missing}" not in locations


def test_a_territory_sitemap_lists_its_own_pages(client: Client) -> None:
    territory = TerritoryFactory.create()
    ShopFactory.create(town=TownFactory.create(territory=territory))

    assert sitemap_locations(client, territory.slug) == [
        f"http://testserver/{territory.slug}/",
        f"http://testserver/{territory.slug}/commerces/",
    ]


def test_robots_txt_lists_the_sitemaps_of_published_spaces(client: Client) -> None:
    town = TownFactory.create(slug="argentan")
    TownFactory.create(slug="bientot", is_published=False)
    TerritoryFactory.create(slug="terres-d-argentan").towns.add(town)

    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "User-agent: *" in text
    assert "Sitemap: http://testserver/argentan/sitemap.xml" in text
    assert "Sitemap: http://testserver/terres-d-argentan/sitemap.xml" in text
    assert "bientot" not in text
