"""Product permissions: the target is a Product, or its Shop when adding one."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.shops.predicates import runs_shop, runs_shop_of
from centreville.towns.predicates import is_town_manager

rules.add_perm("catalogue.add_product", runs_shop | is_town_manager | is_platform_admin)
rules.add_perm("catalogue.change_product", runs_shop_of | is_town_manager | is_platform_admin)
