"""Parking permissions; the target is a Town."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.towns.predicates import is_town_manager

# The town's car parks, their import and their live feeds are the town team's.
rules.add_perm("parking.manage_car_parks", is_town_manager | is_platform_admin)
