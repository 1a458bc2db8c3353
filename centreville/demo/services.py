"""The demo: two towns of the Orne, their territory, about sixty shops, their products and demo logins.

`demo_load(at=…)` is idempotent: every object is found by a natural key (slug, e-mail) and written only when
it differs from the demo, so running it again creates nothing and changes nothing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from centreville.accounts.models import Role, TownRole, User
from centreville.catalogue.models import Product, ProductCategory, ProductVariant
from centreville.catalogue.services import product_categories_ensure
from centreville.fulfilment.models import (
    DeliveryZone,
    Locker,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
    TownOrderSettings,
)
from centreville.news.demo import demo_news
from centreville.parking.demo import demo_parking
from centreville.search.services import rebuild_index
from centreville.shops.models import Shop, ShopClosure, ShopMembership, ShopStatus, TradeCategory
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.towns.models import Territory, Town

from .activity import demo_activity_load
from .agenda import demo_agenda_load
from .exchange import demo_exchange_load, demo_exchange_orders
from .footfall import demo_footfall_load
from .photos import demo_photos_load
from .premises import demo_premises_load
from .support_coaching import EXPERTS as COACHING_EXPERTS
from .support_coaching import demo_coaching_load
from .support_diagnostic import demo_diagnostic_load
from .support_training import demo_training_load
from .vocabulary import PRODUCT_CATEGORY_OF_TRADE, SIZED_TRADES, TRADES, Trade
from .vouchers import demo_vouchers_load

DEMO_PASSWORD = "centreville-demo"
DEMO_SEED = 2026
# Trades that sell services or serve on the spot: their products have no stock to count.
NO_STOCK_TRADES = frozenset(
    {"cafe-bar", "restaurant", "coiffure", "institut-de-beaute", "cordonnerie-cles", "retouches-pressing"}
)
EARTH_METRES_PER_DEGREE = 111_320
MEAL_VOUCHER_TRADES = frozenset(
    {
        "boulangerie-patisserie",
        "boucherie-charcuterie",
        "fromagerie",
        "primeur",
        "traiteur",
        "restaurant",
        "cafe-bar",
    }
)
DEMO_DECLARATION_DATE = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)

_M = TypeVar("_M", bound=models.Model)


# --- What the demo holds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _TownSpec:
    slug: str
    name: str
    insee_code: str
    postcode: str
    latitude: Decimal
    longitude: Decimal
    brand_colour: str
    contact_email: str
    welcome_text: str
    # Outline of the town centre, in metres east/north of the centre point.
    outline_metres: tuple[tuple[int, int], ...]
    # Where each street runs, in metres east/north of the centre point.
    streets: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class _ShopSpec:
    category_slug: str
    name: str
    number: str
    street: str
    description: str
    status: str = ShopStatus.PUBLISHED


@dataclass(frozen=True)
class _UserSpec:
    label: str  # the role as shown in the table of demo logins
    email: str
    first_name: str
    last_name: str
    town_slug: str | None = None
    role: str | None = None
    is_superuser: bool = False


TERRITORY = {
    "slug": "terres-d-argentan",
    "name": "Terres d'Argentan",
    "brand_colour": "#1d4e89",
    "welcome_text": (
        "Les centres-villes d'Argentan et d'Écouché-les-Vallées réunis : tous les commerces indépendants "
        "des Terres d'Argentan, leurs horaires et leurs produits, au même endroit."
    ),
}

ARGENTAN = _TownSpec(
    slug="argentan",
    name="Argentan",
    insee_code="61006",
    postcode="61200",
    latitude=Decimal("48.744500"),
    longitude=Decimal("-0.020300"),
    brand_colour="#7a1f2b",
    contact_email="centre-ville@argentan.example",
    welcome_text=(
        "Bienvenue dans le centre-ville d'Argentan ! Boulangers, fromagers, libraires, fleuristes, cafés : "
        "plus de quarante commerçants indépendants vous accueillent entre la place du Marché, la rue de la "
        "Chaussée et le boulevard Carnot. Retrouvez ici leurs horaires, leurs produits et leurs nouveautés."
    ),
    outline_metres=(
        (-430, 60),
        (-320, 330),
        (-20, 410),
        (300, 320),
        (460, 40),
        (340, -290),
        (30, -390),
        (-320, -270),
    ),
    streets={
        "place du Marché": (0, 0),
        "rue de la Chaussée": (-90, 60),
        "rue du Beigle": (60, 130),
        "rue Saint-Martin": (-160, -90),
        "rue de la République": (130, -60),
        "rue Pierre Ozenne": (-60, -190),
        "place Mahé": (190, 40),
        "boulevard Carnot": (250, -160),
        "rue de l'Hôtel de Ville": (20, 90),
        "rue Aristide Briand": (-210, 120),
        "rue Saint-Germain": (-30, 190),
    },
)

ECOUCHE = _TownSpec(
    slug="ecouche-les-vallees",
    name="Écouché-les-Vallées",
    insee_code="61150",
    postcode="61150",
    latitude=Decimal("48.716000"),
    longitude=Decimal("-0.124000"),
    brand_colour="#245a3c",
    contact_email="mairie@ecouche-les-vallees.example",
    welcome_text=(
        "Bienvenue à Écouché-les-Vallées, au bord de l'Orne : le pain, la viande, les fleurs et le café "
        "du coin, tenus par des commerçants du bourg qui vous attendent à deux pas de l'église."
    ),
    outline_metres=((-220, 0), (-140, 190), (60, 230), (220, 90), (200, -130), (10, -220), (-170, -150)),
    streets={
        "Grande Rue": (0, 40),
        "place de l'Église": (50, -20),
        "rue de la Gare": (-130, -90),
        "rue du Pont": (-70, 110),
        "place du Marché": (20, 0),
    },
)

_S = _ShopSpec
_SUBMITTED = ShopStatus.SUBMITTED
_CLOSED = ShopStatus.CLOSED

ARGENTAN_SHOPS: tuple[_ShopSpec, ...] = (
    _S("boulangerie-patisserie", "Boulangerie Lemonnier", "12", "rue de la Chaussée",
       "Pain au levain, viennoiseries pur beurre et la fallue du dimanche, cuits sur place depuis trois "
       "générations."),
    _S("torrefacteur-salon-de-the", "Brûlerie Lemonnier", "14", "rue de la Chaussée",
       "Cafés torréfiés chaque semaine dans la boutique, thés en vrac et un salon pour le goûter."),
    _S("boulangerie-patisserie", "Au Fournil de Mathilde", "5", "rue du Beigle",
       "Boulangerie bio : pains au levain, farines de meule de moulins normands, brioches et tartes de "
       "saison."),
    _S("boulangerie-patisserie", "Boulangerie Lesage", "58", "boulevard Carnot",
       "Boulangerie-pâtisserie de quartier, baguette de tradition primée et gâteaux sur commande."),
    _S("boucherie-charcuterie", "Boucherie Anquetil", "27", "rue de la République",
       "Viandes de races normandes choisies chez les éleveurs du pays d'Argentan, charcuterie et andouille "
       "maison."),
    _S("boucherie-charcuterie", "Maison Lelièvre", "9", "rue du Beigle",
       "Charcuterie artisanale, boudin noir, pâtés et plats cuisinés maison."),
    _S("poissonnerie", "Poissonnerie Lecanu", "3", "place du Marché",
       "Arrivages quotidiens des criées de la côte normande, plateaux de fruits de mer sur commande."),
    _S("fromagerie", "Fromagerie Gosselin", "8", "rue du Beigle",
       "Camembert, livarot et pont-l'évêque affinés dans notre cave, et plus de cent fromages de France."),
    _S("primeur", "Primeur Tostain", "1", "place du Marché",
       "Fruits et légumes de saison, en direct des maraîchers de la plaine d'Argentan dès que possible."),
    _S("caviste", "Le Cellier de Marius", "19", "rue Saint-Martin",
       "Cidres, poirés et calvados de producteurs voisins, vins de vignerons indépendants, dégustations le "
       "samedi."),
    _S("caviste", "Vins et spiritueux Hamel", "14", "rue de l'Hôtel de Ville",
       "Grands vins, spiritueux et cidres de Normandie, conseils pour vos repas et paniers garnis."),
    _S("epicerie-fine", "Le Comptoir de Capucine", "22", "rue de la Chaussée",
       "Épicerie fine normande : caramels, terrines, miels du bocage et coffrets cadeaux composés à la "
       "demande."),
    _S("chocolatier-confiseur", "Chocolaterie Delamare", "6", "rue de l'Hôtel de Ville",
       "Chocolats fins élaborés dans notre atelier, truffes au calvados et pâtes de fruits aux pommes du "
       "pays."),
    _S("traiteur", "Traiteur Onfroy", "31", "rue de la République",
       "Plats du jour à emporter, buffets et repas de fête préparés avec les produits du marché."),
    _S("traiteur", "Les Plats d'Océane", "7", "place Mahé",
       "Cuisine maison à emporter, plats végétariens et boîtes repas pour le déjeuner."),
    _S("herboristerie-bio", "L'Épi Vert", "10", "rue Pierre Ozenne",
       "Épicerie bio et vrac, tisanes, herboristerie et cosmétiques naturels ; conseils personnalisés."),
    _S("cafe-bar", "Café du Commerce", "2", "place du Marché",
       "Le rendez-vous des jours de marché : café, cidre fermier et terrasse au soleil."),
    _S("cafe-bar", "Le Bistrot de Gaspard", "15", "place Mahé",
       "Bar de quartier, petits-déjeuners, planches à partager et concerts un vendredi par mois."),
    _S("cafe-bar", "Chez Clara", "20", "rue Aristide Briand",
       "Café de quartier, jeux de société, cidre et bières brassées dans l'Orne."),
    _S("restaurant", "La Table d'Héloïse", "9", "rue de l'Hôtel de Ville",
       "Cuisine de marché, produits normands et menu du jour renouvelé chaque matin."),
    _S("restaurant", "L'Auberge de Léon", "44", "boulevard Carnot",
       "Cuisine traditionnelle normande dans une maison à pans de bois ; tripes le jeudi."),
    _S("restaurant", "Restaurant Levasseur", "3", "rue Saint-Germain",
       "Cuisine de saison dans un cadre contemporain, terrasse face à l'église Saint-Germain."),
    _S("pret-a-porter-femme", "Boutique Apolline", "17", "rue de la Chaussée",
       "Mode féminine de créateurs français, du 36 au 48, et accessoires choisis avec soin."),
    _S("pret-a-porter-femme", "Les Tendances de Margaux", "4", "rue Saint-Martin",
       "Prêt-à-porter et accessoires de marques engagées, conseils personnalisés."),
    _S("pret-a-porter-homme", "Le Vestiaire de Victor", "25", "rue de la Chaussée",
       "Vêtements pour homme, du décontracté au costume, retouches faites sur place."),
    _S("pret-a-porter-homme", "Hugo Homme", "2", "rue Saint-Martin",
       "Mode masculine décontractée : jeans, mailles et chaussures."),
    _S("chaussures", "Chaussures Lesueur", "33", "rue de la République",
       "Chaussures pour toute la famille, pointures spéciales sur commande."),
    _S("bijouterie-horlogerie", "Bijouterie Leprince", "11", "rue de la Chaussée",
       "Bijoux en or et en argent, montres, réparations et gravures réalisées dans notre atelier."),
    _S("mercerie", "Au Fil de Françoise", "7", "rue Saint-Martin",
       "Laines, tissus, boutons et tout pour la couture ; atelier de tricot le mercredi après-midi."),
    _S("pharmacie", "Pharmacie du Centre", "1", "rue de la République",
       "Conseils santé, orthopédie, matériel médical et préparation des piluliers."),
    _S("pharmacie", "Pharmacie Beaufils", "48", "boulevard Carnot",
       "Pharmacie de quartier, parapharmacie et dépistages sur rendez-vous."),
    _S("opticien", "Optique Letellier", "29", "rue de la Chaussée",
       "Opticien indépendant : montures de fabricants français, lentilles et examens de vue."),
    _S("coiffure", "Gaëlle Coiffure", "13", "rue du Beigle",
       "Salon mixte, colorations végétales, coupes pour enfants et barbier le samedi."),
    _S("coiffure", "Les Ciseaux de Romain", "36", "rue Pierre Ozenne",
       "Coiffeur et barbier pour homme, avec ou sans rendez-vous."),
    _S("institut-de-beaute", "L'Instant de Lina", "21", "rue Saint-Germain",
       "Soins du visage et du corps, épilations, manucure et cartes cadeaux."),
    _S("librairie-papeterie", "Librairie Lerebours", "9", "rue Saint-Germain",
       "Librairie indépendante : romans, jeunesse, bande dessinée, histoire de la Normandie et papeterie ; "
       "rencontres d'auteurs."),
    _S("tabac-presse", "Tabac-presse Marguerite", "5", "place du Marché",
       "Presse locale et nationale, carterie, recharges téléphoniques et point relais colis."),
    _S("tabac-presse", "Tabac de la Place", "1", "place Mahé",
       "Presse, carterie et dépôt de pain le lundi, jour de fermeture des boulangeries."),
    _S("disquaire", "Le Microsillon", "8", "rue Aristide Briand",
       "Vinyles neufs et d'occasion, jazz, rock et chanson française, platines révisées."),
    _S("jouets", "La Ribambelle", "18", "rue de la République",
       "Jouets en bois, jeux de société et loisirs créatifs ; un coin pour essayer sur place."),
    _S("sport", "Cycles et sports Desmonts", "52", "boulevard Carnot",
       "Vélos, réparations, course à pied et sports collectifs : l'équipement des clubs d'Argentan."),
    _S("fleuriste", "Au Jardin d'Ambre", "6", "place Mahé",
       "Fleurs de saison, compositions pour tous les moments de la vie et plantes ; livraison en ville."),
    _S("decoration-et-cadeaux", "Les Trouvailles de Chloé", "24", "rue Saint-Martin",
       "Décoration, art de la table et idées cadeaux, avec une belle place pour les artisans normands."),
    _S("quincaillerie-droguerie", "Quincaillerie Guérout", "40", "rue de la République",
       "Outillage, droguerie, produits d'entretien à l'ancienne et reproduction de clés."),
    _S("antiquites-brocante", "Antiquités Laîné", "3", "rue Aristide Briand",
       "Meubles normands, objets anciens, dentelles et curiosités ; achat et estimation."),
    _S("informatique-et-telephonie", "Réparation mobile Lecarpentier", "12", "place Mahé",
       "Réparation de smartphones et d'ordinateurs, appareils reconditionnés et aide aux démarches en "
       "ligne."),
    _S("cordonnerie-cles", "Cordonnerie du Centre", "2", "rue Pierre Ozenne",
       "Réparation de chaussures, clés, badges et plaques gravées, souvent pendant que vous attendez."),
    _S("retouches-pressing", "Pressing Leconte", "27", "boulevard Carnot",
       "Nettoyage à sec, blanchisserie et retouches ; vêtements prêts en 24 heures."),
    # The workflow: two shops waiting for the town manager, one that has closed.
    _S("fleuriste", "Théo Fleurs", "30", "rue Saint-Martin",
       "Nouvelle boutique de fleurs locales et de fleurs séchées, ouverture prévue ce printemps.",
       _SUBMITTED),
    _S("institut-de-beaute", "Les Soins de Jade", "11", "rue Aristide Briand",
       "Institut de beauté tout juste installé : soins naturels et maquillage.", _SUBMITTED),
    _S("mercerie", "Mercerie Tessier", "37", "rue de la République",
       "Mercerie historique de la rue de la République, fermée après le départ en retraite de sa "
       "propriétaire.", _CLOSED),
)  # fmt: skip

ECOUCHE_SHOPS: tuple[_ShopSpec, ...] = (
    _S("boulangerie-patisserie", "Boulangerie Lecœur", "6", "Grande Rue",
       "Pain au levain et viennoiseries ; dépôt de pain dans les communes déléguées."),
    _S("boucherie-charcuterie", "Boucherie Hébert", "11", "Grande Rue",
       "Viandes de la vallée de l'Orne et charcuterie maison."),
    _S("cafe-bar", "Le Bistrot de Bruno", "2", "place de l'Église",
       "Café, presse du jour et repas ouvriers le midi."),
    _S("pharmacie", "Pharmacie de l'Orne", "1", "rue de la Gare",
       "Pharmacie, parapharmacie et matériel médical en location."),
    _S("coiffure", "Claire Coiffure", "9", "rue du Pont",
       "Salon de coiffure mixte, sur rendez-vous le samedi."),
    _S("tabac-presse", "Tabac-presse Lepetit", "3", "place du Marché",
       "Presse, carterie, recharges et point relais colis."),
    _S("fleuriste", "L'Atelier floral de Rose", "14", "Grande Rue",
       "Bouquets, plantes et compositions pour les cérémonies."),
    _S("primeur", "Au Panier de Marion", "5", "place du Marché",
       "Fruits et légumes des maraîchers de la vallée, jus de pomme fermier."),
)  # fmt: skip

MERCHANT_EMAIL = "commercant@argentan.example"
SECOND_MERCHANT_EMAIL = "commercante@argentan.example"
# Who runs which shop (by slug in Argentan): one person two shops, and one shop run by two people.
MEMBERSHIPS: tuple[tuple[str, str], ...] = (
    (MERCHANT_EMAIL, "boulangerie-lemonnier"),
    (MERCHANT_EMAIL, "brulerie-lemonnier"),
    (SECOND_MERCHANT_EMAIL, "brulerie-lemonnier"),
)

# Click & Collect in Argentan: the four ways, delivery paid by the town up to 5 € (as Dinan does).
DELIVERING_SHOPS = frozenset({"brulerie-lemonnier", "au-jardin-dambre", "primeur-tostain"})
FULFILMENT_TOWN = "argentan"
TOWN_FULFILMENT = {
    "pickup_enabled": True,
    "relay_enabled": True,
    "locker_enabled": True,
    "delivery_enabled": True,
    "delivery_base_fee": Decimal("5.00"),
    "delivery_fee_per_km": Decimal("0.00"),
    "delivery_free_from": None,
    "subsidy_percent": 100,
    "subsidy_cap": Decimal("5.00"),
}
ORDER_SETTINGS = {"accept_within_hours": 24, "collect_within_days": 7, "online_payment_enabled": True}
# The relay point (the newsagent), the locker and the delivery zone, found by their names.
RELAY_POINT_NAME = "Maison de la presse"
RELAY_POINT: dict[str, Any] = {
    "street_address": "16 rue de la Chaussée",
    "opening_hours": "Mo-Sa 07:00-19:30; Su 08:00-12:30; PH off",
    "is_active": True,
}
LOCKER_NAME = "Consigne de la place Mahé"
LOCKER: dict[str, Any] = {
    "street_address": "place Mahé, près de l'office de tourisme",
    "opening_hours": "24/7",
    "compartments": 16,
    "is_active": True,
}
DELIVERY_ZONE_NAME = "Argentan"
DELIVERY_ZONE: dict[str, Any] = {"extra_fee": Decimal("0.00"), "radius_km": None, "is_active": True}
# The demo merchant's shops show every way; the others draw theirs.
SHOP_WAYS = {
    "boulangerie-lemonnier": {"relay_enabled": True, "locker_enabled": True},
    "brulerie-lemonnier": {"relay_enabled": True, "locker_enabled": False},
}

ADMIN_EMAIL = "admin@centreville.example"
USERS: tuple[_UserSpec, ...] = (
    _UserSpec("Administratrice de la plateforme", ADMIN_EMAIL, "Hélène", "Garnier", is_superuser=True),
    _UserSpec("Manager de centre-ville", "manager@argentan.example", "Julien", "Lecoq", "argentan",
              Role.MANAGER),
    _UserSpec("Élue", "elue@argentan.example", "Martine", "Duhamel", "argentan", Role.ELECTED),
    _UserSpec("Commerçant (2 commerces)", MERCHANT_EMAIL, "Sébastien", "Lemonnier"),
    _UserSpec("Commerçante (1 commerce)", SECOND_MERCHANT_EMAIL, "Aurélie", "Hébert"),
    _UserSpec("Producteur", "producteur@argentan.example", "Thierry", "Osmont", "argentan", Role.PRODUCER),
    _UserSpec("Acheteuse professionnelle", "acheteuse@argentan.example", "Nathalie", "Quesnel", "argentan",
              Role.BUYER),
    _UserSpec("Conseiller numérique", "conseiller@argentan.example", "Yann", "Lebailly", "argentan",
              Role.ADVISER),
    *(
        _UserSpec("Expert bénévole (accompagnement)", email, first, last, "argentan", Role.EXPERT)
        for email, first, last in COACHING_EXPERTS
    ),
    _UserSpec("Organisatrice (comité des fêtes)", "organisatrice@argentan.example", "Sophie", "Marie",
              "argentan", Role.ORGANISER),
    _UserSpec("Habitante (sans rôle)", "habitante@argentan.example", "Camille", "Vauquelin"),
    _UserSpec("Manager de centre-ville", "manager@ecouche-les-vallees.example", "Pascal", "Lepetit",
              "ecouche-les-vallees", Role.MANAGER),
)  # fmt: skip


# --- What the loader reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    town: str  # the town where the role applies, or a dash
    created: bool  # created by this run (else it existed and was brought back to the demo state)


@dataclass
class DemoSummary:
    """What the demo holds after a run, and what this run created."""

    logins: list[DemoLogin] = field(default_factory=list)
    towns: int = 0
    territories: int = 0
    shops: int = 0
    published_shops: int = 0
    categories_used: int = 0
    products: int = 0
    created_shops: int = 0
    created_products: int = 0
    voucher_wallet: str = ""  # the page of a demo voucher, to open as its holder would

    @property
    def created_logins(self) -> int:
        return sum(login.created for login in self.logins)


# --- Loading -----------------------------------------------------------------------------------------


def _upsert(model: type[_M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[_M, bool]:
    """The one row matching `lookup` holds `values` and is valid; written only if new or different."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        created = True
    else:
        changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if not changed:
            return obj, False
        for name, value in changed.items():
            setattr(obj, name, value)
        created = False
    obj.full_clean()
    obj.save()
    return obj, created


