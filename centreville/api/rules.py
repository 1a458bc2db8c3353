"""API permissions: the target is a Shop."""

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.shops.predicates import runs_shop
from centreville.towns.predicates import is_town_manager

# The people who may handle each of the shop's orders (orders.handle_order) see its list of orders.
rules.add_perm("api.view_shop_orders", runs_shop | is_town_manager | is_platform_admin)
