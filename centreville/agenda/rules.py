"""Who writes what in the agenda. Targets: a Town, a Shop (`propose_offer`), an Event (`change_event`).

- The town team (manager) publishes the town's events, checks the entries waiting for it, keeps the
  agenda's settings and the rules of trade (Sundays, braderie declarations).
- An organiser (an association the town lets publish) writes its own events, published directly or after
  the town team's check as the town chose (`AgendaSettings`).
- A merchant proposes offers for the shops they run, and joins the town's Sundays for them.
"""

from typing import Any

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.shops.predicates import is_merchant_in_town, runs_shop, runs_shop_of
from centreville.towns.predicates import is_event_organiser, is_town_manager

town_team = is_town_manager | is_platform_admin


@rules.predicate
def is_author(user: Any, event: Any) -> bool:
    """The user wrote this event."""
    return event is not None and user.is_authenticated and event.created_by_id == user.pk


@rules.predicate
def is_town_event(user: Any, event: Any) -> bool:
    return event is not None and event.shop_id is None


# Town-wide pages.
rules.add_perm("agenda.write_events", is_event_organiser | town_team)
rules.add_perm("agenda.moderate", town_team)  # also imports events, published at once
rules.add_perm("agenda.manage_trade_rules", town_team)
rules.add_perm("agenda.propose_offers", is_merchant_in_town | town_team)
# A shop's offers and Sundays.
rules.add_perm("agenda.propose_offer", runs_shop | town_team)
# One event: the town team any of its town's; an organiser the town events it wrote; a merchant the offers
# of the shops they run.
rules.add_perm(
    "agenda.change_event",
    town_team | (is_town_event & is_event_organiser & is_author) | (~is_town_event & runs_shop_of),
)
