"""Reads of car parks for pages and for other apps: plain data, a few queries whatever the number of car
parks. Other apps call `nearest_car_parks` (the agenda's event pages), `parking_home_block` (the town's
home page) and `history.occupancy_by_day` (the observatory)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from centreville.towns.models import Town

from . import history
from .hours import is_open, week_in_words
from .live import is_stale
from .models import CarPark, Feed
from .states import COLOUR, State, shown_state

EARTH_RADIUS_M = 6_371_000


def data_time_words(observed_at: datetime | None, *, tz_name: str, at: datetime) -> str:
    """« données de 14:05 » on the town's clock (with the day when it is not today's)."""
    if observed_at is None:
        return _("aucune donnée reçue")
    tz = ZoneInfo(tz_name)
    local = observed_at.astimezone(tz)
    if local.date() == at.astimezone(tz).date():
        return _("données de %(time)s") % {"time": local.strftime("%H:%M")}
    return _("données du %(day)s à %(time)s") % {
        "day": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
    }


@dataclass(frozen=True)
class Live:
    """What is known now of a car park's free spaces. A stale reading keeps its figures (shown with their
    time, never as current) but its state is « no data »; a car park its opening hours say closed now is
    « closed », whatever its feed says (`states.shown_state`), and a closed one shows no free spaces."""

    free: int | None
    capacity: int
    state: State
    stale: bool
    observed_at: datetime | None
    time_words: str
    open_by_hours: bool | None  # what its opening hours say now; None without hours

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def colour(self) -> str:
        return COLOUR[State(self.state)]

    @property
    def is_current(self) -> bool:
        return not self.stale and self.state not in (State.NO_DATA,)


def _live(car_park: CarPark, *, tz_name: str, at: datetime) -> Live:
    """The one place a car park's shown state is decided, for every page and every app that shows one."""
    stale = is_stale(car_park.live_observed_at, at=at)
    open_by_hours = is_open(car_park.opening_hours, tz_name, at=at)
    state = shown_state(State.NO_DATA if stale else State(car_park.live_state), open_by_hours=open_by_hours)
    return Live(
        # A closed car park has no free space to offer, whatever its counter last said.
        free=None if state == State.CLOSED else car_park.live_free,
        capacity=car_park.live_capacity or car_park.capacity,
        state=state,
        stale=stale,
        observed_at=car_park.live_observed_at,
        time_words=data_time_words(car_park.live_observed_at, tz_name=tz_name, at=at),
        open_by_hours=open_by_hours,
    )


@dataclass(frozen=True)
class Price:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class BoardCarPark:
    pk: int
    ref: str
    name: str
    address: str
    url: str
    latitude: Decimal
    longitude: Decimal
    live: Live
    trend: str  # words, "" when unknown
    opening_hours: str  # OpenStreetMap syntax
    hours_words: str  # « du lundi au samedi : 07:00–20:00 ; dimanche : fermé »
    open_now: bool | None
    is_free: bool
    prices: list[Price]
    disabled_spaces: int | None
    ev_spaces: int | None
    bike_spaces: int | None
    max_height_cm: int | None
    structure: str
    info: str


@dataclass(frozen=True)
class Board:
    car_parks: list[BoardCarPark]
    free_total: int  # over the car parks with current data
    capacity_total: int
    current: int  # how many car parks have current data


PRICE_FIELDS = (
    ("price_1h", "1 h"),
    ("price_2h", "2 h"),
    ("price_3h", "3 h"),
    ("price_4h", "4 h"),
    ("price_24h", "24 h"),
)


def _prices(car_park: CarPark) -> list[Price]:
    prices = [
        Price(label, getattr(car_park, name))
        for name, label in PRICE_FIELDS
        if getattr(car_park, name) is not None
    ]
    if car_park.subscription_resident is not None:
        prices.append(Price(_("abonnement mensuel résident"), car_park.subscription_resident))
    if car_park.subscription_non_resident is not None:
        prices.append(Price(_("abonnement mensuel non-résident"), car_park.subscription_non_resident))
    return prices


