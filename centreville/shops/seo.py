"""What search engines and link previews read: schema.org JSON-LD, canonical URLs and OpenGraph tags.

JSON-LD goes in `<script type="application/ld+json">`: a data block that browsers never execute, so the
Content-Security-Policy (scripts from our host only) does not apply to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from centreville.catalogue.models import Product, ProductVariant
from centreville.core.links import absolute_url
from centreville.core.models import Photo

from .models import Shop, ShopClosure
from .selectors import regular_week

SCHEMA = "https://schema.org"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DESCRIPTION_LENGTH = 160
# The most precise schema.org type of each trade of the taxonomy (centreville.shops.taxonomy).
SCHEMA_TYPES = {
    "boulangerie-patisserie": "Bakery",
    "boucherie-charcuterie": "ButcherShop",
    "poissonnerie": "GroceryStore",
    "fromagerie": "GroceryStore",
    "primeur": "GroceryStore",
    "caviste": "LiquorStore",
    "epicerie-fine": "GroceryStore",
    "chocolatier-confiseur": "Store",
    "torrefacteur-salon-de-the": "CafeOrCoffeeShop",
    "traiteur": "FoodEstablishment",
    "herboristerie-bio": "Store",
    "cafe-bar": "BarOrPub",
    "restaurant": "Restaurant",
    "pret-a-porter-femme": "ClothingStore",
    "pret-a-porter-homme": "ClothingStore",
    "chaussures": "ShoeStore",
    "bijouterie-horlogerie": "JewelryStore",
    "mercerie": "Store",
    "pharmacie": "Pharmacy",
    "opticien": "Optician",
    "coiffure": "HairSalon",
    "institut-de-beaute": "BeautySalon",
    "librairie-papeterie": "BookStore",
    "tabac-presse": "Store",
    "disquaire": "MusicStore",
    "jouets": "ToyStore",
    "sport": "SportingGoodsStore",
    "fleuriste": "Florist",
    "decoration-et-cadeaux": "HomeGoodsStore",
    "quincaillerie-droguerie": "HardwareStore",
    "antiquites-brocante": "Store",
    "informatique-et-telephonie": "ElectronicsStore",
    "cordonnerie-cles": "LocalBusiness",
    "retouches-pressing": "DryCleaningOrLaundry",
}


@dataclass(frozen=True)
class PageMeta:
    """What a public page says about itself in <head>."""

    title: str
    description: str
    canonical: str  # absolute URL
    og_type: str = "website"
    image: str = ""  # absolute URL
    image_alt: str = ""
    json_ld: SafeString | None = None


def canonical_url(path: str) -> str:
    """The absolute URL of `path`, on the platform's public address whatever host the request named."""
    return absolute_url(path)


def summary(text: str) -> str:
    """A description on one line, short enough for a search result."""
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


def ld_json(data: dict[str, Any]) -> SafeString:
    """JSON-LD that is safe inside <script>: `<`, `>` and `&` are escaped, as `json_script` does."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(escaped)  # escaped just above, as json_script does


def image_urls(photos: Iterable[Photo]) -> list[str]:
    return [absolute_url(photo.large.url) for photo in photos if photo.large]


def _time(moment: datetime, day_end: datetime) -> str:
    # schema.org has no 24:00: a day open until midnight closes at 23:59.
    return "23:59" if moment == day_end else moment.strftime("%H:%M")


def opening_hours_specification(shop: Shop, closures: Sequence[ShopClosure] = ()) -> list[dict[str, Any]]:
    """The shop's regular week as schema.org OpeningHoursSpecification, days with the same hours grouped;
    exceptional closures follow as whole days closed (opens = closes = 00:00) over their dates."""
    grouped: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for weekday, _day_start, day_end, slots in regular_week(shop.opening_hours, shop.town.timezone):
        key = tuple((_time(start, day_end), _time(end, day_end)) for start, end in slots)
        if key:
            grouped.setdefault(key, []).append(DAYS[weekday])
    specification: list[dict[str, Any]] = []
    for times, days in grouped.items():
        day_list = [f"{SCHEMA}/{day}" for day in sorted(days, key=DAYS.index)]
        for opens, closes in times:
            specification.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": day_list,
                    "opens": opens,
                    "closes": closes,
                }
            )
    for closure in closures:
        specification.append(
            {
                "@type": "OpeningHoursSpecification",
                "opens": "00:00",
                "closes": "00:00",
                "validFrom": closure.start_date.isoformat(),
                "validThrough": closure.end_date.isoformat(),
            }
        )
    return specification


def business_id(shop_url: str) -> str:
    """The shop's node identifier, shared by its page and by the offers of its products."""
    return f"{shop_url}#commerce"


def local_business(
    shop: Shop, *, url: str, images: Sequence[str], closures: Sequence[ShopClosure] = ()
) -> dict[str, Any]:
    """schema.org LocalBusiness (or a more precise type) for a shop's page."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": SCHEMA_TYPES.get(shop.category.slug, "LocalBusiness"),
        "@id": business_id(url),
        "name": shop.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.street_address,
            "postalCode": shop.postcode,
            "addressLocality": shop.city,
            "addressCountry": "FR",
        },
    }
    if shop.description:
        data["description"] = summary(shop.description)
    if shop.latitude is not None and shop.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(shop.latitude),
            "longitude": float(shop.longitude),
        }
    if shop.phone:
        data["telephone"] = shop.phone.as_e164
    if shop.email:
        data["email"] = shop.email
    if images:
        data["image"] = list(images)
    hours = opening_hours_specification(shop, closures) if shop.opening_hours else []
    if hours:
        data["openingHoursSpecification"] = hours
    same_as = [link for link in (shop.website, shop.facebook_url, shop.instagram_url) if link]
    if same_as:
        data["sameAs"] = same_as
    return data


def availability(stock: int | None) -> str:
    """schema.org availability of a stock: none given means the shop gets it when asked (back order)."""
    if stock is None:
        return f"{SCHEMA}/BackOrder"
    return f"{SCHEMA}/InStock" if stock > 0 else f"{SCHEMA}/OutOfStock"


def _price(value: Decimal) -> str:
    return f"{value:.2f}"


def product_schema(
    product: Product,
    *,
    url: str,
    shop_url: str,
    images: Sequence[str],
    variants: Sequence[ProductVariant] = (),
) -> dict[str, Any]:
    """schema.org Product with one Offer (or one per variant) sold by the shop's LocalBusiness."""
    shop = product.shop
    seller = {
        "@type": SCHEMA_TYPES.get(shop.category.slug, "LocalBusiness"),
        "@id": business_id(shop_url),
        "name": shop.name,
        "url": shop_url,
    }

    def offer(price: Decimal, stock: int | None, name: str = "") -> dict[str, Any]:
        data = {
            "@type": "Offer",
            "price": _price(price),
            "priceCurrency": "EUR",
            "availability": availability(stock),
            "url": url,
            "seller": seller,
        }
        if name:
            data["name"] = name
        return data

    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.title,
        "url": url,
    }
    if product.description:
        data["description"] = summary(product.description)
    if product.category is not None:
        data["category"] = product.category.name
    if product.reference:
        data["sku"] = product.reference
    if images:
        data["image"] = list(images)
    if variants:
        data["offers"] = [
            offer(variant.price if variant.price is not None else product.price, variant.stock, variant.label)
            for variant in variants
        ]
    else:
        data["offers"] = offer(product.price, product.stock)
    return data
