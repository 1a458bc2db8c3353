"""The demo's producers' exchange around Argentan: eight producers (every VAT regime), their pickup places and
lots, a drive point at the market hall, a delivery round, and three buyers (a restaurant and a grocer of the
showcase buying with their shops' accounts, a school canteen).

Places are approximate (villages of the Argentan area), identity numbers are made up with valid check
digits. Like the rest of the demo, everything is found by a natural key and written only when it differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone
from stdnum import luhn

from centreville.accounts.models import User
from centreville.catalogue.models import ProductCategory
from centreville.catalogue.services import product_categories_ensure
from centreville.enterprises.models import (
    BuyerCategory,
    Enterprise,
    EnterpriseMember,
    Label,
    LegalForm,
    PickupPlace,
    SpaceProducer,
    VatRegime,
)
from centreville.invoicing.services import invoice_correct, invoice_issue_for_order, payment_record
from centreville.lots.models import Lot, LotPrice, Unit
from centreville.lots.services import lots_refresh_copies
from centreville.lots.vat import default_vat_rate
from centreville.shops.models import Shop
from centreville.towns.models import Town
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.handover import HandOverChoice, hand_over_offers
from centreville.wholesale.models import DeliveryRound, DrivePoint, HandOver, OrderStatus, WholesaleOrder
from centreville.wholesale.services import LineAdjustment, order_adjust, order_transition
from centreville.wholesale.standing import next_days, standing_order_create, standing_order_run
from centreville.wholesale.transitions import Actor

PRODUCER_EMAIL = "producteur@argentan.example"
BUYER_EMAIL = "acheteuse@argentan.example"


def demo_siret(n: int) -> str:
    """A made-up SIRET whose SIREN and SIRET keys are valid (prefix 9 + n: no real company is that)."""
    siren = f"9{n:07d}"
    siren += luhn.calc_check_digit(siren)
    nic = "0001"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def vat_number(siret: str) -> str:
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


@dataclass(frozen=True)
class _Lot:
    sku: str
    title: str
    category: str
    unit: str
    unit_price: str
    quantity: str
    minimum: str = "1"
    step: str = "1"
    case_size: str | None = None
    labels: tuple[str, ...] = ()
    estimated_weight: str | None = None  # kg per piece: a variable-weight lot
    prices: tuple[tuple[str, str], ...] = ()  # (buyer category, unit price)
    description: str = ""


@dataclass(frozen=True)
class _Producer:
    n: int
    slug: str
    name: str
    legal_form: str
    vat_regime: str
    village: str
    postcode: str
    latitude: str
    longitude: str
    description: str
    pickup_hours: str
    labels: tuple[str, ...] = ()
    registry: str = ""
    radius_km: int = 30
    lots: tuple[_Lot, ...] = field(default_factory=tuple)


PRODUCERS: tuple[_Producer, ...] = (
    _Producer(
        1,
        "gaec-des-pres-d-orne",
        "GAEC des Prés d'Orne",
        LegalForm.GAEC,
        VatRegime.REGISTERED,
        "Sarceaux",
        "61200",
        "48.727300",
        "-0.041200",
        "Maraîchage de plein champ au bord de l'Orne : légumes de saison, pommes de terre, oignons de garde.",
        "Tu,Fr 16:00-19:00; Sa 09:00-12:00",
        labels=(Label.HVE,),
        lots=(
            _Lot(
                "PDO-CAR",
                "Carottes des sables",
                "fruits-legumes",
                Unit.KILOGRAM,
                "1.20",
                "180",
                "5",
                "5",
                labels=(Label.HVE,),
                prices=((BuyerCategory.CANTEEN, "1.05"),),
            ),
            _Lot(
                "PDO-PDT",
                "Pommes de terre Charlotte",
                "fruits-legumes",
                Unit.KILOGRAM,
                "0.95",
                "24",
                "1",
                "1",
                case_size="25",
                labels=(Label.HVE,),
                prices=((BuyerCategory.CANTEEN, "0.85"),),
                description="Sacs de 25 kg, lavées.",
            ),
            _Lot(
                "PDO-POI",
                "Poireaux",
                "fruits-legumes",
                Unit.KILOGRAM,
                "1.80",
                "90",
                "3",
                "1",
                labels=(Label.HVE,),
            ),
            _Lot(
                "PDO-OIG", "Oignons jaunes de garde", "fruits-legumes", Unit.KILOGRAM, "1.10", "250", "5", "5"
            ),
            _Lot("PDO-COU", "Courges butternut", "fruits-legumes", Unit.PIECE, "1.90", "70", "4", "2"),
            _Lot("PDO-SAL", "Salades batavia", "fruits-legumes", Unit.PIECE, "0.85", "0", "6", "6"),
        ),
    ),
    _Producer(
        2,
        "ferme-du-bocage",
        "Ferme du Bocage",
        LegalForm.EARL,
        VatRegime.REGISTERED,
        "Mortrée",
        "61570",
        "48.638900",
        "0.078600",
        "Soixante normandes à l'herbe : camembert au lait cru moulé à la louche, beurre et crème crue.",
        "We 17:00-19:00; Sa 10:00-12:00",
        labels=(Label.FARM_PRODUCT,),
        lots=(
            _Lot(
                "FDB-CAM",
                "Camembert de Normandie AOP au lait cru",
                "fromages-cremerie",
                Unit.PIECE,
                "3.40",
                "240",
                "6",
                "6",
                labels=(Label.AOP, Label.FARM_PRODUCT),
            ),
            _Lot(
                "FDB-BEU",
                "Beurre cru demi-sel (250 g)",
                "fromages-cremerie",
                Unit.PIECE,
                "2.60",
                "120",
                "4",
                "2",
                labels=(Label.FARM_PRODUCT,),
            ),
            _Lot(
                "FDB-CRE",
                "Crème crue épaisse",
                "fromages-cremerie",
                Unit.LITRE,
                "6.80",
                "40",
                "1",
                "1",
                labels=(Label.FARM_PRODUCT,),
                prices=((BuyerCategory.RESTAURANT, "6.20"),),
            ),
            _Lot("FDB-LAI", "Lait cru entier", "fromages-cremerie", Unit.LITRE, "1.30", "150", "5", "5"),
            _Lot(
                "FDB-YAO",
                "Yaourts nature (colis de 12)",
                "fromages-cremerie",
                Unit.PIECE,
                "0.55",
                "30",
                "1",
                "1",
                case_size="12",
            ),
        ),
    ),
    _Producer(
        3,
        "earl-le-verger-de-trun",
        "EARL Le Verger de Trun",
        LegalForm.EARL,
        VatRegime.REGISTERED,
        "Trun",
        "61160",
        "48.843200",
        "0.032800",
        "Vergers haute-tige : pommes et poires à couteau, jus, cidre et poiré fermiers.",
        "Mo-Sa 14:00-18:00",
        labels=(Label.FARM_PRODUCT,),
        lots=(
            _Lot(
                "VDT-POM",
                "Pommes Reinette grise du Canada",
                "fruits-legumes",
                Unit.KILOGRAM,
                "2.10",
                "320",
                "5",
                "5",
            ),
            _Lot(
                "VDT-JUS",
                "Jus de pomme fermier (carton de 6 × 1 l)",
                "boissons",
                Unit.LITRE,
                "2.40",
                "60",
                "1",
                "1",
                case_size="6",
                labels=(Label.FARM_PRODUCT,),
            ),
            _Lot(
                "VDT-CID",
                "Cidre fermier brut (carton de 6 × 75 cl)",
                "boissons",
                Unit.PIECE,
                "4.20",
                "45",
                "1",
                "1",
                case_size="6",
                labels=(Label.FARM_PRODUCT,),
            ),
            _Lot(
                "VDT-POI",
                "Poiré Domfrontais AOP",
                "boissons",
                Unit.PIECE,
                "7.50",
                "24",
                "6",
                "6",
                labels=(Label.AOP,),
            ),
        ),
    ),
    _Producer(
        4,
        "ferme-des-quatre-vents",
        "Ferme des Quatre Vents",
        LegalForm.INDIVIDUAL,
        VatRegime.FLAT_RATE_FARMER,
        "Rânes",
        "61150",
        "48.650200",
        "-0.210800",
        "Volailles fermières élevées en plein air 110 jours, abattues et préparées à la ferme.",
        "Fr 15:00-19:00",
        labels=(Label.LABEL_ROUGE,),
        radius_km=40,
        lots=(
            _Lot(
                "FQV-PLT",
                "Poulet fermier Label Rouge prêt à cuire",
                "viandes-charcuterie",
                Unit.PIECE,
                "9.80",
                "40",
                "2",
                "1",
                labels=(Label.LABEL_ROUGE,),
                estimated_weight="1.800",
                description="Vendu à la pièce, payé au poids pesé au retrait.",
            ),
            _Lot(
                "FQV-PIN",
                "Pintade fermière",
                "viandes-charcuterie",
                Unit.PIECE,
                "12.40",
                "15",
                "1",
                "1",
                estimated_weight="1.400",
            ),
            _Lot(
                "FQV-OEU",
                "Œufs plein air (plateau de 30)",
                "fromages-cremerie",
                Unit.PIECE,
                "0.32",
                "40",
                "1",
                "1",
                case_size="30",
            ),
        ),
    ),
    _Producer(
        5,
        "les-jardins-de-mortree",
        "Les Jardins de Mortrée",
        LegalForm.MICRO,
        VatRegime.FRANCHISE,
        "Mortrée",
        "61570",
        "48.632400",
        "0.086500",
        "Maraîchage biologique sur petite surface : légumes anciens, herbes aromatiques, fleurs comestibles.",
        "Th 16:00-19:00",
        labels=(Label.ORGANIC,),
        lots=(
            _Lot(
                "JDM-BET",
                "Betteraves crapaudine bio",
                "fruits-legumes",
                Unit.KILOGRAM,
                "3.20",
                "35",
                "2",
                "1",
                labels=(Label.ORGANIC,),
            ),
            _Lot(
                "JDM-PAN",
                "Panais bio",
                "fruits-legumes",
                Unit.KILOGRAM,
                "3.60",
                "28",
                "2",
                "1",
                labels=(Label.ORGANIC,),
            ),
            _Lot(
                "JDM-MES",
                "Mesclun et fleurs comestibles bio",
                "fruits-legumes",
                Unit.KILOGRAM,
                "18.00",
                "6",
                "0.5",
                "0.5",
                labels=(Label.ORGANIC,),
                prices=((BuyerCategory.RESTAURANT, "16.50"),),
            ),
            _Lot(
                "JDM-AIL",
                "Ail rose bio",
                "fruits-legumes",
                Unit.KILOGRAM,
                "9.50",
                "12",
                "1",
                "0.5",
                labels=(Label.ORGANIC,),
            ),
        ),
    ),
    _Producer(
        6,
        "elevage-des-monts-d-ecouche",
        "Élevage des Monts d'Écouché",
        LegalForm.SCEA,
        VatRegime.REGISTERED,
        "Écouché-les-Vallées",
        "61150",
        "48.716700",
        "-0.124900",
        "Bœuf de race normande nourri à l'herbe, découpé en colis.",
        "Sa 09:00-12:00",
        lots=(
            _Lot(
                "EME-COL",
                "Colis de bœuf normand (5 kg)",
                "viandes-charcuterie",
                Unit.KILOGRAM,
                "16.90",
                "12",
                "1",
                "1",
                case_size="5",
                description="Steaks, rôti, bourguignon, haché.",
            ),
            _Lot(
                "EME-HAC",
                "Steaks hachés 15 % (sachet de 10)",
                "viandes-charcuterie",
                Unit.PIECE,
                "1.45",
                "40",
                "1",
                "1",
                case_size="10",
                prices=((BuyerCategory.CANTEEN, "1.30"),),
            ),
        ),
    ),
    _Producer(
        7,
        "miellerie-du-houlme",
        "Miellerie du Houlme",
        LegalForm.MICRO,
        VatRegime.FRANCHISE,
        "Putanges-le-Lac",
        "61210",
        "48.763900",
        "-0.245700",
        "Trois cents ruches dans les prairies et les bois du Houlme.",
        "Sa 14:00-18:00",
        labels=(Label.ORGANIC,),
        radius_km=50,
        lots=(
            _Lot(
                "MDH-TOU",
                "Miel de printemps bio (pot de 500 g)",
                "epicerie",
                Unit.PIECE,
                "6.20",
                "180",
                "6",
                "6",
                labels=(Label.ORGANIC,),
            ),
            _Lot(
                "MDH-SAR",
                "Miel de sarrasin bio (pot de 500 g)",
                "epicerie",
                Unit.PIECE,
                "6.90",
                "60",
                "6",
                "6",
                labels=(Label.ORGANIC,),
            ),
        ),
    ),
    _Producer(
        8,
        "fournil-paysan-de-sevigny",
        "Le Fournil paysan de Sévigny",
        LegalForm.INDIVIDUAL,
        VatRegime.REGISTERED,
        "Sévigny",
        "61200",
        "48.780100",
        "-0.063800",
        "Blés anciens cultivés et moulus à la ferme, pains au levain cuits au feu de bois.",
        "Tu,Fr 17:00-19:00",
        registry="RM 61",
        lots=(
            _Lot(
                "FPS-CAM",
                "Pain de campagne au levain (1 kg)",
                "pain-patisserie",
                Unit.PIECE,
                "5.40",
                "30",
                "2",
                "1",
            ),
            _Lot("FPS-SEI", "Pain de seigle (500 g)", "pain-patisserie", Unit.PIECE, "3.60", "20", "2", "1"),
        ),
    ),
)

# What the town shows on its exchange; the territory adds the baker of Sévigny.
ARGENTAN_PRODUCERS = tuple(producer.slug for producer in PRODUCERS if producer.n <= 7)
TERRITORY_PRODUCERS = ("fournil-paysan-de-sevigny",)
DRIVE_PRODUCERS = (
    "gaec-des-pres-d-orne",
    "ferme-du-bocage",
    "earl-le-verger-de-trun",
    "les-jardins-de-mortree",
)


@dataclass(frozen=True)
class _Buyer:
    n: int
    slug: str
    name: str
    legal_form: str
    category: str
    address: str
    shop_slug: str = ""
    registry: str = ""


BUYERS: tuple[_Buyer, ...] = (
    _Buyer(21, "la-table-d-heloise", "La Table d'Héloïse", LegalForm.SARL, BuyerCategory.RESTAURANT,
           "9 rue de l'Hôtel de Ville", shop_slug="la-table-dheloise", registry="RCS Alençon"),
    _Buyer(22, "le-comptoir-de-capucine", "Le Comptoir de Capucine", LegalForm.SAS, BuyerCategory.GROCER,
           "22 rue de la Chaussée", shop_slug="le-comptoir-de-capucine", registry="RCS Alençon"),
    _Buyer(23, "college-jean-racine", "Collège Jean-Racine — restauration scolaire", LegalForm.PUBLIC,
           BuyerCategory.CANTEEN, "1 rue Jean Racine"),
)  # fmt: skip


def _upsert(model: type[Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def _load_producer(
    spec: _Producer, categories: dict[str, ProductCategory], member: User | None
) -> Enterprise:
    siret = demo_siret(spec.n)
    registered = spec.vat_regime == VatRegime.REGISTERED
    enterprise = _upsert(
        Enterprise,
        {"slug": spec.slug},
        {
            "name": spec.name,
            "is_producer": True,
            "siret": siret,
            "legal_form": spec.legal_form,
            "registry": spec.registry,
            "vat_regime": spec.vat_regime,
            "vat_number": vat_number(siret) if registered else "",
            "description": spec.description,
            "street_address": "Le Bourg",
            "postcode": spec.postcode,
            "city": spec.village,
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
            "email": f"contact@{spec.slug}.example",
            "labels": list(spec.labels),
            "service_radius_km": spec.radius_km,
        },
    )
    _upsert(
        PickupPlace,
        {"enterprise": enterprise, "name": "À la ferme"},
        {
            "street_address": "Le Bourg",
            "postcode": spec.postcode,
            "city": spec.village,
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
            "opening_hours": spec.pickup_hours,
        },
    )
    if member is not None:
        EnterpriseMember.objects.get_or_create(
            enterprise=enterprise, user=member, defaults={"is_owner": True}
        )
    existing = set(enterprise.lots.values_list("sku", flat=True))
    for lot_spec in spec.lots:
        # Quantities move with orders: they are the demo's only on the first load.
        first_quantity = (
            {} if lot_spec.sku in existing else {"quantity_available": Decimal(lot_spec.quantity)}
        )
        lot = _upsert(
            Lot,
            {"enterprise": enterprise, "sku": lot_spec.sku},
            {
                **first_quantity,
                "category": categories[lot_spec.category],
                "title": lot_spec.title,
                "description": lot_spec.description,
                "unit": lot_spec.unit,
                "case_size": Decimal(lot_spec.case_size) if lot_spec.case_size else None,
                "minimum_quantity": Decimal(lot_spec.minimum),
                "quantity_step": Decimal(lot_spec.step),
                "unit_price": Decimal(lot_spec.unit_price),
                "vat_rate": default_vat_rate(category_slug=lot_spec.category, title=lot_spec.title),
                "variable_weight": lot_spec.estimated_weight is not None,
                "estimated_weight": Decimal(lot_spec.estimated_weight) if lot_spec.estimated_weight else None,
                "labels": list(lot_spec.labels),
                "latitude": enterprise.latitude,
                "longitude": enterprise.longitude,
            },
        )
        for category, price in lot_spec.prices:
            _upsert(LotPrice, {"lot": lot, "buyer_category": category}, {"unit_price": Decimal(price)})
    lots_refresh_copies(enterprise=enterprise)
    return enterprise


def _load_buyer(spec: _Buyer, town: Town, shops: dict[str, Shop], member: User | None) -> Enterprise:
    shop = shops.get(spec.shop_slug)
    siret = shop.siret if shop is not None and shop.siret else demo_siret(spec.n)
    enterprise = _upsert(
        Enterprise,
        {"slug": spec.slug},
        {
            "name": spec.name,
            "is_buyer": True,
            "siret": siret,
            "legal_form": spec.legal_form,
            "registry": spec.registry,
            "vat_regime": VatRegime.REGISTERED,
            "vat_number": vat_number(siret),
            "street_address": spec.address,
            "postcode": "61200",
            "city": town.name,
            "latitude": shop.latitude if shop is not None and shop.latitude is not None else town.latitude,
            "longitude": shop.longitude
            if shop is not None and shop.longitude is not None
            else town.longitude,
            "email": f"achats@{spec.slug}.example",
            "buyer_category": spec.category,
            "prefers_delivery": spec.category == BuyerCategory.CANTEEN,
            "delivery_address": spec.address,
            "delivery_postcode": "61200",
            "delivery_city": town.name,
            "shop": shop,
        },
    )
    members = [member] if member is not None else []
    if shop is not None:
        members += [membership.user for membership in shop.memberships.select_related("user")]
    for user in members:
        EnterpriseMember.objects.get_or_create(enterprise=enterprise, user=user, defaults={"is_owner": True})
    return enterprise


def demo_exchange_load(
    town: Town, shops: dict[str, Shop]
) -> tuple[dict[str, Enterprise], dict[str, Enterprise]]:
    """The exchange's producers, buyers, drive point and round, and what the town and its territory show."""
    users = {user.email: user for user in User.objects.filter(email__in=[PRODUCER_EMAIL, BUYER_EMAIL])}
    categories = product_categories_ensure()
    producers = {
        spec.slug: _load_producer(spec, categories, users.get(PRODUCER_EMAIL) if spec.n == 1 else None)
        for spec in PRODUCERS
    }
    buyers = {
        spec.slug: _load_buyer(spec, town, shops, users.get(BUYER_EMAIL) if spec.n == 21 else None)
        for spec in BUYERS
    }
    for slug in ARGENTAN_PRODUCERS:
        SpaceProducer.objects.get_or_create(town=town, enterprise=producers[slug])
    if town.territory_id is not None:
        for slug in TERRITORY_PRODUCERS:
            SpaceProducer.objects.get_or_create(territory_id=town.territory_id, enterprise=producers[slug])
    drive = _upsert(
        DrivePoint,
        {"name": "Halle aux producteurs"},
        {
            "town": town,
            "street_address": "Place du Marché",
            "postcode": "61200",
            "city": town.name,
            "latitude": town.latitude,
            "longitude": town.longitude,
            "opening_hours": "Th 16:00-19:00",
            "slot_minutes": 30,
            "capacity_per_slot": 6,
            "instructions": "Sous la halle, côté rue de la Chaussée.",
        },
    )
    drive.producers.add(*(producers[slug] for slug in DRIVE_PRODUCERS))
    _upsert(
        DeliveryRound,
        {"enterprise": producers["ferme-du-bocage"], "name": "Tournée d'Argentan"},
        {
            "weekdays": [2, 5],
            "cutoff_days_before": 1,
            "cutoff_time": time(12, 0),
            "postcodes": ["61200", "61150", "61570"],
            "minimum_order": Decimal("60.00"),
            "delivery_window": "8 h – 11 h",
        },
    )
    return producers, buyers


