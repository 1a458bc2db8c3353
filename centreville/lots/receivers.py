"""Reactions of lots to what the enterprises say (see ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.enterprises.models import Enterprise
from centreville.enterprises.signals import enterprise_changed

from .services import lots_refresh_copies


@receiver(enterprise_changed, dispatch_uid="lots_refresh_copies")
def refresh_copies_of_producer(sender: Any, enterprise: Enterprise, **kwargs: Any) -> None:
    """The producer moved, or changed its labels or pickup places: its lots' copies follow."""
    if enterprise.is_producer:
        lots_refresh_copies(enterprise=enterprise)
