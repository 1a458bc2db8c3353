"""Queued work of the vouchers."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .invitations import invitations_issue_perform
from .ledger import vouchers_expire


@task()
def expire_vouchers(at: str) -> int:
    return vouchers_expire(at=datetime.fromisoformat(at))


@task()
def issue_invitation_vouchers(programme_id: int, face_value_cents: int, at: str, by_id: int | None) -> int:
    report = invitations_issue_perform(
        programme_id=programme_id,
        face_value_cents=face_value_cents,
        at=datetime.fromisoformat(at),
        by_id=by_id,
    )
    return report.issued
