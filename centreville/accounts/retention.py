"""How long the platform keeps personal data, and the one job that erases what has been kept long enough.

Each app owns the purge of its own data and registers it here in its `AppConfig.ready()` (a lower app never
imports a higher one): a `RetentionRule` says what is erased, after how long (read from the settings, so that
the privacy page shows the operator's periods), and erases it. `personal_data_purge()` runs every rule at one
time `at`: the scheduler's round (`tasks.purge_personal_data`) or `manage.py personal_data_purge`.

Every purge is safe to run again (what it erased is not due any more), cheap when nothing is due (an index
finds what is), and writes in batches, each in its own transaction, so that it never loads a whole table.
Periods are counted on the platform's clock (`TIME_ZONE`): twelve months after an order ended on a summer
afternoon is that afternoon's wall-clock time a year later, whatever clock changes happened in between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import ngettext

# Rows written per transaction by a purge.
BATCH_SIZE = 500


class Purge(Protocol):
    """Erase what is due at `at`; how many rows were (with `dry_run`: would be, writing nothing) erased."""

    def __call__(self, *, at: datetime, dry_run: bool) -> int: ...


@dataclass(frozen=True)
class RetentionRule:
    key: str  # the name of its count in the summary line, e.g. "orders"
    data: str | Promise  # what is erased, in words, for the privacy page
    period: Callable[[], str | Promise]  # how long it is kept, in words, read from the settings
    purge: Purge
    position: int = 0  # rules run and are listed in this order (then in the order they registered)


_rules: dict[str, RetentionRule] = {}


def register_retention(rule: RetentionRule) -> None:
    """Have the purge erase this kind of data; registering the same key again replaces it (`ready()` may run
    more than once)."""
    _rules[rule.key] = rule


def retention_rules() -> list[RetentionRule]:
    """The registered rules, in their order."""
    order = list(_rules)
    return sorted(_rules.values(), key=lambda rule: (rule.position, order.index(rule.key)))


def delete_in_batches(due: QuerySet[Any], *order: str, dry_run: bool = False) -> int:
    """Delete the rows of `due`, BATCH_SIZE at a time in `order` (an index's, so each batch is found
    without a scan); how many rows were deleted, cascades included (with `dry_run`: how many are due)."""
    if dry_run:
        return due.count()
    deleted = 0
    while keys := list(due.order_by(*order).values_list("pk", flat=True)[:BATCH_SIZE]):
        deleted += due.model.objects.filter(pk__in=keys).delete()[0]
    return deleted


def retention_cutoff(at: datetime, *, months: int = 0, days: int = 0) -> datetime:
    """The moment before which data is kept too long at `at`: `months` and `days` earlier on the platform's
    clock (calendar months, wall-clock time, whatever clock change lies in between)."""
    return timezone.localtime(at) - relativedelta(months=months, days=days)


def in_months(count: int) -> str:
    """« 12 mois », for a rule's period."""
    return ngettext("%(count)d mois", "%(count)d mois", count) % {"count": count}


def in_days(count: int) -> str:
    """« 30 jours », for a rule's period."""
    return ngettext("%(count)d jour", "%(count)d jours", count) % {"count": count}


def personal_data_purge(*, at: datetime, dry_run: bool = False) -> dict[str, int]:
    """Run every rule at `at`; how many rows each erased (or would erase, with `dry_run`), by key."""
    return {rule.key: rule.purge(at=at, dry_run=dry_run) for rule in retention_rules()}


def summary_line(counts: dict[str, int], *, dry_run: bool) -> str:
    """`personal_data_purge orders=3 baskets=0 … dry_run=0`: what one run erased, machine-readable."""
    fields = " ".join(f"{key}={count}" for key, count in counts.items())
    return " ".join(part for part in ("personal_data_purge", fields, f"dry_run={int(dry_run)}") if part)
