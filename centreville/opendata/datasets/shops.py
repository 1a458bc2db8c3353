"""The town's published shops, in the national schema « Accessibilité ERP — Base » (acceslibre-erp-base,
version 0.0.20, MTES-MCT/acceslibre-schema on schema.data.gouv.fr).

Why this schema. Two national schemas describe establishments:
- CNIG « Sites économiques », class Établissement (sites-economiques-etablissement v1.0.1) inventories the
  businesses of economic activity zones (loi Climat et résilience, art. 220): its SIRET is the primary key,
  and SIREN, zone (TERRAIN-ECO) identifiers, legal form, staff band and creation date are required. A town-
  centre shop is in no activity zone, and none of these shows on its public page (a sole trader's SIRET names
  a person, who may have refused its publication), so no row of ours could be valid.
- acceslibre « ERP — Base » describes any establishment open to the public, and a shop is one: it requires
  only an identifier, the name, postcode and town, and has the address, coordinates, website and trade that
  a shop's page shows. Files in it can be taken in by acceslibre, the national base of accessibility.

What is published is what the shop's public page already shows, nothing about the people who run it: no
SIRET, no e-mail or phone number (a sole trader's are often their own; the page linked in `contact_url`
gives them to whoever looks). The accessibility columns stay empty: our one answer, « entrée accessible en
fauteuil roulant », is none of the schema's precise questions (level entrance, ramp, lift, width...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from centreville.core.links import absolute_url
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

from .base import Dataset, NationalSchema, Record, Summary, point

ACCESLIBRE_ERP = NationalSchema(
    file="MTES-MCT_acceslibre-erp-base.schema.json",
    page="https://schema.data.gouv.fr/MTES-MCT/acceslibre-schema/0.0.20/documentation.html",
)

# Our trades (shops.taxonomy) as the schema's list of activities (field `activite`) names them.
ACTIVITY_OF_TRADE = {
    "boulangerie-patisserie": "Boulangerie Pâtisserie",
    "boucherie-charcuterie": "Boucherie / commerce de viande",
    "poissonnerie": "Poissonnerie / commerce de poissons, crustacés et mollusques",
    "fromagerie": "Fromagerie",
    "primeur": "Primeur",
    "caviste": "Caviste / commerce de détail de boissons",
    "epicerie-fine": "Epicerie fine",
    "chocolatier-confiseur": "Chocolatier",
    "torrefacteur-salon-de-the": "Vente de cafés et thés",
    "traiteur": "Traiteur, gastronomie",
    "herboristerie-bio": "Commerce bio",
    "cafe-bar": "Café, bar, brasserie",
    "restaurant": "Restaurant",
    "pret-a-porter-femme": "Vêtements",
    "pret-a-porter-homme": "Vêtements",
    "chaussures": "Chaussures",
    "bijouterie-horlogerie": "Bijouterie joaillerie",
    "mercerie": "Mercerie",
    "pharmacie": "Pharmacie",
    "opticien": "Opticien",
    "coiffure": "Coiffure",
    "institut-de-beaute": "Soins de beauté, esthétique",
    "librairie-papeterie": "Librairie",
    "tabac-presse": "Tabac",
    "disquaire": "Disquaire",
    "jouets": "Jeux jouets",
    "sport": "Vente d'articles de sport",
    "fleuriste": "Fleuriste",
    "decoration-et-cadeaux": "Décoration Design",
    "quincaillerie-droguerie": "Droguerie",
    "antiquites-brocante": "Antiquaire",
    "informatique-et-telephonie": "Achat, vente, réparation de matériel informatique et téléphonique",
    "cordonnerie-cles": "Cordonnerie serrurerie",
    "retouches-pressing": "Couture, retouche",
}
# A trade the town added itself: the schema's generic activity.
OTHER_ACTIVITY = "Commerce"

# "12 bis rue de la République" → "12 bis", "rue de la République"; "Place du Marché" has no number.
STREET_NUMBER = re.compile(
    r"^\s*(?P<number>\d+(?:\s*(?:bis|ter|quater)\b|\s?[a-z]\b)?)\s*,?\s+(?P<street>\S.*)$", re.IGNORECASE
)
# A shop that stopped being published changed the file: its last change dates the file.
ONCE_PUBLISHED = (ShopStatus.PUBLISHED, ShopStatus.HIDDEN, ShopStatus.CLOSED)


def split_street_address(address: str) -> tuple[str, str]:
    """The street number (with its bis, ter...) and the street of an address line, as `numero` and `voie`."""
    found = STREET_NUMBER.match(address)
    if found is None:
        return "", address.strip()
    return found["number"], found["street"].strip()


def shop_records(town: Town, *, at: datetime) -> Iterator[Record]:
    """The town's published shops, by name, one record in acceslibre-erp-base 0.0.20 each."""
    shops = (
        Shop.objects.for_town(town)
        .filter(status=ShopStatus.PUBLISHED)
        .order_by("name", "pk")
        .values(
            "pk",
            "slug",
            "name",
            "street_address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "website",
            "category__slug",
        )
    )
    # The address of a shop's page, reversed once rather than for each of thousands of shops.
    page, _, after_slug = absolute_url(reverse("catalogue:shop", args=[town.slug, "slug"])).rpartition("slug")
    in_town: dict[str, bool] = {}
    for shop in shops.iterator(chunk_size=2000):
        city = shop["city"]
        if city not in in_town:
            in_town[city] = slugify(city) == slugify(town.name)
        number, street = split_street_address(shop["street_address"])
        yield {
            "id": f"{town.insee_code}-commerce-{shop['pk']}",
            "name": shop["name"],
            "postal_code": shop["postcode"],
            "commune": city,
            "numero": number or None,
            "voie": street or None,
            # The town's INSEE code is the shop's only if the shop is in the town itself.
            "code_insee": town.insee_code if in_town[city] else None,
            "contact_url": page + shop["slug"] + after_slug,
            "site_internet": shop["website"] or None,
            "longitude": shop["longitude"],
            "latitude": shop["latitude"],
            "activite": ACTIVITY_OF_TRADE.get(shop["category__slug"], OTHER_ACTIVITY),
        }


def shop_summary(town: Town, *, at: datetime) -> Summary:
    figures = (
        Shop.objects.for_town(town)
        .filter(status__in=ONCE_PUBLISHED)
        .aggregate(records=Count("pk", filter=Q(status=ShopStatus.PUBLISHED)), updated_at=Max("updated_at"))
    )
    return Summary(records=figures["records"], updated_at=figures["updated_at"])


SHOPS = Dataset(
    slug="commerces",
    title=_("Commerces"),
    description=_(
        "Les commerces publiés sur la plateforme : nom, adresse, position, métier, site web et lien vers "
        "leur page. Rien d'autre que ce que montre la page publique de chaque commerce."
    ),
    records=shop_records,
    summary=shop_summary,
    schema=ACCESLIBRE_ERP,
    geometry=point("longitude", "latitude"),
)