def parking_board(town: Town, *, at: datetime) -> Board:
    """Every car park of the town with its live state, trend, hours and prices: the public page."""
    car_parks = list(CarPark.objects.for_town(town).order_by("name", "pk"))
    trends = history.trends([car_park.pk for car_park in car_parks], at=at)
    board = []
    for car_park in car_parks:
        trend = trends.get(car_park.pk)
        live = _live(car_park, tz_name=town.timezone, at=at)
        board.append(
            BoardCarPark(
                pk=car_park.pk,
                ref=car_park.ref,
                name=car_park.name,
                address=car_park.address,
                url=car_park.url,
                latitude=car_park.latitude,
                longitude=car_park.longitude,
                live=live,
                trend=str(history.TREND_WORDS[trend.trend]) if trend else "",
                opening_hours=car_park.opening_hours,
                hours_words=week_in_words(car_park.opening_hours, town.timezone, at=at),
                open_now=live.open_by_hours,
                is_free=car_park.is_free,
                prices=_prices(car_park),
                disabled_spaces=car_park.disabled_spaces,
                ev_spaces=car_park.ev_spaces,
                bike_spaces=car_park.bike_spaces,
                max_height_cm=car_park.max_height_cm,
                structure=car_park.get_structure_type_display() if car_park.structure_type else "",
                info=car_park.info,
            )
        )
    current = [item for item in board if item.live.is_current and item.live.state != State.CLOSED]
    return Board(
        car_parks=board,
        free_total=sum(item.live.free or 0 for item in current),
        capacity_total=sum(item.live.capacity for item in current),
        current=len(current),
    )


# A page showing live figures is kept in the page cache at most this long.
LIVE_FOR = timedelta(seconds=60)


@dataclass(frozen=True)
class HomeBlock:
    town_slug: str
    car_parks: list[tuple[str, Live]]  # name, live state
    free_total: int
    current: int
    valid_until: datetime  # for the page cache (core.pagecache.expire_page_at): live figures age fast


def parking_home_block(*, town_id: int, at: datetime, limit: int = 4) -> HomeBlock | None:
    """The compact block of the town's home page (`parking/_home_block.html`): a few car parks with their
    free spaces now (or the time of their last data), and the free spaces of all with current data. None
    when the town has no car park. One query."""
    car_parks = list(CarPark.objects.filter(town_id=town_id).select_related("town").order_by("name", "pk"))
    if not car_parks:
        return None
    town = car_parks[0].town
    lives = [(car_park.name, _live(car_park, tz_name=town.timezone, at=at)) for car_park in car_parks]
    current = [live for _name, live in lives if live.is_current and live.state != State.CLOSED]
    return HomeBlock(
        town_slug=town.slug,
        car_parks=lives[:limit],
        free_total=sum(live.free or 0 for live in current),
        current=len(current),
        valid_until=at + LIVE_FOR,
    )


@dataclass(frozen=True)
class NearbyCarPark:
    pk: int
    name: str
    address: str
    latitude: float
    longitude: float
    distance_m: int
    free: int | None  # the last reading's, even when stale: look at `stale`
    capacity: int
    state: str  # State value: open, almost_full, full, closed, no_data (no_data when stale; closed by hours)
    state_label: str
    stale: bool
    observed_at: datetime | None
    time_words: str  # « données de 14:05 »
    usual_occupancy: float | None  # 0 to 1, at `at`'s weekday and hour; None when not known yet
    usual_words: str  # « habituellement complet le samedi matin », or ""

    @property
    def colour(self) -> str:
        return COLOUR[State(self.state)]


