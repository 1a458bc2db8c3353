"""Who sees and does what with commercial units and business projects; the target is always a Town.

- The town manager (and the platform's administrators) do everything, and alone see the owners' contact
  details, the team's notes and the projects' contact details.
- Elected officials read the units list, a unit's page and history, the vacancy page and the map, and the
  projects' pipeline: never an owner, a note or a project's contact.
"""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.towns.predicates import is_elected_official, is_town_manager

team = is_town_manager | is_platform_admin

rules.add_perm("premises.view_units", team | is_elected_official)
rules.add_perm("premises.manage_units", team)
rules.add_perm("premises.view_private", team)  # owners, notes, projects' contacts
rules.add_perm("premises.view_projects", team | is_elected_official)
rules.add_perm("premises.manage_projects", team)
