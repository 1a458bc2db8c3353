"""Product categories people look for across shops: one platform-wide list, loaded by a data migration."""

from __future__ import annotations

PRODUCT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Pain et pâtisserie", "pain-patisserie"),
    ("Viandes et charcuterie", "viandes-charcuterie"),
    ("Poissons et fruits de mer", "poissons"),
    ("Fromages et crèmerie", "fromages-cremerie"),
    ("Fruits et légumes", "fruits-legumes"),
    ("Épicerie", "epicerie"),
    ("Vins, bières et boissons", "boissons"),
    ("Chocolats et confiseries", "chocolats-confiseries"),
    ("Plats préparés", "plats-prepares"),
    ("Vêtements", "vetements"),
    ("Chaussures et maroquinerie", "chaussures-maroquinerie"),
    ("Bijoux et montres", "bijoux-montres"),
    ("Beauté et bien-être", "beaute-bien-etre"),
    ("Santé et optique", "sante-optique"),
    ("Livres et papeterie", "livres-papeterie"),
    ("Musique et films", "musique-films"),
    ("Jeux et jouets", "jeux-jouets"),
    ("Maison et décoration", "maison-decoration"),
    ("Bricolage et quincaillerie", "bricolage"),
    ("Fleurs et plantes", "fleurs-plantes"),
    ("Sport et loisirs", "sport-loisirs"),
    ("Informatique et téléphonie", "informatique-telephonie"),
    ("Mercerie et couture", "mercerie-couture"),
    ("Antiquités et occasion", "antiquites-occasion"),
    ("Services", "services"),
    ("Restauration sur place", "restauration"),
)
