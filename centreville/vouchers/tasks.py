"""Queued work of the vouchers."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .ledger import vouchers_expire


@task()
def expire_vouchers(at: str) -> int:
    return vouchers_expire(at=datetime.fromisoformat(at))
