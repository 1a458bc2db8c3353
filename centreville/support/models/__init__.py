"""Merchant digital support's tables, one module per feature."""

from .coaching import *  # noqa: F403
from .diagnostic import *  # noqa: F403
from .shop_signals import ShopSignals
from .training import *  # noqa: F403

__all__ = ["ShopSignals"]
