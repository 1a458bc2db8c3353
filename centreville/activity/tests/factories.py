"""Day counts for tests, written as the counting writes them: the row and its town's total."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from centreville.activity.models import DailyCount
from centreville.activity.services import town_totals_add


def day_count(**fields: Any) -> DailyCount:
    """A DailyCount made of `fields` (as DailyCount.objects.create takes them), added to its town's total."""
    with transaction.atomic():
        row = DailyCount.objects.create(**fields)
        town_totals_add({(row.town_id, row.day, row.metric): row.count})
    return row
