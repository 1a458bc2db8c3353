"""Who someone is on the platform, as `rules` predicates: the one mechanism behind every permission.

Predicates about a town or a shop live with the model they read: `towns.predicates` (roles in a town),
`shops.predicates` (the shops someone runs).
"""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)
