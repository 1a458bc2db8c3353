"""States as the pages say them, from the values of DATEX II, NGSI and Opendatasoft portals."""

from __future__ import annotations

import pytest

from centreville.parking.states import COLOUR, State, feed_state, shown_state, state_of


@pytest.mark.parametrize(
    ("word", "state"),
    [
        # DATEX II 2.3 ParkingSiteStatusEnum
        ("spacesAvailable", None),
        ("almostFull", State.ALMOST_FULL),
        ("fullAtEntrance", State.FULL),
        ("full", State.FULL),
        ("unknown", State.NO_DATA),
        ("other", None),
        # ParkingSiteOpeningStatus and NGSI
        ("open", None),
        ("Closed", State.CLOSED),
        ("closedAbnormal", State.CLOSED),
        # Strasbourg (etat and etat_descriptif)
        ("1", None),
        ("2", State.FULL),
        ("4", State.CLOSED),
        ("Complet", State.FULL),
        ("Fermé", State.CLOSED),
        ("nodata", State.NO_DATA),
        (None, None),
    ],
)
def test_feed_words(word: str | None, state: State | None) -> None:
    assert feed_state(word) == state


@pytest.mark.parametrize(
    ("said", "free", "capacity", "state"),
    [
        (None, 50, 100, State.OPEN),
        (None, 10, 100, State.ALMOST_FULL),
        (None, 0, 100, State.FULL),
        (State.ALMOST_FULL, 40, 100, State.ALMOST_FULL),
        (State.FULL, 3, 100, State.FULL),
        (State.CLOSED, 80, 100, State.CLOSED),
        (State.NO_DATA, 80, 100, State.NO_DATA),
        (None, None, 100, State.NO_DATA),
    ],
)
def test_state_from_feed_and_numbers(
    said: State | None, free: int | None, capacity: int, state: State
) -> None:
    assert state_of(said, free, capacity) == state


def test_every_state_has_a_word_and_a_colour() -> None:
    for state in State:
        assert state.label
        assert COLOUR[state] in {"green", "orange", "red", "grey"}


@pytest.mark.parametrize("feed", list(State))
def test_closed_by_its_hours_is_closed_whatever_the_feed_says(feed: State) -> None:
    assert shown_state(feed, open_by_hours=False) == State.CLOSED


@pytest.mark.parametrize("feed", list(State))
def test_open_by_its_hours_or_without_hours_the_feed_decides(feed: State) -> None:
    """A feed saying closed during opening hours is shown closed: the gate may be shut for works."""
    assert shown_state(feed, open_by_hours=True) == feed
    assert shown_state(feed, open_by_hours=None) == feed