def _offset(spec: _TownSpec, east: float, north: float) -> tuple[Decimal, Decimal]:
    """Latitude and longitude (6 places) of the point `east`/`north` metres from the town centre."""
    latitude = float(spec.latitude) + north / EARTH_METRES_PER_DEGREE
    longitude = float(spec.longitude) + east / (EARTH_METRES_PER_DEGREE * math.cos(math.radians(latitude)))
    return round(Decimal(latitude), 6), round(Decimal(longitude), 6)


def _outline(spec: _TownSpec) -> dict[str, Any]:
    """A closed GeoJSON Polygon, [longitude, latitude], around the town centre."""
    ring = [[float(lon), float(lat)] for lat, lon in (_offset(spec, e, n) for e, n in spec.outline_metres)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _ensure_categories() -> dict[str, TradeCategory]:
    """Every taxonomy category exists (normally loaded by migration); existing ones are left as edited."""
    categories = {category.slug: category for category in TradeCategory.objects.all()}
    for position, spec in enumerate(TRADE_CATEGORIES):
        if spec.slug not in categories:
            categories[spec.slug] = TradeCategory.objects.create(
                name=spec.name, slug=spec.slug, naf_codes=list(spec.naf_codes), position=position
            )
    return categories


def _load_town(spec: _TownSpec, territory: Territory) -> Town:
    town, _ = _upsert(
        Town,
        {"slug": spec.slug},
        {
            "name": spec.name,
            "insee_code": spec.insee_code,
            "postcodes": [spec.postcode],
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "centre_outline": _outline(spec),
            "timezone": "Europe/Paris",
            "brand_colour": spec.brand_colour,
            "welcome_text": spec.welcome_text,
            "contact_email": spec.contact_email,
            "is_published": True,
            "territory_id": territory.pk,
        },
    )
    return town


def _phone(rng: random.Random) -> str:
    """A number from 02 61 91 xx xx, the range set aside for fiction: it never rings anyone."""
    return "02 61 91 " + " ".join(f"{rng.randint(10, 99):02d}" for _ in range(2))


def _load_shops(
    spec: _TownSpec, town: Town, shops: tuple[_ShopSpec, ...], categories: dict[str, TradeCategory]
) -> tuple[list[tuple[Shop, random.Random]], int]:
    """The town's demo shops, each with the generator its products are drawn from, and how many are new."""
    trades = {trade.category_slug: trade for trade in TRADES}
    loaded: list[tuple[Shop, random.Random]] = []
    created_count = 0
    for shop_spec in shops:
        slug = slugify(shop_spec.name)
        # One generator per shop: its data does not depend on the other shops or on the order of loading.
        rng = random.Random(f"{DEMO_SEED}/{town.slug}/{slug}")
        east, north = spec.streets[shop_spec.street]
        latitude, longitude = _offset(spec, east + rng.uniform(-35, 35), north + rng.uniform(-35, 35))
        has_email, has_website = rng.random() < 0.5, rng.random() < 0.35
        payments = ["cash", "card", "contactless"] + (["cheque"] if rng.random() < 0.4 else [])
        if shop_spec.category_slug in MEAL_VOUCHER_TRADES:
            payments.append("meal_voucher")
        takes_orders = shop_spec.category_slug not in NO_STOCK_TRADES
        if takes_orders:
            rng.random()  # a draw of earlier demos, kept so that the rest of each shop's data stays the same
        shop, created = _upsert(
            Shop,
            {"town": town, "slug": slug},
            {
                "name": shop_spec.name,
                "category_id": categories[shop_spec.category_slug].pk,
                "description": shop_spec.description,
                "street_address": f"{shop_spec.number} {shop_spec.street}",
                "postcode": spec.postcode,
                "city": spec.name,
                "latitude": latitude,
                "longitude": longitude,
                "opening_hours": rng.choice(trades[shop_spec.category_slug].opening_hours),
                "phone": _phone(rng),
                "email": f"contact@{slug}.example" if has_email else "",
                "website": f"https://{slug}.example/" if has_website else "",
                "status": shop_spec.status,
                "offers_click_collect": takes_orders,
                "offers_delivery": rng.random() < 0.2 or slug in DELIVERING_SHOPS,
                "accessible_entrance": rng.random() < 0.55,
                "payment_methods": payments,
                "independence_declared_at": DEMO_DECLARATION_DATE,
            },
        )
        created_count += created
        loaded.append((shop, rng))
    return loaded, created_count


def _wanted_products(
    trade: Trade, rng: random.Random, product_categories: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """The shop's demo products by slug: 5 to 12 ideas of its trade, some on demand, a few hidden."""
    count = rng.randint(5, min(12, len(trade.products)))
    wanted: dict[str, dict[str, Any]] = {}
    for idea in rng.sample(trade.products, count):
        on_demand = rng.random() < 0.25 or trade.category_slug in NO_STOCK_TRADES
        hidden = rng.random() < 0.06
        wanted[slugify(idea.title)[:180]] = {
            "category_id": product_categories.get(PRODUCT_CATEGORY_OF_TRADE.get(trade.category_slug, "")),
            "title": idea.title,
            "description": idea.description,
            "price": idea.price,
            "stock": None if on_demand else rng.randint(0, 40),
            "is_visible": not hidden,
        }
    return wanted


def _load_products(shops: list[tuple[Shop, random.Random]], *, at: datetime) -> int:
    """Every demo shop holds its demo products, in its own town; returns how many were created."""
    trades = {trade.category_slug: trade for trade in TRADES}
    categories = {category.pk: category.slug for category in TradeCategory.objects.all()}
    product_categories = dict(ProductCategory.objects.values_list("slug", "pk"))
    existing = {
        (product.shop_id, product.slug): product
        for product in Product.objects.filter(shop__in=[shop for shop, _ in shops])
    }
    to_create: list[Product] = []
    to_update: list[Product] = []
    for shop, rng in shops:
        trade = trades[categories[shop.category_id]]
        for slug, values in _wanted_products(trade, rng, product_categories).items():
            product = existing.get((shop.pk, slug))
            if product is None:
                to_create.append(Product(town_id=shop.town_id, shop=shop, slug=slug, **values))
                continue
            values["town_id"] = shop.town_id
            if any(getattr(product, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(product, name, value)
                product.updated_at = at
                to_update.append(product)
    Product.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        fields = [
            "title",
            "description",
            "price",
            "stock",
            "is_visible",
            "town_id",
            "category_id",
            "updated_at",
        ]
        Product.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create)


def _load_variants(shops: list[tuple[Shop, random.Random]]) -> None:
    """Clothes and shoes come in sizes, each with its own stock."""
    categories = dict(TradeCategory.objects.values_list("pk", "slug"))
    sized = {
        shop.pk: SIZED_TRADES[categories[shop.category_id]]
        for shop, _ in shops
        if categories[shop.category_id] in SIZED_TRADES
    }
    existing = set(
        ProductVariant.objects.filter(product__shop_id__in=sized).values_list("product_id", "label")
    )
    to_create = []
    for product in Product.objects.filter(shop_id__in=sized).order_by("pk"):
        rng = random.Random(f"{DEMO_SEED}/variants/{product.shop_id}/{product.slug}")
        for position, size in enumerate(sized[product.shop_id]):
            label = f"Taille {size}"
            if (product.pk, label) not in existing:
                stock = rng.randint(0, 6)
                to_create.append(
                    ProductVariant(product=product, label=label, size=size, stock=stock, position=position)
                )
    ProductVariant.objects.bulk_create(to_create)


def _load_closures(shops: list[tuple[Shop, random.Random]], *, today: date) -> None:
    """A few shops take holidays: one closed this week, some in the coming weeks (relative to today)."""
    published = [shop for shop, _ in shops if shop.status == ShopStatus.PUBLISHED]
    plans = [
        # Orders are taken during the holidays, to be collected after them.
        (published[3], today - timedelta(days=1), today + timedelta(days=5), "Congés annuels", True),
        (published[7], today + timedelta(days=10), today + timedelta(days=12), "Inventaire", False),
        (
            published[11],
            today + timedelta(days=20),
            today + timedelta(days=34),
            "Travaux de rénovation",
            False,
        ),
    ]
    for shop, start, end, label, takes_orders in plans:
        if not ShopClosure.objects.filter(shop=shop, end_date__gte=today).exists():
            ShopClosure.objects.create(
                shop=shop, start_date=start, end_date=end, label=label, takes_orders=takes_orders
            )


def _load_fulfilment(town: Town, shops: list[Shop]) -> None:
    """The town offers pickup, a relay point, a locker and delivery; each shop taking orders picks its own."""
    _upsert(TownFulfilment, {"town": town}, TOWN_FULFILMENT)
    _upsert(TownOrderSettings, {"town": town}, ORDER_SETTINGS)
    _upsert(RelayPoint, {"town": town, "name": RELAY_POINT_NAME}, RELAY_POINT)
    _upsert(Locker, {"town": town, "name": LOCKER_NAME}, LOCKER)
    zone = {**DELIVERY_ZONE, "postcodes": list(town.postcodes)}
    _upsert(DeliveryZone, {"town": town, "name": DELIVERY_ZONE_NAME}, zone)
    for shop in shops:
        if not shop.offers_click_collect:
            continue
        rng = random.Random(f"{DEMO_SEED}/fulfilment/{town.slug}/{shop.slug}")
        ways = {"relay_enabled": rng.random() < 0.5, "locker_enabled": rng.random() < 0.3}
        ways.update(SHOP_WAYS.get(shop.slug, {}))
        _upsert(
            ShopFulfilment,
            {"shop": shop},
            {
                "pickup_enabled": bool(shop.opening_hours),
                "delivery_enabled": shop.offers_delivery,
                "preparation_minutes": rng.choice((30, 60, 60, 120)),
                "slot_minutes": rng.choice((15, 30, 30, 60)),
                "slot_capacity": rng.choice((2, 4, 4, 6)),
                **ways,
            },
        )


def _load_user(spec: _UserSpec) -> tuple[User, bool]:
    """The demo user exists, active, with the demo password and a verified primary e-mail address."""
    values = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "is_active": True,
        "is_staff": spec.is_superuser,
        "is_superuser": spec.is_superuser,
    }
    user = User.objects.filter(email=spec.email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(spec.email, DEMO_PASSWORD, **values)
    else:
        changed = {name: value for name, value in values.items() if getattr(user, name) != value}
        for name, value in changed.items():
            setattr(user, name, value)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed["password"] = user.password
        if changed:
            user.save()
    address = EmailAddress.objects.filter(user=user, email__iexact=spec.email).first()
    if address is None or not (address.verified and address.primary):
        EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=spec.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
    return user, created


def _load_people(towns: dict[str, Town], argentan_shops: dict[str, Shop]) -> list[DemoLogin]:
    users: dict[str, User] = {}
    logins: list[DemoLogin] = []
    for spec in USERS:
        user, created = _load_user(spec)
        users[spec.email] = user
        if spec.is_superuser:
            town_label = "toutes"
        elif spec.town_slug:
            town_label = towns[spec.town_slug].name
        elif spec.email in {email for email, _ in MEMBERSHIPS}:
            town_label = towns["argentan"].name
        else:
            town_label = "—"
        logins.append(DemoLogin(spec.label, spec.email, DEMO_PASSWORD, town_label, created))
    admin = users[ADMIN_EMAIL]
    for spec in USERS:
        if spec.town_slug and spec.role:
            TownRole.objects.get_or_create(
                user=users[spec.email],
                town=towns[spec.town_slug],
                role=spec.role,
                defaults={"granted_by": admin},
            )
    for email, shop_slug in MEMBERSHIPS:
        ShopMembership.objects.get_or_create(shop=argentan_shops[shop_slug], user=users[email])
    _load_shop_keepers(argentan_shops.values())
    return logins


def _load_shop_keepers(shops: Iterable[Shop]) -> None:
    """Every other Argentan shop that takes orders has its merchant (an account of its own, with the demo
    password): an order always reaches someone. Shops that take none are left unclaimed."""
    run = set(ShopMembership.objects.values_list("shop_id", flat=True))
    for shop in shops:
        if shop.pk in run or not (shop.offers_click_collect or shop.offers_delivery):
            continue
        keeper, _created = _load_user(
            _UserSpec("Commerçant", f"commercant@{shop.slug}.example", "Commerçant", shop.name[:150])
        )
        ShopMembership.objects.get_or_create(shop=shop, user=keeper)


@transaction.atomic
def demo_load(*, at: datetime) -> DemoSummary:
    """The demo towns, territory, shops, products and logins exist as described above, their dates counted
    from `at`; safe to run again."""
    today = timezone.localdate(at)
    categories = _ensure_categories()
    product_categories_ensure()
    territory, _ = _upsert(
        Territory, {"slug": TERRITORY["slug"]}, {k: v for k, v in TERRITORY.items() if k != "slug"}
    )
    towns = {spec.slug: _load_town(spec, territory) for spec in (ARGENTAN, ECOUCHE)}
    summary = DemoSummary()
    all_shops: list[tuple[Shop, random.Random]] = []
    for spec, shop_specs in ((ARGENTAN, ARGENTAN_SHOPS), (ECOUCHE, ECOUCHE_SHOPS)):
        loaded, created = _load_shops(spec, towns[spec.slug], shop_specs, categories)
        all_shops += loaded
        summary.created_shops += created
    summary.created_products = _load_products(all_shops, at=at)
    _load_variants(all_shops)
    _load_closures(all_shops, today=today)
    argentan_shops = {shop.slug: shop for shop, _ in all_shops if shop.town_id == towns["argentan"].pk}
    _load_fulfilment(towns[FULFILMENT_TOWN], list(argentan_shops.values()))
    summary.logins = _load_people(towns, argentan_shops)
    demo_premises_load(towns["argentan"], argentan_shops, today=today)
    demo_photos_load(towns.values())
    demo_footfall_load(towns["argentan"], today=today)
    demo_diagnostic_load(towns["argentan"], argentan_shops, today=today)
    demo_training_load(towns["argentan"], argentan_shops, today=today)
    demo_coaching_load(towns["argentan"], argentan_shops, today=today)
    demo_activity_load(towns.values(), today=today, at=at)
    demo_parking(towns["argentan"], at=at)
    demo_agenda_load(towns["argentan"], argentan_shops, at=at)
    demo_news(towns["argentan"], at=at)
    producers, buyers = demo_exchange_load(towns["argentan"], argentan_shops)
    demo_exchange_orders(producers, buyers, at=at)
    summary.voucher_wallet = demo_vouchers_load(towns["argentan"], argentan_shops, at=at).wallet_url

    demo_shops = Shop.objects.filter(town__in=towns.values())
    summary.towns = len(towns)
    summary.territories = 1
    summary.shops = demo_shops.count()
    summary.published_shops = demo_shops.filter(status=ShopStatus.PUBLISHED).count()
    summary.categories_used = demo_shops.values("category").distinct().count()
    summary.products = Product.objects.filter(town__in=towns.values()).count()
    rebuild_index([town.pk for town in towns.values()])
    return summary
