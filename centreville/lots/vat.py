"""The VAT rate a lot gets by default, from its category (the producer may change it).

Food for human consumption is at 5.5 % (CGI art. 278-0 bis A), except confectionery, chocolate other than
plain, margarine and alcoholic drinks (20 %); food sold to professionals is not « for immediate
consumption », so the 10 % rate of restaurants does not apply by default; what is not food is at 20 %.
"""

from __future__ import annotations

from centreville.search.text import words

from .models import VatRate

# Product categories (catalogue.taxonomy slugs) whose goods are food at the reduced rate.
FOOD_CATEGORIES = frozenset(
    {"pain-patisserie", "viandes-charcuterie", "poissons", "fromages-cremerie", "fruits-legumes", "epicerie",
     "plats-prepares"}
)  # fmt: skip
# In « boissons », what is not alcohol is at 5.5 %: juices, waters, milk drinks.
SOFT_DRINK_WORDS = ("jus", "nectar", "eau", "limonade", "sirop", "lait", "the", "cafe", "tisane")


def default_vat_rate(*, category_slug: str, title: str = "") -> VatRate:
    """The rate a lot of `category_slug` named `title` takes unless its producer says otherwise."""
    if category_slug in FOOD_CATEGORIES:
        return VatRate.REDUCED
    if category_slug == "boissons":
        soft = any(word in SOFT_DRINK_WORDS for word in words(title))
        return VatRate.REDUCED if soft else VatRate.STANDARD
    return VatRate.STANDARD
