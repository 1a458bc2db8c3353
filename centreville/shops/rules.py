"""Shop permissions: the target is a Shop, or a Town when creating one."""

import rules

from centreville.accounts.predicates import is_platform_admin, is_signed_in
from centreville.towns.predicates import is_town_manager

from .predicates import is_merchant_in_town, runs_shop

rules.add_perm("shops.add_shop", is_signed_in)
rules.add_perm("shops.change_shop", runs_shop | is_town_manager | is_platform_admin)
rules.add_perm("shops.validate_shop", is_town_manager | is_platform_admin)
rules.add_perm("shops.manage_shop_members", runs_shop | is_town_manager | is_platform_admin)
# A town-level permission (its target is a Town), declared here because it reads who runs which shop.
rules.add_perm("towns.view_merchant_area", is_merchant_in_town | is_town_manager | is_platform_admin)


@rules.predicate
def is_unclaimed(user: object, shop: object) -> bool:
    """A published shop that nobody runs yet (imported from OpenStreetMap or SIRENE)."""
    from .models import ShopStatus

    if shop is None or getattr(shop, "status", None) != ShopStatus.PUBLISHED:
        return False
    has_members = getattr(shop, "has_members", None)
    return not (has_members if has_members is not None else shop.memberships.exists())  # type: ignore[attr-defined]


# Claiming an imported shop; the town manager decides with "shops.validate_shop".
rules.add_perm("shops.claim_shop", is_signed_in & is_unclaimed)
