"""Queued work of the wholesale orders."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .standing import standing_orders_generate


@task()
def generate_standing_orders(at: str) -> int:
    return standing_orders_generate(at=datetime.fromisoformat(at))
