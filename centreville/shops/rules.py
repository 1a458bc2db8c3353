"""Shop permissions: the target is a Shop, or a Town when creating one."""

import rules

from centreville.accounts.predicates import is_platform_admin, is_signed_in, is_town_manager, runs_shop

rules.add_perm("shops.add_shop", is_signed_in)
rules.add_perm("shops.change_shop", runs_shop | is_town_manager | is_platform_admin)
rules.add_perm("shops.validate_shop", is_town_manager | is_platform_admin)
rules.add_perm("shops.manage_shop_members", runs_shop | is_town_manager | is_platform_admin)
