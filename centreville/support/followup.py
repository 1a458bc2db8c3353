"""The town's follow-up of its merchants: for each open shop someone runs, its latest diagnostic, the training
its people attended and their follow-up tasks, its coaching action, and what the platform sees of its page.

A whole town is read at once, in one query for the shops, one for the signals and a few per feature (each
feature's `…_by_shop` function), then filtered, counted and paged in Python: the key figures need every shop
anyway, and 2,000 shops are a few thousand small objects.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from centreville.shops.models import Shop, ShopMembership, ShopStatus

from .coaching import CoachingSummary, coaching_by_shop, shop_coaching_followup
from .diagnostic import DiagnosticSummary, diagnostics_by_shop, shop_diagnostic_followup
from .models import ShopSignals
from .training import TrainingSummary, shop_training_followup, training_by_shop


@dataclass(frozen=True)
class PageSignals:
    """What the platform last saw of a shop's page (`ShopSignals`, read as plain values for a whole town)."""

    has_photo: bool
    has_opening_hours: bool
    stale_products: int
    unanswered_orders: int

    @property
    def count(self) -> int:
        return (
            (not self.has_photo)
            + (not self.has_opening_hours)
            + (self.stale_products > 0)
            + (self.unanswered_orders > 0)
        )


FOLLOWED = (ShopStatus.DRAFT, ShopStatus.SUBMITTED, ShopStatus.PUBLISHED, ShopStatus.HIDDEN)


@dataclass(frozen=True)
class MerchantFollowUp:
    """One shop as its adviser follows it up."""

    shop_id: int
    name: str
    slug: str
    diagnostic: DiagnosticSummary | None
    training: TrainingSummary | None
    coaching: CoachingSummary | None
    signals: PageSignals | None

    @property
    def diagnosed(self) -> bool:
        return self.diagnostic is not None

    @property
    def trained(self) -> bool:
        return self.training is not None and self.training.sessions_attended > 0

    @property
    def coached(self) -> bool:
        return self.coaching is not None

    @property
    def stalled(self) -> bool:
        return self.coaching is not None and self.coaching.stalled

    @property
    def overdue_tasks(self) -> int:
        return self.training.overdue_tasks if self.training is not None else 0

    @property
    def page_to_refresh(self) -> bool:
        """The platform sees something to improve on the shop's page: no photo, no opening hours, products
        not updated for 60 days, orders left unanswered (`shop_signals.py`)."""
        return self.signals is not None and self.signals.count > 0

    @property
    def signal_labels(self) -> list[str]:
        if self.signals is None:
            return []
        labels = []
        if not self.signals.has_photo:
            labels.append(str(_("pas de photo")))
        if not self.signals.has_opening_hours:
            labels.append(str(_("pas d'horaires")))
        if self.signals.stale_products:
            labels.append(
                str(_("%(count)s produits non mis à jour") % {"count": self.signals.stale_products})
            )
        if self.signals.unanswered_orders:
            labels.append(
                str(_("%(count)s commandes sans réponse") % {"count": self.signals.unanswered_orders})
            )
        return labels


class FollowUpFilter(enum.Enum):
    """Which merchants the list shows; each has its count in the key figures."""

    ALL = "tous"
    NOT_DIAGNOSED = "sans-diagnostic"
    DIAGNOSED = "diagnostiques"
    TRAINED = "formes"
    COACHED = "accompagnes"
    STALLED = "actions-en-panne"
    OVERDUE_TASKS = "taches-en-retard"
    PAGE_TO_REFRESH = "pages-a-rafraichir"

    @property
    def label(self) -> str:
        return str(FILTER_LABELS[self])


KEEPS: dict[FollowUpFilter, Callable[[MerchantFollowUp], object]] = {
    FollowUpFilter.ALL: lambda row: True,
    FollowUpFilter.NOT_DIAGNOSED: lambda row: not row.diagnosed,
    FollowUpFilter.DIAGNOSED: lambda row: row.diagnosed,
    FollowUpFilter.TRAINED: lambda row: row.trained,
    FollowUpFilter.COACHED: lambda row: row.coached,
    FollowUpFilter.STALLED: lambda row: row.stalled,
    FollowUpFilter.OVERDUE_TASKS: lambda row: row.overdue_tasks,
    FollowUpFilter.PAGE_TO_REFRESH: lambda row: row.page_to_refresh,
}

FILTER_LABELS = {
    FollowUpFilter.ALL: _("Tous les commerces"),
    FollowUpFilter.NOT_DIAGNOSED: _("Sans diagnostic"),
    FollowUpFilter.DIAGNOSED: _("Diagnostiqués"),
    FollowUpFilter.TRAINED: _("Formés"),
    FollowUpFilter.COACHED: _("Accompagnés par un expert"),
    FollowUpFilter.STALLED: _("Actions en panne"),
    FollowUpFilter.OVERDUE_TASKS: _("Tâches de suivi en retard"),
    FollowUpFilter.PAGE_TO_REFRESH: _("Pages à rafraîchir"),
}


def merchants_followup(*, town_id: int, at: datetime) -> list[MerchantFollowUp]:
    """Every shop of the town that someone runs, by name (« Épicerie » among the E's), with what each feature
    knows of it: a shop not yet published needs help too; a closed or refused one no longer does."""
    runs = ShopMembership.objects.filter(shop_id=OuterRef("pk"))
    shops = (
        Shop.objects.filter(town_id=town_id, status__in=FOLLOWED)
        .filter(Exists(runs))
        .values_list("pk", "name", "slug")
    )
    signals = {
        shop_id: PageSignals(photo, hours, stale, unanswered)
        for shop_id, photo, hours, stale, unanswered in ShopSignals.objects.filter(
            town_id=town_id
        ).values_list("shop_id", "has_photo", "has_opening_hours", "stale_products", "unanswered_orders")
    }
    diagnostics = diagnostics_by_shop(town_id=town_id)
    training = training_by_shop(town_id=town_id, at=at)
    coaching = coaching_by_shop(town_id=town_id, at=at)
    return [
        MerchantFollowUp(
            shop_id=pk,
            name=name,
            slug=slug,
            diagnostic=diagnostics.get(pk),
            training=training.get(pk),
            coaching=coaching.get(pk),
            signals=signals.get(pk),
        )
        for pk, name, slug in sorted(shops, key=lambda shop: (_folded(shop[1]), shop[0]))
    ]


def _folded(text: str) -> str:
    """Lower case without accents, so that « epicerie » finds « Épicerie »."""
    return "".join(
        char for char in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(char)
    )


def filter_followup(
    rows: Iterable[MerchantFollowUp], *, which: FollowUpFilter, name: str = ""
) -> list[MerchantFollowUp]:
    wanted = _folded(name.strip())
    keeps = KEEPS[which]
    return [row for row in rows if keeps(row) and (not wanted or wanted in _folded(row.name))]


def followup_counts(rows: list[MerchantFollowUp]) -> dict[FollowUpFilter, int]:
    """How many shops each filter keeps."""
    return {which: sum(1 for row in rows if keeps(row)) for which, keeps in KEEPS.items()}


def shop_followup(*, shop: Shop, at: datetime) -> dict[str, Any]:
    """One shop's follow-up, a section per feature: each feature's context for its own template."""
    return {
        "signals": ShopSignals.objects.filter(shop=shop).first(),
        "diagnostic": shop_diagnostic_followup(shop=shop, at=at),
        "training": shop_training_followup(shop=shop, at=at),
        "coaching": shop_coaching_followup(shop=shop, at=at),
    }
