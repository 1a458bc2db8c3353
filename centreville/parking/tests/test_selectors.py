"""What pages and other apps read: the board, staleness at fixed clocks (a clock-change night included),
the car parks nearest to a point, the town home's block."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.parking import selectors
from centreville.parking.states import State
from centreville.towns.models import Town

from .factories import CarParkFactory
from .helpers import add_reading, set_live

PARIS = ZoneInfo("Europe/Paris")


def test_data_time_is_said_on_the_towns_clock() -> None:
    at = datetime(2026, 3, 28, 13, 10, tzinfo=UTC)
    assert selectors.data_time_words(
        datetime(2026, 3, 28, 13, 5, tzinfo=UTC), tz_name="Europe/Paris", at=at
    ) == ("données de 14:05")
    assert selectors.data_time_words(
        datetime(2026, 3, 27, 13, 5, tzinfo=UTC), tz_name="Europe/Paris", at=at
    ) == ("données du 27/03/2026 à 14:05")
    assert selectors.data_time_words(None, tz_name="Europe/Paris", at=at) == "aucune donnée reçue"


def test_a_reading_becomes_stale_after_15_minutes_across_the_spring_clock_change(argentan: Town) -> None:
    """Night of 28 to 29 March 2026: 02:00 becomes 03:00 in Paris. A reading of 01:55 (00:55 UTC) is
    12 minutes old at 03:07 local time (01:07 UTC), though the wall clock moved 72 minutes."""
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    set_live(car_park, datetime(2026, 3, 29, 0, 55, tzinfo=UTC), 60)

    current = selectors.parking_board(argentan, at=datetime(2026, 3, 29, 1, 7, tzinfo=UTC)).car_parks[0].live
    assert (current.stale, current.state, current.free) == (False, State.OPEN, 60)
    assert current.time_words == "données de 01:55"

    later = selectors.parking_board(argentan, at=datetime(2026, 3, 29, 1, 11, tzinfo=UTC)).car_parks[0].live
    assert (later.stale, later.state, later.state_label) == (True, State.NO_DATA, "Pas de données")
    assert later.free == 60  # kept, to be shown with its time, never as current


def test_staleness_across_the_autumn_clock_change(argentan: Town) -> None:
    """25 October 2026: 03:00 summer time becomes 02:00 winter time; 02:50 happens twice."""
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    first_0250 = datetime(2026, 10, 25, 0, 50, tzinfo=UTC)  # 02:50 summer time
    set_live(car_park, first_0250, 30)
    second_0250 = datetime(2026, 10, 25, 1, 50, tzinfo=UTC)  # 02:50 winter time, an hour later
    live = selectors.parking_board(argentan, at=second_0250).car_parks[0].live
    assert live.stale
    assert live.time_words == "données de 02:50"
    assert (
        not selectors.parking_board(argentan, at=first_0250 + timedelta(minutes=10)).car_parks[0].live.stale
    )


def test_opening_hours_in_words_on_the_towns_clock() -> None:
    from centreville.parking.hours import is_open, week_in_words

    at = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Saturday, the eve of the spring clock change
    assert week_in_words("Mo-Sa 07:00-20:00", "Europe/Paris", at=at) == (
        "du lundi au samedi : 07:00–20:00 ; dimanche : fermé"
    )
    assert week_in_words("24/7", "Europe/Paris", at=at) == "24 h sur 24, 7 jours sur 7"
    assert week_in_words("Mo-Fr 08:00-12:00,14:00-19:00; Sa 08:00-24:00", "Europe/Paris", at=at) == (
        "du lundi au vendredi : 08:00–12:00, 14:00–19:00 ; samedi : 08:00–minuit ; dimanche : fermé"
    )
    assert week_in_words("n'importe quoi", "Europe/Paris", at=at) == ""
    assert is_open("Mo-Sa 07:00-20:00", "Europe/Paris", at=datetime(2026, 3, 28, 18, 30, tzinfo=UTC)) is True
    assert is_open("Mo-Sa 07:00-20:00", "Europe/Paris", at=datetime(2026, 3, 28, 19, 30, tzinfo=UTC)) is False
    assert is_open("", "Europe/Paris", at=at) is None


def test_the_board_totals_only_current_open_car_parks(argentan: Town) -> None:
    at = datetime(2026, 5, 16, 10, 0, tzinfo=UTC)
    current = CarParkFactory.create(
        town=argentan, capacity=100, name="A", opening_hours="24/7", price_1h=Decimal("1.20")
    )
    stale = CarParkFactory.create(town=argentan, capacity=50, name="B")
    closed = CarParkFactory.create(town=argentan, capacity=70, name="C")
    CarParkFactory.create(town=argentan, capacity=30, name="D")  # no data ever
    set_live(current, at - timedelta(minutes=2), 40)
    set_live(stale, at - timedelta(minutes=20), 25)
    set_live(closed, at - timedelta(minutes=2), 0, State.CLOSED)

    board = selectors.parking_board(argentan, at=at)

    assert (board.free_total, board.capacity_total, board.current) == (40, 100, 1)
    first = board.car_parks[0]
    assert first.open_now is True
    assert [(price.label, price.amount) for price in first.prices] == [("1 h", Decimal("1.20"))]
    assert [item.live.state for item in board.car_parks] == [
        State.OPEN,
        State.NO_DATA,
        State.CLOSED,
        State.NO_DATA,
    ]


def test_nearest_car_parks_with_their_state_and_habits(argentan: Town) -> None:
    at = datetime(2026, 5, 16, 8, 30, tzinfo=UTC)  # Saturday 10:30 in Argentan
    near = CarParkFactory.create(
        town=argentan,
        name="Place du Marché",
        capacity=100,
        latitude=Decimal("48.744780"),
        longitude=Decimal("-0.020950"),
    )
    far = CarParkFactory.create(
        town=argentan,
        name="Champ de Foire",
        capacity=200,
        latitude=Decimal("48.750000"),
        longitude=Decimal("-0.010000"),
    )
    CarParkFactory.create(town=argentan, name="Gare", latitude=Decimal("48.76"), longitude=Decimal("0.0"))
    CarParkFactory.create(latitude=Decimal("48.744780"), longitude=Decimal("-0.020950"))  # another town's
    set_live(near, at - timedelta(minutes=3), 4)
    set_live(far, at - timedelta(hours=2), 150)
    for week in (1, 2, 3):
        day = date(2026, 5, 16) - timedelta(weeks=week)
        add_reading(near, datetime(day.year, day.month, day.day, 10, 15, tzinfo=PARIS), 2)

    with CaptureQueriesContext(connection) as queries:
        nearby = selectors.nearest_car_parks(
            town_id=argentan.pk, latitude=48.7446, longitude=-0.0208, at=at, limit=2
        )

    assert len(queries) <= 4
    assert [item.name for item in nearby] == ["Place du Marché", "Champ de Foire"]
    first, second = nearby
    assert first.distance_m < 30
    assert 800 < second.distance_m < 1000
    assert (first.free, first.capacity, first.state, first.stale) == (4, 100, "almost_full", False)
    assert first.usual_occupancy == 0.98
    assert first.usual_words == "habituellement complet le samedi matin"
    assert (second.stale, second.state, second.time_words) == (True, "no_data", "données de 08:30")
    assert second.usual_occupancy is None
    assert second.usual_words == ""


def test_the_home_block(argentan: Town) -> None:
    at = datetime(2026, 5, 16, 10, 0, tzinfo=UTC)
    assert selectors.parking_home_block(town_id=argentan.pk, at=at) is None
    market = CarParkFactory.create(town=argentan, name="A", capacity=120)
    old = CarParkFactory.create(town=argentan, name="B", capacity=60)
    set_live(market, at - timedelta(minutes=1), 30)
    set_live(old, at - timedelta(hours=1), 10)

    block = selectors.parking_home_block(town_id=argentan.pk, at=at)

    assert block is not None
    assert (block.town_slug, block.free_total, block.current) == ("argentan", 30, 1)
    assert [(name, live.stale) for name, live in block.car_parks] == [("A", False), ("B", True)]


# Monday to Saturday 07:00–20:00, and Friday and Saturday nights until 03:00.
HOURS = "Mo-Sa 07:00-20:00; Fr-Sa 20:00-03:00"


def _closed_by_hours_everywhere(town: Town, at: datetime) -> set[tuple[str, str, str]]:
    """The state, its word and its colour as the board, the home block and the event pages say it."""
    board = selectors.parking_board(town, at=at).car_parks[0]
    home = selectors.parking_home_block(town_id=town.pk, at=at)
    assert home is not None
    nearby = selectors.nearest_car_parks(town_id=town.pk, latitude=48.7446, longitude=-0.0208, at=at)[0]
    return {
        (board.live.state, board.live.state_label, board.live.colour),
        (home.car_parks[0][1].state, home.car_parks[0][1].state_label, home.car_parks[0][1].colour),
        (nearby.state, nearby.state_label, nearby.colour),
    }


CLOSED = {(State.CLOSED, "Fermé", "grey")}
OPEN = {(State.OPEN, "Places disponibles", "green")}


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (datetime(2026, 12, 8, 10, 0, tzinfo=PARIS), OPEN),  # a Tuesday morning
        (datetime(2026, 12, 8, 20, 30, tzinfo=PARIS), CLOSED),  # the same evening, after closing
        (datetime(2026, 12, 8, 6, 59, tzinfo=PARIS), CLOSED),  # before opening
        (datetime(2026, 12, 12, 23, 30, tzinfo=PARIS), OPEN),  # a Saturday night
        (datetime(2026, 12, 13, 11, 0, tzinfo=PARIS), CLOSED),  # a Sunday
        (datetime(2026, 12, 13, 2, 30, tzinfo=PARIS), OPEN),  # Saturday night, into Sunday
    ],
)
def test_a_car_park_its_hours_say_closed_is_shown_closed_everywhere(
    argentan: Town, at: datetime, shown: set[tuple[str, str, str]]
) -> None:
    car_park = CarParkFactory.create(town=argentan, capacity=120, opening_hours=HOURS)
    set_live(car_park, at - timedelta(minutes=2), 80)  # the feed goes on counting behind the gate

    assert _closed_by_hours_everywhere(argentan, at) == shown
    board = selectors.parking_board(argentan, at=at)
    assert board.car_parks[0].open_now is (shown == OPEN)
    assert (board.free_total, board.current) == ((80, 1) if shown == OPEN else (0, 0))
    home = selectors.parking_home_block(town_id=argentan.pk, at=at)
    assert home is not None
    assert home.free_total == (80 if shown == OPEN else 0)


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        # Night of 28 to 29 March 2026: 02:00 becomes 03:00. On Saturday night the car park closes at 03:00
        # summer time, that is 01:00 UTC, only 59 minutes of UTC after 02:00 winter time (01:00 UTC).
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), OPEN),  # 01:59 winter time
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), CLOSED),  # 03:00 summer time
        (datetime(2026, 3, 30, 4, 30, tzinfo=UTC), CLOSED),  # Monday 06:30 summer time
        (datetime(2026, 3, 30, 5, 0, tzinfo=UTC), OPEN),  # Monday 07:00 summer time
        # Night of 24 to 25 October 2026: 03:00 becomes 02:00; 02:30 happens twice, open both times.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), OPEN),  # 02:30 summer time
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), OPEN),  # 02:30 winter time
        (datetime(2026, 10, 25, 2, 0, tzinfo=UTC), CLOSED),  # 03:00 winter time
        (datetime(2026, 10, 26, 6, 0, tzinfo=UTC), OPEN),  # Monday 07:00 winter time
        (datetime(2026, 10, 26, 5, 59, tzinfo=UTC), CLOSED),  # Monday 06:59 winter time
    ],
)
def test_the_hours_are_read_on_the_towns_clock_across_the_clock_changes(
    argentan: Town, at: datetime, shown: set[tuple[str, str, str]]
) -> None:
    car_park = CarParkFactory.create(town=argentan, capacity=120, opening_hours=HOURS)
    set_live(car_park, at - timedelta(minutes=1), 80)

    assert _closed_by_hours_everywhere(argentan, at) == shown


def test_a_feed_saying_closed_during_opening_hours_still_wins(argentan: Town) -> None:
    at = datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)  # a Tuesday morning: open by its hours
    car_park = CarParkFactory.create(town=argentan, capacity=120, opening_hours=HOURS)
    set_live(car_park, at - timedelta(minutes=2), 80, State.CLOSED)

    assert _closed_by_hours_everywhere(argentan, at) == CLOSED
    assert selectors.parking_board(argentan, at=at).car_parks[0].open_now is True


def test_stale_data_of_a_car_park_closed_by_its_hours_says_closed(argentan: Town) -> None:
    at = datetime(2026, 12, 13, 11, 0, tzinfo=PARIS)  # a Sunday
    car_park = CarParkFactory.create(town=argentan, capacity=120, opening_hours=HOURS)
    set_live(car_park, at - timedelta(hours=20), 80)
    without_hours = CarParkFactory.create(town=argentan, capacity=60, name="ZZ sans horaires")
    set_live(without_hours, at - timedelta(hours=20), 10)

    board = selectors.parking_board(argentan, at=at)

    assert [(item.live.state, item.live.stale) for item in board.car_parks] == [
        (State.CLOSED, True),
        (State.NO_DATA, True),
    ]
