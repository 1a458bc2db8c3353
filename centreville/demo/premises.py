"""The demo town's commercial units, their history over several years, and a few business projects.

About forty units in Argentan: one under each of the first published demo shops (occupied by that shop), the
closed mercerie's now vacant, a few vacant for months, some in works or reserved for the shops about to open,
and one taken by a project the town team saw through. Five business projects at every stage, with the units
proposed to them. Written through the premises services, so the demo obeys the same rules as the town team.

Deterministic (one seeded generator per unit) and idempotent: units are found by reference and projects by
title; a unit's history and a project's proposals are written only when the unit or project is new. Dates
count back from the `today` of the load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from centreville.premises import services
from centreville.premises.models import BusinessProject, CommercialUnit, Floor, ProjectStatus, ProposalOutcome
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

SEED = 2026
SHOP_UNITS = 33  # units occupied by demo shops
EARTH_METRES_PER_DEGREE = 111_320
PREVIOUS_OCCUPANTS = (
    "Agence immobilière Lemaître",
    "Banque du Bocage",
    "Vidéoclub Cinéstar",
    "Bazar Normand",
    "Cabinet d'assurances Morel",
    "Laverie du Centre",
)
OWNERS = (
    ("SCI du Marché", "sci.marche@example.fr"),
    ("Mme Odile Lechevalier", "o.lechevalier@example.fr"),
    ("SCI Carnot Patrimoine", "gestion@carnot-patrimoine.example"),
    ("M. Gérard Hamelin", "g.hamelin@example.fr"),
    ("Foncière de l'Orne", "contact@fonciere-orne.example"),
)


@dataclass(frozen=True)
class _Step:
    state: str
    days_ago: int  # the state starts this many days before the load's today
    occupant: str = ""  # for an occupied state: a name (a demo shop is given by `shop_slug`)
    shop_slug: str = ""


@dataclass(frozen=True)
class _UnitSpec:
    reference: str
    number: str
    street: str
    steps: tuple[_Step, ...]
    surface: Decimal | None
    near_slug: str  # placed a few metres from this demo shop, on the same street


_S = _Step
OCC, VAC, WORKS, RES = "occupied", "vacant", "works", "reserved"

# The units that are not simply under a demo shop, oldest state first.
OTHER_UNITS: tuple[_UnitSpec, ...] = (
    _UnitSpec("REP-37", "37", "rue de la République",
              (_S(OCC, 4200, shop_slug="mercerie-tessier"), _S(VAC, 240)), Decimal("95"),
              "chaussures-lesueur"),
    _UnitSpec("CHA-20", "20", "rue de la Chaussée",
              (_S(OCC, 3650, "Banque du Bocage"), _S(VAC, 420)), Decimal("140"), "le-comptoir-de-capucine"),
    _UnitSpec("MAR-14", "14", "rue Saint-Martin",
              (_S(OCC, 2900, "Vidéoclub Cinéstar"), _S(VAC, 700)), None, "au-fil-de-francoise"),
    _UnitSpec("CAR-60", "60", "boulevard Carnot",
              (_S(OCC, 2500, "Laverie du Centre"), _S(WORKS, 330), _S(VAC, 150)), Decimal("70"),
              "cycles-et-sports-desmonts"),
    _UnitSpec("REP-12", "12", "rue de la République",
              (_S(OCC, 3000, "Bazar Normand"), _S(VAC, 500), _S(WORKS, 100)), Decimal("110"),
              "pharmacie-du-centre"),
    _UnitSpec("BRI-11", "11", "rue Aristide Briand",
              (_S(OCC, 2000, "Cabinet d'assurances Morel"), _S(VAC, 380), _S(WORKS, 60)), Decimal("55"),
              "antiquites-laine"),
    _UnitSpec("MAR-30", "30", "rue Saint-Martin",
              (_S(OCC, 1800, "Agence immobilière Lemaître"), _S(VAC, 600), _S(RES, 45)), Decimal("48"),
              "les-trouvailles-de-chloe"),
    _UnitSpec("OZE-5", "5", "rue Pierre Ozenne",
              (_S(VAC, 1200), _S(WORKS, 330), _S(OCC, 200, "Les Douceurs de Claire")), Decimal("65"),
              "lepi-vert"),
)  # fmt: skip


@dataclass(frozen=True)
class _ProjectSpec:
    title: str
    category_slug: str
    description: str
    contact_name: str
    contact_email: str
    surface_min: Decimal | None
    surface_max: Decimal | None
    streets: tuple[str, ...]
    budget: Decimal | None
    status: str
    # Units proposed: (reference, days ago, outcome)
    proposals: tuple[tuple[str, int, str], ...] = ()


PROJECTS: tuple[_ProjectSpec, ...] = (
    _ProjectSpec("Épicerie en vrac et produits locaux", "herboristerie-bio",
                 "Épicerie zéro déchet : vrac, produits des fermes voisines, atelier de cuisine le samedi.",
                 "Inès Marchand", "ines.marchand@example.fr", Decimal(60), Decimal(150),
                 ("rue de la République", "rue Saint-Martin"), Decimal(1400), ProjectStatus.PROPOSED,
                 (("REP-37", 30, ProposalOutcome.VISITED), ("MAR-14", 12, ProposalOutcome.PENDING))),
    _ProjectSpec("Atelier de réparation de vélos", "sport",
                 "Réparation et vente de vélos d'occasion, location à la journée pour les touristes.",
                 "Thomas Renaud", "thomas.renaud@example.fr", Decimal(40), Decimal(90), (), Decimal(900),
                 ProjectStatus.STUDY),
    _ProjectSpec("Salon de thé et pâtisserie", "torrefacteur-salon-de-the",
                 "Pâtisseries maison et thés, une dizaine de places assises.",
                 "Claire Dubois", "claire.dubois@example.fr", Decimal(50), Decimal(80),
                 ("rue Pierre Ozenne",), None, ProjectStatus.INSTALLED,
                 (("OZE-5", 560, ProposalOutcome.ACCEPTED),)),
    _ProjectSpec("Boutique de créateurs normands", "decoration-et-cadeaux",
                 "Dépôt-vente de créateurs du département, ateliers le mercredi.",
                 "Léa Fontaine", "lea.fontaine@example.fr", Decimal(30), Decimal(60), ("rue de la Chaussée",),
                 Decimal(800), ProjectStatus.ABANDONED, (("CHA-20", 200, ProposalOutcome.DECLINED),)),
    _ProjectSpec("Caviste de vins naturels", "caviste",
                 "Cave et bar à vins, dégustations avec les vignerons.", "Marc Lefèvre",
                 "marc.lefevre@example.fr", Decimal(40), None, (), None, ProjectStatus.NEW),
)  # fmt: skip


def _phone(rng: random.Random) -> str:
    """A number from 02 61 91 xx xx, the range set aside for fiction: it never rings anyone."""
    return "02 61 91 " + " ".join(f"{rng.randint(10, 99):02d}" for _ in range(2))


def _near(shop: Shop, rng: random.Random) -> tuple[Decimal | None, Decimal | None]:
    """A point 8 to 20 metres from the shop (units of one street stand side by side)."""
    if shop.latitude is None or shop.longitude is None:
        return None, None
    north, east = rng.choice((-1, 1)) * rng.uniform(8, 20), rng.choice((-1, 1)) * rng.uniform(8, 20)
    latitude = shop.latitude + Decimal(north / EARTH_METRES_PER_DEGREE)
    longitude = shop.longitude + Decimal(east / (EARTH_METRES_PER_DEGREE * 0.66))  # cos(48.7°)
    return round(latitude, 6), round(longitude, 6)


def _shop_steps(shop: Shop, rng: random.Random) -> tuple[_Step, ...]:
    """The shop since a few years, and often before it another occupant, a vacancy and works."""
    since = rng.randint(300, 4000)
    steps = [_Step(OCC, since, shop_slug=shop.slug)]
    if since < 3 * 365 or rng.random() < 0.4:
        works = since + rng.randint(30, 120)
        vacant = works + rng.randint(60, 500)
        steps[:0] = [
            _Step(OCC, vacant + rng.randint(1000, 3000), rng.choice(PREVIOUS_OCCUPANTS)),
            _Step(VAC, vacant),
            _Step(WORKS, works),
        ]
    return tuple(steps)


def _unit(
    town: Town,
    spec: _UnitSpec,
    shops: dict[str, Shop],
    today: date,
) -> CommercialUnit:
    """The unit and, when new, its history; existing units are left as the town team may have edited them."""
    existing = CommercialUnit.objects.filter(town=town, reference=spec.reference).first()
    if existing is not None:
        return existing
    rng = random.Random(f"{SEED}/premises/{town.slug}/{spec.reference}")
    near = shops[spec.near_slug]
    if spec.steps[-1].shop_slug == near.slug:  # the shop's own unit: where the shop is on the map
        latitude, longitude = near.latitude, near.longitude
    else:
        latitude, longitude = _near(near, rng)
    owner, email = rng.choice(OWNERS)
    data = services.UnitData(
        reference=spec.reference,
        street=spec.street,
        street_number=spec.number,
        postcode=shops[spec.near_slug].postcode,
        latitude=latitude,
        longitude=longitude,
        surface=spec.surface,
        floor=Floor.GROUND_AND_UPPER if rng.random() < 0.15 else Floor.GROUND,
        frontage=Decimal(rng.randint(35, 120)) / 10,
        owner_name=owner,
        owner_email=email,
        owner_phone=_phone(rng),
        notes="",
    )
    first, *rest = spec.steps
    unit = services.unit_create(
        town=town,
        data=data,
        state=first.state,
        since=today - timedelta(days=first.days_ago),
        shop=shops.get(first.shop_slug),
        occupant_name=first.occupant,
        actor=None,
        today=today,
    )
    for step in rest:
        services.occupancy_record(
            unit=unit,
            state=step.state,
            since=today - timedelta(days=step.days_ago),
            shop=shops.get(step.shop_slug),
            occupant_name=step.occupant,
            actor=None,
            today=today,
        )
    return unit


def _project(town: Town, spec: _ProjectSpec, units: dict[str, CommercialUnit], today: date) -> None:
    if BusinessProject.objects.filter(town=town, title=spec.title).exists():
        return
    from centreville.shops.models import TradeCategory

    project = services.project_create(
        town=town,
        data=services.ProjectData(
            title=spec.title,
            contact_name=spec.contact_name,
            category=TradeCategory.objects.filter(slug=spec.category_slug).first(),
            description=spec.description,
            contact_email=spec.contact_email,
            contact_phone=_phone(random.Random(f"{SEED}/projects/{spec.title}")),
            surface_min=spec.surface_min,
            surface_max=spec.surface_max,
            wanted_streets=spec.streets,
            budget=spec.budget,
        ),
    )
    if spec.status == ProjectStatus.STUDY:
        services.project_transition(project=project, to_status=ProjectStatus.STUDY)
    for reference, days_ago, outcome in spec.proposals:
        proposed_on = today - timedelta(days=days_ago)
        proposal = services.proposal_create(project=project, unit=units[reference], proposed_on=proposed_on)
        if outcome != ProposalOutcome.PENDING:
            services.proposal_set_outcome(
                proposal=proposal,
                outcome=outcome,
                outcome_on=proposed_on + timedelta(days=9),
                note="",
                today=today,
            )
    if spec.status in (ProjectStatus.INSTALLED, ProjectStatus.ABANDONED):
        services.project_transition(project=project, to_status=spec.status)


def demo_premises_load(town: Town, shops: dict[str, Shop], *, today: date) -> int:
    """Argentan's demo units (about forty) and business projects exist; returns how many units it has."""
    published = [shop for shop in shops.values() if shop.status == ShopStatus.PUBLISHED][:SHOP_UNITS]
    specs = [
        _UnitSpec(
            reference=f"U-{index + 1:03d}",
            number=shop.street_address.split(" ", 1)[0],
            street=shop.street_address.split(" ", 1)[1],
            steps=_shop_steps(shop, random.Random(f"{SEED}/premises/history/{shop.slug}")),
            surface=Decimal(random.Random(f"{SEED}/premises/surface/{shop.slug}").randint(30, 220)),
            near_slug=shop.slug,
        )
        for index, shop in enumerate(published)
    ]
    units = {spec.reference: _unit(town, spec, shops, today) for spec in (*specs, *OTHER_UNITS)}
    for project in PROJECTS:
        _project(town, project, units, today)
    return CommercialUnit.objects.filter(town=town).count()
