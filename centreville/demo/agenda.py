"""The demo town's agenda: the weekly market, a Christmas market with shops' offers, a declared braderie, a
late opening and a tasting, the monthly family Saturday (held for a year, so the observatory has event days
to compare), the festival committee's concert waiting for the town's check, and the year's « dimanches du
maire » that two shops join.

Written through the agenda's services and trade rules, so the demo obeys the same rules as the pages.
Dates follow the load's day: the Christmas market opens in five days whatever the month, so the agenda
always has something on. Idempotent: an event is found by its title in the town (an offer, by title and
shop) and rewritten; Sundays and declarations are found by their date and site.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from centreville.accounts.models import User
from centreville.agenda import services, trade_rules
from centreville.agenda.models import (
    Audience,
    BraderieDeclaration,
    DeclarationStatus,
    Event,
    EventKind,
    PlaceKind,
    SundayOpening,
)
from centreville.shops.models import Shop
from centreville.towns.models import Town

MANAGER_EMAIL = "manager@argentan.example"
ORGANISER_EMAIL = "organisatrice@argentan.example"
MARKET_SQUARE = "Place du Marché, 61200 Argentan"
BRADERIE_SITE = "Rue de la Chaussée et rue du Beigle, Argentan"
# The shops that take part in the Christmas market (by slug), with their offer.
CHRISTMAS_OFFERS = (
    ("chocolaterie-delamare", EventKind.TASTING, "Dégustation de truffes au calvados",
     time(15, 0), time(18, 0)),
    ("le-comptoir-de-capucine", EventKind.LATE_OPENING, "Nocturne : coffrets cadeaux jusqu'à 21 h",
     time(18, 0), time(21, 0)),
    ("boutique-apolline", EventKind.PROMOTION, "-15 % sur les écharpes et les gants",
     time(9, 30), time(19, 0)),
)  # fmt: skip
SUNDAY_SHOPS = ("boulangerie-lemonnier", "boutique-apolline")


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)


def _write(
    town: Town, data: services.EventData, *, shop: Shop | None, actor: User | None, at: datetime
) -> Event:
    found = Event.objects.filter(town=town, title=data.title, shop=shop).first()
    if found is not None:
        return services.event_update(event=found, data=data, actor=actor, reviewer=True, at=at)
    if shop is not None:
        return services.offer_create(shop=shop, data=data, actor=actor, reviewer=True, at=at)
    return services.event_create(town=town, data=data, actor=actor, reviewer=True, at=at)


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def demo_agenda_load(town: Town, shops: dict[str, Shop], *, at: datetime) -> int:
    """The demo agenda of `town`; the number of events and offers it holds."""
    zone = ZoneInfo(town.timezone)
    today = at.astimezone(zone).date()
    manager = User.objects.filter(email=MANAGER_EMAIL).first()

    first_tuesday = _next_weekday(today, 1)
    _write(
        town,
        services.EventData(
            kind=EventKind.MARKET,
            title="Marché du centre-ville",
            description=(
                "Producteurs de la plaine d'Argentan, primeurs, fromagers, volaillers et fleuristes, chaque "
                "mardi et vendredi matin sur la place du Marché."
            ),
            starts_at=_at(first_tuesday, time(8, 0), zone),
            ends_at=_at(first_tuesday, time(13, 0), zone),
            rrule="FREQ=WEEKLY;BYDAY=TU,FR",
            venue_name="Place du Marché",
            address=MARKET_SQUARE,
            latitude=Decimal("48.744800"),
            longitude=Decimal("-0.020900"),
            audiences=(Audience.EVERYONE,),
            organiser_name="Ville d'Argentan",
        ),
        shop=None,
        actor=manager,
        at=at,
    )

    opens = today + timedelta(days=5)
    christmas = _write(
        town,
        services.EventData(
            kind=EventKind.CHRISTMAS_MARKET,
            title="Marché de Noël",
            description=(
                "Chalets d'artisans et de producteurs, patinoire et promenades en calèche ; les commerces du "
                "centre restent ouverts tard et proposent dégustations et offres de fête."
            ),
            starts_at=_at(opens, time(14, 0), zone),
            ends_at=_at(opens, time(20, 0), zone),
            rrule="FREQ=DAILY;COUNT=10",
            venue_name="Place Mahé",
            address="Place Mahé, 61200 Argentan",
            latitude=Decimal("48.743900"),
            longitude=Decimal("-0.019600"),
            audiences=(Audience.FAMILY, Audience.CHILDREN),
            organiser_name="Ville d'Argentan et l'union des commerçants",
        ),
        shop=None,
        actor=manager,
        at=at,
    )
    for slug, kind, title, start, end in CHRISTMAS_OFFERS:
        offer_day = opens + timedelta(days=2)
        _write(
            town,
            services.EventData(
                kind=kind,
                title=title,
                starts_at=_at(offer_day, start, zone),
                ends_at=_at(offer_day, end, zone),
                place_kind=PlaceKind.SHOP,
                parent=christmas,
            ),
            shop=shops[slug],
            actor=manager,
            at=at,
        )

    braderie_day = today + timedelta(days=24)
    braderie_data = services.EventData(
        kind=EventKind.BRADERIE,
        title="Grande braderie des commerçants",
        description="Les commerçants sortent leurs étals dans la rue : fins de séries et bonnes affaires.",
        starts_at=_at(braderie_day, time(9, 0), zone),
        ends_at=_at(braderie_day, time(18, 0), zone),
        place_kind=PlaceKind.VENUE,
        venue_name="Rue de la Chaussée",
        address=BRADERIE_SITE,
        organiser_name="Union des commerçants d'Argentan",
    )
    _write(town, braderie_data, shop=None, actor=manager, at=at)
    if not BraderieDeclaration.objects.filter(town=town, starts_on=braderie_day, site=BRADERIE_SITE).exists():
        declaration = trade_rules.declaration_record(
            town=town,
            data=trade_rules.DeclarationData(
                declarant_name="Union des commerçants d'Argentan",
                site=BRADERIE_SITE,
                starts_on=braderie_day,
                ends_on=braderie_day,
                goods="Vêtements, chaussures, articles de maison, fins de séries",
                received_on=today - timedelta(days=3),
            ),
            actor=manager,
        )
        if declaration.status == DeclarationStatus.RECEIVED:
            trade_rules.declaration_decide(declaration=declaration, accept=True, note="")

    late_day = _next_weekday(today + timedelta(days=1), 4)
    _write(
        town,
        replace(
            braderie_data,
            kind=EventKind.LATE_OPENING,
            title="Nocturne du vendredi : cafés torréfiés sous vos yeux",
            description="La brûlerie reste ouverte jusqu'à 21 h et torréfie devant vous.",
            starts_at=_at(late_day, time(18, 0), zone),
            ends_at=_at(late_day, time(21, 0), zone),
            place_kind=PlaceKind.SHOP,
            venue_name="",
            address="",
            organiser_name="",
        ),
        shop=shops["brulerie-lemonnier"],
        actor=manager,
        at=at,
    )

    _load_family_saturdays(town, today=today, zone=zone, actor=manager, at=at)
    _load_organiser_concert(town, opens=opens, zone=zone, at=at)
    _load_sundays(town, shops, today=today, at=at, actor=manager)
    return Event.objects.filter(town=town).count()


def _load_family_saturdays(
    town: Town, *, today: date, zone: ZoneInfo, actor: User | None, at: datetime
) -> None:
    """The monthly « Samedi des familles », held for a year already: its past days are the observatory's
    event days, and the demo's footfall is higher on them (`footfall.is_family_saturday`, the same days)."""
    month_a_year_ago = date(today.year - 1, today.month, 1)
    first = _next_weekday(month_a_year_ago, 5) + timedelta(weeks=1)  # the second Saturday
    _write(
        town,
        services.EventData(
            kind=EventKind.FESTIVAL,
            title="Samedi des familles",
            description=(
                "Chaque deuxième samedi du mois, jeux en bois, maquillage et spectacles de rue dans tout le "
                "centre-ville ; les commerces accueillent les enfants."
            ),
            starts_at=_at(first, time(14, 0), zone),
            ends_at=_at(first, time(18, 0), zone),
            rrule="FREQ=MONTHLY;BYDAY=2SA",
            place_kind=PlaceKind.CENTRE,
            audiences=(Audience.FAMILY, Audience.CHILDREN),
            organiser_name="Ville d'Argentan",
        ),
        shop=None,
        actor=actor,
        at=at,
    )


