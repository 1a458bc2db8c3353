"""The state of a car park as the pages show it: a word and a colour (never the colour alone), from what a
feed says (DATEX II's `parkingSiteStatus`, NGSI's `status`, Opendatasoft's `etat`) and the free spaces, and
from its opening hours (`shown_state`: closed by its hours is closed, whatever the feed says)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# At or under this share of free spaces a car park open with spaces is « presque complet ».
ALMOST_FULL_SHARE = 0.10


class State(models.TextChoices):
    OPEN = "open", _("Places disponibles")
    ALMOST_FULL = "almost_full", _("Presque complet")
    FULL = "full", _("Complet")
    CLOSED = "closed", _("Fermé")
    NO_DATA = "no_data", _("Pas de données")


# The CSS class of each state's badge (colours in parking.css, each with its word beside it).
COLOUR = {
    State.OPEN: "green",
    State.ALMOST_FULL: "orange",
    State.FULL: "red",
    State.CLOSED: "grey",
    State.NO_DATA: "grey",
}

# What the feeds write, lower-cased, and what it means here. None: « open », the numbers then decide.
FEED_STATES: dict[str, State | None] = {
    # DATEX II 2.x ParkingSiteStatusEnum (and the NGSI OffStreetParking `status`, which takes its values)
    "spacesavailable": None,
    "almostfull": State.ALMOST_FULL,
    "fullatentrance": State.FULL,
    "full": State.FULL,
    "unknown": State.NO_DATA,
    "other": None,
    # DATEX II ParkingSiteOpeningStatus, and NGSI's closed / open
    "open": None,
    "opened": None,
    "closed": State.CLOSED,
    "closedabnormal": State.CLOSED,
    # ParkAPI / Opendatasoft portals
    "nodata": State.NO_DATA,
    "none": State.NO_DATA,
    # Strasbourg's `etat` (1 open, 2 full, 3 not available, 4 closed) and its French words
    "1": None,
    "2": State.FULL,
    "3": State.NO_DATA,
    "4": State.CLOSED,
    "0": State.NO_DATA,
    "ouvert": None,
    "libre": None,
    "disponible": None,
    "presque complet": State.ALMOST_FULL,
    "complet": State.FULL,
    "ferme": State.CLOSED,
    "fermé": State.CLOSED,
    "indisponible": State.NO_DATA,
    "pas de données": State.NO_DATA,
}


def feed_state(word: str | None) -> State | None:
    """A feed's word as a state, None when it only says the car park is open (or says nothing)."""
    if word is None:
        return None
    key = str(word).strip().lower()
    key = key.replace("_", "").replace("-", "") if key not in FEED_STATES else key
    return FEED_STATES.get(key)


def state_of(said: State | None, free: int | None, capacity: int | None) -> State:
    """The state to show: closed or no data as the feed says; full when it says so or no space is free;
    almost full when it says so or a tenth of the spaces or fewer are free; open otherwise."""
    if said in (State.CLOSED, State.NO_DATA):
        return said
    if free is None or capacity is None or capacity == 0:
        return said or State.NO_DATA
    if said == State.FULL or free == 0:
        return State.FULL
    if said == State.ALMOST_FULL or free <= capacity * ALMOST_FULL_SHARE:
        return State.ALMOST_FULL
    return State.OPEN


def shown_state(feed_state: State, *, open_by_hours: bool | None) -> State:
    """The state every page shows now: « Fermé » when the opening hours say the car park is closed now,
    whatever its feed says (a feed may go on counting free spaces behind a closed gate); otherwise the
    feed's state, so that a feed saying closed during opening hours is shown closed. `open_by_hours` is
    `hours.is_open` at that moment, None without hours."""
    if open_by_hours is False:
        return State.CLOSED
    return feed_state
