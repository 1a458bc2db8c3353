"""Town-level permissions; the target object is always a Town."""

import rules

from centreville.accounts.predicates import is_platform_admin

from .predicates import (
    is_digital_adviser,
    is_elected_official,
    is_producer,
    is_professional_buyer,
    is_town_manager,
)

rules.add_perm("towns.change_town", is_town_manager | is_platform_admin)
rules.add_perm("towns.manage_roles", is_town_manager | is_platform_admin)
rules.add_perm("towns.view_dashboard", is_town_manager | is_elected_official | is_platform_admin)
rules.add_perm("towns.view_members", is_town_manager | is_platform_admin)
# Capabilities of roles whose screens arrive with later domains; the permission exists from day one.
rules.add_perm("towns.publish_produce", is_producer | is_platform_admin)
rules.add_perm("towns.reserve_produce", is_professional_buyer | is_platform_admin)
rules.add_perm("towns.coach_merchants", is_digital_adviser | is_town_manager | is_platform_admin)
# "towns.view_merchant_area" needs the shops: shops.rules declares it.