def _load_organiser_concert(town: Town, *, opens: date, zone: ZoneInfo, at: datetime) -> None:
    """The festival committee's concert, written by its organiser: it waits for the town team's check, so
    the organiser sees it pending and the manager finds it in the queue."""
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    title = "Concert de Noël de la chorale"
    if organiser is None or Event.objects.filter(town=town, title=title).exists():
        return
    concert_day = opens + timedelta(days=3)
    services.event_create(
        town=town,
        data=services.EventData(
            kind=EventKind.CONCERT,
            title=title,
            description="La chorale d'Argentan chante Noël ; vin chaud offert par le comité à la sortie.",
            starts_at=_at(concert_day, time(17, 0), zone),
            ends_at=_at(concert_day, time(18, 30), zone),
            venue_name="Église Saint-Germain",
            address="Place Saint-Germain, 61200 Argentan",
            audiences=(Audience.EVERYONE,),
            organiser_name="Comité des fêtes d'Argentan",
        ),
        actor=organiser,
        reviewer=False,
        at=at,
    )


def _load_sundays(
    town: Town, shops: dict[str, Shop], *, today: date, at: datetime, actor: User | None
) -> None:
    """This year's and next year's Sundays: the first Sunday of the winter and summer sales and the three
    Sundays before Christmas; two shops open on the next one to come."""
    for year in (today.year, today.year + 1):
        wanted = [
            (_next_weekday(date(year, 1, 8), 6), "Soldes d'hiver"),
            (_next_weekday(date(year, 6, 25), 6), "Soldes d'été"),
            *(
                (_next_weekday(date(year, 12, 1), 6) + timedelta(weeks=week), "Fêtes de fin d'année")
                for week in range(3)
            ),
        ]
        for day, note in wanted:
            if not SundayOpening.objects.filter(town=town, date=day).exists():
                trade_rules.sunday_add(town=town, day=day, decree=f"{year - 1}-154", note=note)
    upcoming = SundayOpening.objects.filter(town=town, date__gte=today).order_by("date").first()
    if upcoming is not None:
        for slug in SUNDAY_SHOPS:
            trade_rules.sunday_join(
                sunday=upcoming, shop=shops[slug], hours="10:00-18:00", actor=actor, at=at
            )
