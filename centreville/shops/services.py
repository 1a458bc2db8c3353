"""Writes about shops: creation, changes, the validation workflow and exceptional closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core.changes import FieldChanges, refuse_unknown_fields
from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town

from .models import Shop, ShopClosure, ShopMembership, ShopStatus, ShopStatusChange
from .signals import shops_changed

# What shop_create() and shop_update() set: every detail of a shop but those that have their own ways
# (its town, its address on the site, its status and the workflow's records, where it was imported from).
SHOP_FIELDS = frozenset(
    field.name for field in Shop._meta.concrete_fields if field.editable and not field.primary_key
) - {"town", "slug", "status", "rejection_reason", "independence_declared_at", "source"}


@dataclass(frozen=True)
class Transition:
    permission: str
    needs_reason: bool = False


# The shop workflow: every legal move, and the permission it takes. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (ShopStatus.DRAFT, ShopStatus.SUBMITTED): Transition("shops.change_shop"),
    (ShopStatus.REJECTED, ShopStatus.SUBMITTED): Transition("shops.change_shop"),
    (ShopStatus.SUBMITTED, ShopStatus.PUBLISHED): Transition("shops.validate_shop"),
    (ShopStatus.SUBMITTED, ShopStatus.REJECTED): Transition("shops.validate_shop", needs_reason=True),
    (ShopStatus.PUBLISHED, ShopStatus.HIDDEN): Transition("shops.change_shop"),
    (ShopStatus.HIDDEN, ShopStatus.PUBLISHED): Transition("shops.change_shop"),
    (ShopStatus.PUBLISHED, ShopStatus.CLOSED): Transition("shops.change_shop"),
    (ShopStatus.HIDDEN, ShopStatus.CLOSED): Transition("shops.change_shop"),
    (ShopStatus.CLOSED, ShopStatus.PUBLISHED): Transition("shops.validate_shop"),
}


def unique_shop_slug(town: Town, name: str) -> str:
    """A slug for `name`, free in the town (suffixed -2, -3… when taken)."""
    base = slugify(name)[:130] or "commerce"
    taken = set(Shop.objects.for_town(town).filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_independence(shop: Shop) -> None:
    if not shop.is_independent and not shop.town.allow_chains:
        raise ValidationError(
            _(
                "%(town)s n'accepte que les commerces indépendants : une chaîne ou une franchise "
                "(%(network)s) ne peut pas y être publiée."
            )
            % {"town": shop.town.name, "network": shop.network_name or _("réseau non précisé")}
        )


@transaction.atomic
def shop_create(*, town: Town, creator: User | None, **fields: Any) -> Shop:
    """A new shop in draft (details named in SHOP_FIELDS); its creator (if any) becomes its first member."""
    refuse_unknown_fields("shop_create", fields, SHOP_FIELDS)
    shop = Shop(town=town, **fields)
    shop.slug = unique_shop_slug(town, shop.name)
    if shop.is_independent and shop.independence_declared_at is None and creator is not None:
        shop.independence_declared_at = timezone.now()
    shop.full_clean()
    shop.save()
    if creator is not None:
        ShopMembership.objects.create(shop=shop, user=creator)
    town_public_data_changed(town.pk)
    shops_changed.send(sender=Shop, shop_ids=[shop.pk])
    return shop


@transaction.atomic
def shop_update(*, shop: Shop, **fields: Any) -> Shop:
    """Change a shop's details (names in SHOP_FIELDS); nothing is saved unless every field is valid, and
    only the columns that change are written."""
    refuse_unknown_fields("shop_update", fields, SHOP_FIELDS)
    was_independent = shop.is_independent and shop.independence_declared_at is not None
    changes = FieldChanges(shop, fields)
    # The declaration is dated when it is made, not each time the form is saved.
    if shop.is_independent and not was_independent:
        shop.independence_declared_at = timezone.now()
    with changes.undone_if_refused():
        shop.full_clean()
        if shop.status == ShopStatus.PUBLISHED:
            _check_independence(shop)
    if changes.save():
        town_public_data_changed(shop.town_id)
        shops_changed.send(sender=Shop, shop_ids=[shop.pk])
    return shop


@transaction.atomic
def shop_transition(*, shop: Shop, to_status: str, actor: User | None, reason: str = "") -> Shop:
    """Move a shop to `to_status` if the workflow allows it and `actor` may; record who, when and why.

    `actor=None` is the platform itself (imports, scheduled tasks) and skips the permission check.
    """
    locked = Shop.objects.select_for_update().select_related("town").get(pk=shop.pk)
    transition = TRANSITIONS.get((locked.status, to_status))
    if transition is None:
        raise ValidationError(
            _("Un commerce « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": locked.get_status_display(), "to": ShopStatus(to_status).label}
        )
    if actor is not None and not actor.has_perm(transition.permission, locked):
        raise PermissionDenied(_("Vous ne pouvez pas faire ce changement pour ce commerce."))
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Indiquez le motif : le commerçant le lira.")})
    if to_status in (ShopStatus.SUBMITTED, ShopStatus.PUBLISHED):
        _check_independence(locked)
    ShopStatusChange.objects.create(
        shop=locked, from_status=locked.status, to_status=to_status, actor=actor, reason=reason
    )
    locked.status = to_status
    locked.rejection_reason = reason if to_status == ShopStatus.REJECTED else ""
    locked.save(update_fields=["status", "rejection_reason", "updated_at"])
    town_public_data_changed(locked.town_id)
    shops_changed.send(sender=Shop, shop_ids=[locked.pk])
    shop.status, shop.rejection_reason = locked.status, locked.rejection_reason
    return locked


@transaction.atomic
def shop_closure_add(
    *, shop: Shop, start_date: date, end_date: date, label: str = "", takes_orders: bool = False
) -> ShopClosure:
    """An exceptional closure; with `takes_orders`, customers may order during it, to collect after it."""
    closure = ShopClosure(
        shop=shop, start_date=start_date, end_date=end_date, label=label, takes_orders=takes_orders
    )
    closure.full_clean()
    closure.save()
    town_public_data_changed(shop.town_id)
    return closure


@transaction.atomic
def shop_closure_remove(*, closure: ShopClosure) -> None:
    town_id = closure.shop.town_id
    closure.delete()
    town_public_data_changed(town_id)
