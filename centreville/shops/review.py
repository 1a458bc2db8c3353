"""What the town manager reads before deciding on a shop: its page as visitors would see it, its photos,
who runs it and its SIRET, with the moves open to the manager, each named after its action. Its products
come from the catalogue, through the pages' template tags (`centreville.catalogue.review`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import Town

from .models import Shop, ShopMembership, ShopPhoto, ShopStatus, ShopStatusChange
from .selectors import DayHours, payment_method_labels, shops_for_manager, week_hours
from .services import TRANSITIONS

# The button of each move says what it does to the shop (RGAA 11.9), never the status it ends in.
ACTIONS: dict[tuple[str, str], Promise] = {
    (ShopStatus.DRAFT, ShopStatus.SUBMITTED): _("Envoyer « %(name)s » en validation"),
    (ShopStatus.REJECTED, ShopStatus.SUBMITTED): _("Renvoyer « %(name)s » en validation"),
    (ShopStatus.SUBMITTED, ShopStatus.PUBLISHED): _("Publier « %(name)s »"),
    (ShopStatus.SUBMITTED, ShopStatus.REJECTED): _("Refuser « %(name)s »"),
    (ShopStatus.PUBLISHED, ShopStatus.HIDDEN): _("Masquer « %(name)s »"),
    (ShopStatus.HIDDEN, ShopStatus.PUBLISHED): _("Remettre « %(name)s » en ligne"),
    (ShopStatus.PUBLISHED, ShopStatus.CLOSED): _("Indiquer que « %(name)s » a fermé"),
    (ShopStatus.HIDDEN, ShopStatus.CLOSED): _("Indiquer que « %(name)s » a fermé"),
    (ShopStatus.CLOSED, ShopStatus.PUBLISHED): _("Rouvrir « %(name)s »"),
}
# What the manager is told once the move is made.
DONE: dict[str, Promise] = {
    ShopStatus.SUBMITTED: _("« %(name)s » est envoyé en validation."),
    ShopStatus.PUBLISHED: _("« %(name)s » est publié : il est visible sur la plateforme."),
    ShopStatus.REJECTED: _("« %(name)s » est refusé : le commerçant lira votre motif."),
    ShopStatus.HIDDEN: _("« %(name)s » est masqué."),
    ShopStatus.CLOSED: _("« %(name)s » est indiqué comme fermé."),
}


@dataclass(frozen=True)
class Move:
    to_status: str
    needs_reason: bool
    template: Promise  # French, with %(name)s

    def label(self, name: str) -> str:
        return str(self.template) % {"name": name}


def manager_moves(status: str) -> list[Move]:
    """The moves out of `status`, in the workflow's order."""
    return [
        Move(
            to_status=to_status,
            needs_reason=transition.needs_reason,
            template=ACTIONS[(from_status, to_status)],
        )
        for (from_status, to_status), transition in TRANSITIONS.items()
        if from_status == status
    ]


def count_per_shop(model: type[Model]) -> Coalesce:
    """How many rows of `model` (with a `shop` key) each shop of the query has, none counting as 0."""
    counted = (
        model._default_manager.filter(shop=OuterRef("pk")).order_by().values("shop").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def review_queue(town: Town, *, status: str) -> QuerySet[Shop]:
    """The town's shops in `status`, with their photo counts for the queue's cards."""
    return shops_for_manager(town, status=status).annotate(photo_count=count_per_shop(ShopPhoto))


@dataclass(frozen=True)
class ShopReview:
    shop: Shop
    photos: list[ShopPhoto]
    hours: list[DayHours]
    members: list[ShopMembership]
    history: list[ShopStatusChange]
    payment_methods: list[str]
    moves: list[Move]


def shop_review(town: Town, shop_id: int, *, at: datetime) -> ShopReview | None:
    """Everything about one shop of `town` a manager checks before deciding, or None if not the town's."""
    shop = Shop.objects.for_town(town).select_related("category", "town").filter(pk=shop_id).first()
    if shop is None:
        return None
    return ShopReview(
        shop=shop,
        photos=list(ShopPhoto.objects.filter(shop=shop).order_by("position", "pk")),
        hours=week_hours(shop, at=at),
        members=list(ShopMembership.objects.filter(shop=shop).select_related("user").order_by("pk")),
        history=list(
            ShopStatusChange.objects.filter(shop=shop)
            .select_related("actor")
            .order_by("-created_at", "-pk")[:5]
        ),
        payment_methods=payment_method_labels(shop),
        moves=manager_moves(shop.status),
    )
