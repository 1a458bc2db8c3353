"""Product categories people look for across shops: one platform-wide list, loaded by a data migration.

The database keeps the French names; `product_category_name()` shows one in the current language.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

PRODUCT_CATEGORIES: tuple[tuple[str, str], ...] = (
    (gettext_noop("Pain et pâtisserie"), "pain-patisserie"),
    (gettext_noop("Viandes et charcuterie"), "viandes-charcuterie"),
    (gettext_noop("Poissons et fruits de mer"), "poissons"),
    (gettext_noop("Fromages et crèmerie"), "fromages-cremerie"),
    (gettext_noop("Fruits et légumes"), "fruits-legumes"),
    (gettext_noop("Épicerie"), "epicerie"),
    (gettext_noop("Vins, bières et boissons"), "boissons"),
    (gettext_noop("Chocolats et confiseries"), "chocolats-confiseries"),
    (gettext_noop("Plats préparés"), "plats-prepares"),
    (gettext_noop("Vêtements"), "vetements"),
    (gettext_noop("Chaussures et maroquinerie"), "chaussures-maroquinerie"),
    (gettext_noop("Bijoux et montres"), "bijoux-montres"),
    (gettext_noop("Beauté et bien-être"), "beaute-bien-etre"),
    (gettext_noop("Santé et optique"), "sante-optique"),
    (gettext_noop("Livres et papeterie"), "livres-papeterie"),
    (gettext_noop("Musique et films"), "musique-films"),
    (gettext_noop("Jeux et jouets"), "jeux-jouets"),
    (gettext_noop("Maison et décoration"), "maison-decoration"),
    (gettext_noop("Bricolage et quincaillerie"), "bricolage"),
    (gettext_noop("Fleurs et plantes"), "fleurs-plantes"),
    (gettext_noop("Sport et loisirs"), "sport-loisirs"),
    (gettext_noop("Informatique et téléphonie"), "informatique-telephonie"),
    (gettext_noop("Mercerie et couture"), "mercerie-couture"),
    (gettext_noop("Antiquités et occasion"), "antiquites-occasion"),
    (gettext_noop("Services"), "services"),
    (gettext_noop("Restauration sur place"), "restauration"),
)


PRODUCT_CATEGORY_NAMES = frozenset(name for name, _slug in PRODUCT_CATEGORIES)


def product_category_name(name: str) -> str:
    """A product category's name in the current language: the platform's list is translated, others stay."""
    return gettext(name) if name in PRODUCT_CATEGORY_NAMES else name
