"""Who chooses the producers a town's space shows; the target is a Town. An enterprise's own pages are its
members' (`decorators.enterprise_view`), not a town's."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.towns.predicates import is_town_manager

rules.add_perm("enterprises.choose_producers", is_town_manager | is_platform_admin)
