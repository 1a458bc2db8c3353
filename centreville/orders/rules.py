"""Order permissions: the target is an Order."""

from typing import Any

import rules

from centreville.accounts.predicates import is_platform_admin
from centreville.shops.predicates import runs_shop_of
from centreville.towns.predicates import is_town_manager

from .transitions import CANCEL_ORDER, HANDLE_ORDER


@rules.predicate
def placed_the_order(user: Any, order: Any) -> bool:
    return order is not None and user.is_authenticated and order.customer_id == user.pk


rules.add_perm(HANDLE_ORDER, runs_shop_of | is_town_manager | is_platform_admin)
rules.add_perm(CANCEL_ORDER, placed_the_order | is_platform_admin)
