"""Footfall permissions; the target is a Town."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.towns.predicates import is_elected_official, is_town_manager

# The counters' figures are for the town team and its elected officials; importing is the town team's.
rules.add_perm("footfall.view_counts", is_town_manager | is_elected_official | is_platform_admin)
rules.add_perm("footfall.import_counts", is_town_manager | is_platform_admin)
rules.add_perm("footfall.manage_sites", is_town_manager | is_platform_admin)