def _offer(producer: Enterprise, kind: str, at: datetime) -> HandOverChoice:
    """The producer's first hand-over of `kind` offered at `at`."""
    return next(offer.choice for offer in hand_over_offers(producer, at=at) if offer.choice.kind == kind)


def _order(
    buyer: Enterprise, producer: Enterprise, wanted: list[tuple[str, str]], kind: str, at: datetime
) -> WholesaleOrder:
    lots = dict(producer.lots.values_list("sku", "pk"))
    return place_orders(
        buyer=buyer,
        wanted=[(lots[sku], Decimal(quantity)) for sku, quantity in wanted],
        choices={producer.pk: _offer(producer, kind, at)},
        at=at,
        placed_by=getattr(buyer.members.order_by("pk").first(), "user", None),
    )[0]


def _walk(order: WholesaleOrder, steps: list[str], at: datetime, reason: str = "") -> WholesaleOrder:
    for step in steps:
        actor = Actor.BUYER if step == OrderStatus.CANCELLED else Actor.PRODUCER
        order = order_transition(order=order, to_status=step, actor=actor, at=at, reason=reason)
    return order


def demo_exchange_orders(
    producers: dict[str, Enterprise], buyers: dict[str, Enterprise], *, at: datetime
) -> None:
    """Orders at every step, a standing order with its next week's order, once: a second load adds nothing."""
    if WholesaleOrder.objects.filter(buyer__in=buyers.values()).exists():
        return
    restaurant, grocer, canteen = (buyers[spec.slug] for spec in BUYERS)
    fortnight = at - timedelta(days=14)
    # Collected a week ago: vegetables from the farm, and chickens weighed at pickup.
    for producer, wanted in (
        (producers["gaec-des-pres-d-orne"], [("PDO-CAR", "10"), ("PDO-POI", "5")]),
        (producers["ferme-des-quatre-vents"], [("FQV-PLT", "4")]),
    ):
        order = _walk(
            _order(restaurant, producer, wanted, HandOver.FARM, fortnight), [OrderStatus.ACCEPTED], fortnight
        )
        if producer.slug == "ferme-des-quatre-vents":
            chickens = order.lines.get()
            order = order_adjust(
                order=order,
                adjustments=[LineAdjustment(chickens.pk, final_weight=Decimal("7.350"))],
                at=fortnight,
            )
        collected_at = order.hand_over_at
        order = _walk(order, [OrderStatus.READY, OrderStatus.COLLECTED], collected_at)
        # Issued here rather than by the collection's receiver, which waits for the demo's commit.
        invoice = invoice_issue_for_order(order=order, at=collected_at)
        assert invoice is not None
        if producer.slug == "gaec-des-pres-d-orne":
            invoice_correct(
                invoice=invoice,
                reason="Adresse de facturation de l'acheteur erronée.",
                at=collected_at + timedelta(days=1),
            )
        else:  # a farmer at the flat rate: the buyer's payment makes a bulletin d'achat
            payment_record(
                invoice=invoice, paid_on=timezone.localdate(at), amount=invoice.total_incl_vat, by=None, at=at
            )
    # Placed within the hour, for the coming days: the restaurant's cheese at the drive, accepted; the
    # grocer's honey waiting, its juice ready, its garlic refused; the canteen's minced steaks, cancelled.
    recent = at - timedelta(hours=1)
    bocage = producers["ferme-du-bocage"]
    _walk(
        _order(restaurant, bocage, [("FDB-CAM", "12"), ("FDB-CRE", "2")], HandOver.DRIVE, recent),
        [OrderStatus.ACCEPTED],
        recent,
    )
    _order(grocer, producers["miellerie-du-houlme"], [("MDH-TOU", "12")], HandOver.FARM, recent)
    _walk(
        _order(grocer, producers["earl-le-verger-de-trun"], [("VDT-JUS", "2")], HandOver.FARM, recent),
        [OrderStatus.ACCEPTED, OrderStatus.READY],
        recent,
    )
    _walk(
        _order(grocer, producers["les-jardins-de-mortree"], [("JDM-AIL", "2")], HandOver.FARM, recent),
        [OrderStatus.REFUSED],
        recent,
        reason="Le gel a pris l'ail de la dernière planche : plus rien avant juillet, désolée.",
    )
    _walk(
        _order(canteen, producers["elevage-des-monts-d-ecouche"], [("EME-HAC", "4")], HandOver.FARM, recent),
        [OrderStatus.CANCELLED],
        recent,
    )
    # The canteen collects its vegetables at the GAEC's farm every Tuesday; next Tuesday's order is made.
    gaec = producers["gaec-des-pres-d-orne"]
    lots = dict(gaec.lots.values_list("sku", "pk"))
    standing = standing_order_create(
        buyer=canteen,
        producer=gaec,
        weekday=2,
        hand_over=HandOver.FARM,
        place_id=gaec.pickup_places.get().pk,
        lines=[(lots["PDO-CAR"], Decimal("20")), (lots["PDO-PDT"], Decimal("2"))],
        starts_on=timezone.localdate(at),
    )
    standing_order_run(standing_order=standing, day=next_days(standing, at=at, count=1)[0], at=at)