def distance_m(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> int:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    dphi = phi2 - phi1
    dlambda = math.radians(longitude2 - longitude1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def nearest_car_parks(
    *, town_id: int, latitude: float | Decimal, longitude: float | Decimal, at: datetime, limit: int = 3
) -> list[NearbyCarPark]:
    """The town's `limit` car parks nearest to a point, nearest first, as plain data.

    Arguments: `town_id` (the town's pk), `latitude` and `longitude` of the point (WGS 84 degrees), `at` the
    aware datetime of interest (now, or an event's start: the latest reading is judged at `at`, so it is
    stale for an event more than 15 minutes ahead, and the usual occupancy is that of `at`'s weekday and
    hour on the town's clock over the eight weeks before `at`), `limit`.

    Each `NearbyCarPark` has: `pk`, `name`, `address`, `latitude`, `longitude`, `distance_m` (straight
    line, metres), `free` and `capacity` of the last reading (None free without any), `state` (a
    `parking.states.State` value) and its French `state_label`, `stale` (the last reading is older than 15
    minutes at `at`: show `time_words`, « données de 14:05 », never the figures as current; its state is
    then « no_data »; it is « closed » when its opening hours say so at `at`), `observed_at`,
    `usual_occupancy` (0 to 1, or None) and `usual_words` (« habituellement complet le samedi matin », or ""
    when too little history). A few queries, whatever the number of car parks."""
    town = Town.objects.filter(pk=town_id).only("timezone").first()
    if town is None:
        return []
    car_parks = list(CarPark.objects.filter(town_id=town_id))
    point = (float(latitude), float(longitude))
    ranked = sorted(
        car_parks,
        key=lambda car_park: (
            distance_m(*point, float(car_park.latitude), float(car_park.longitude)),
            car_park.pk,
        ),
    )[:limit]
    local = at.astimezone(ZoneInfo(town.timezone))
    usual = history.usual_occupancies(
        [car_park.pk for car_park in ranked],
        weekday=local.weekday(),
        hour=local.hour,
        tz_name=town.timezone,
        at=at,
    )
    nearby = []
    for car_park in ranked:
        live = _live(car_park, tz_name=town.timezone, at=at)
        occupancy = usual[car_park.pk]
        nearby.append(
            NearbyCarPark(
                pk=car_park.pk,
                name=car_park.name,
                address=car_park.address,
                latitude=float(car_park.latitude),
                longitude=float(car_park.longitude),
                distance_m=distance_m(*point, float(car_park.latitude), float(car_park.longitude)),
                free=live.free,
                capacity=live.capacity,
                state=str(live.state),
                state_label=live.state_label,
                stale=live.stale,
                observed_at=live.observed_at,
                time_words=live.time_words,
                usual_occupancy=occupancy,
                usual_words=history.usual_words(occupancy, local.weekday(), local.hour),
            )
        )
    return nearby


# --- The town team's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManagedCarPark:
    car_park: CarPark
    live: Live
    missing_for_export: list[str]


def managed_car_parks(town: Town, *, at: datetime) -> list[ManagedCarPark]:
    from .export import missing_for_export

    return [
        ManagedCarPark(
            car_park=car_park,
            live=_live(car_park, tz_name=town.timezone, at=at),
            missing_for_export=missing_for_export(car_park),
        )
        for car_park in CarPark.objects.for_town(town).order_by("name", "pk")
    ]


@dataclass(frozen=True)
class FeedState:
    feed: Feed
    state: str  # ok, failing, never, disabled
    state_label: str
    success_words: str
    failure_words: str


def town_feeds(town: Town, *, at: datetime) -> list[FeedState]:
    states = []
    for feed in Feed.objects.for_town(town).order_by("name", "pk"):
        if not feed.enabled:
            state, label = "disabled", _("désactivé")
        elif feed.consecutive_failures:
            state = "failing"
            label = _("en échec (%(count)s fois de suite)") % {"count": feed.consecutive_failures}
        elif feed.last_success_at is None:
            state, label = "never", _("jamais lu")
        else:
            state, label = "ok", _("fonctionne")
        states.append(
            FeedState(
                feed=feed,
                state=state,
                state_label=label,
                success_words=_local_words(feed.last_success_at, town.timezone),
                failure_words=_local_words(feed.last_failure_at, town.timezone),
            )
        )
    return states


def _local_words(moment: datetime | None, tz_name: str) -> str:
    if moment is None:
        return _("jamais")
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%d/%m/%Y %H:%M")


def town_by_slug(slug: str) -> Town | None:
    return Town.objects.filter(slug=slug).first()
