"""What search engines and link previews read: schema.org JSON-LD, canonical URLs and OpenGraph tags.

JSON-LD goes in `<script type="application/ld+json">`: a data block that browsers never execute, so the
Content-Security-Policy (scripts from our host only) does not apply to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from centreville.core.links import absolute_url
from centreville.core.models import Photo

from .hours import Closure, schema_org_hours
from .models import Shop, ShopClosure

SCHEMA = "https://schema.org"
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


def opening_hours_specification(
    shop: Shop, closures: Sequence[ShopClosure] = (), *, at: datetime
) -> list[dict[str, Any]]:
    """The shop's regular week from `at` as schema.org OpeningHoursSpecification, closures after it."""
    return schema_org_hours(
        shop.opening_hours,
        shop.town.timezone,
        closures=[Closure(c.start_date, c.end_date, c.label) for c in closures],
        at=at,
    )


def business_id(shop_url: str) -> str:
    """The shop's node identifier, shared by its page and by the offers of its products."""
    return f"{shop_url}#commerce"


def business_type(shop: Shop) -> str:
    """The most precise schema.org type of the shop's trade."""
    return SCHEMA_TYPES.get(shop.category.slug, "LocalBusiness")


def local_business(
    shop: Shop, *, url: str, images: Sequence[str], closures: Sequence[ShopClosure] = (), at: datetime
) -> dict[str, Any]:
    """schema.org LocalBusiness (or a more precise type) for a shop's page."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": business_type(shop),
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
    hours = opening_hours_specification(shop, closures, at=at) if shop.opening_hours else []
    if hours:
        data["openingHoursSpecification"] = hours
    same_as = [link for link in (shop.website, shop.facebook_url, shop.instagram_url) if link]
    if same_as:
        data["sameAs"] = same_as
    return data
