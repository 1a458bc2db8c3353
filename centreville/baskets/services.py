"""Filling the town basket: what may go in, how much of it, and whose basket it is.

A signed-in person has one basket per town, tied to the account. A visitor's basket is found through
the session, which keeps the basket's id per town: Django gives the session a new key at login but keeps
its content, so the basket is still there to be merged into the account's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.accounts.retention import BATCH_SIZE, in_days, retention_cutoff
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.stock import NoLongerAvailable, stock_left, stock_shortage
from centreville.shops.models import ShopStatus
from centreville.shops.ordering import shop_order_taking
from centreville.towns.models import Town

from .models import Basket, BasketLine

SESSION_KEY_PREFIX = "basket:"
MAX_QUANTITY = 999


def session_key(town: Town | int) -> str:
    return f"{SESSION_KEY_PREFIX}{town if isinstance(town, int) else town.pk}"


def basket_for(*, request: HttpRequest, town: Town, create: bool = False) -> Basket | None:
    """The basket of whoever makes the request in this town: the account's when signed in, else the
    session's; made on the spot when `create`, None otherwise when there is none yet."""
    user = request.user
    if user.is_authenticated:
        basket = Basket.objects.for_town(town).filter(user=user).select_related("town").first()
        if basket is None and create:
            basket = _users_new_basket(town=town, user=user)
        return basket
    basket_id = request.session.get(session_key(town))
    basket = None
    if basket_id is not None:
        basket = (
            Basket.objects.for_town(town)
            .filter(pk=basket_id, user__isnull=True)
            .select_related("town")
            .first()
        )
    if basket is None and create:
        basket = Basket.objects.create(town=town)
        request.session[session_key(town)] = basket.pk
    return basket


def _users_new_basket(*, town: Town, user: User) -> Basket:
    try:
        with transaction.atomic():
            return Basket.objects.create(town=town, user=user)
    except IntegrityError:  # made by a request of the same person a moment ago
        return Basket.objects.for_town(town).get(user=user)


def _check_quantity(quantity: int, product: Product, variant: ProductVariant | None) -> None:
    if quantity < 1:
        raise ValidationError(_("Une quantité doit être d'au moins 1."), code="quantity")
    if quantity > MAX_QUANTITY:
        raise ValidationError(
            _("Pas plus de %(max)s exemplaires d'un même article.") % {"max": MAX_QUANTITY}, code="quantity"
        )
    shortage = stock_shortage(product, variant, quantity)
    if shortage is not None:
        raise NoLongerAvailable.of(shortage)


def _orderable(
    *, town: Town, product_id: int, variant_id: int | None, at: datetime
) -> tuple[Product, ProductVariant | None]:
    """The product (and variant) if anyone may put it in a basket of this town; ValidationError otherwise."""
    product = (
        Product.objects.for_town(town).filter(pk=product_id).select_related("shop").first()
        if product_id
        else None
    )
    if product is None or not product.is_visible or product.shop.status != ShopStatus.PUBLISHED:
        raise ValidationError(_("Cet article n'est pas proposé dans cette ville."), code="unknown")
    product.shop.town = town
    taking = shop_order_taking(product.shop, at=at)
    if not taking.takes_orders:
        raise ValidationError(
            _("« %(shop)s » : %(notice)s") % {"shop": product.shop.name, "notice": taking.notice},
            code="no_orders",
        )
    variants = list(ProductVariant.objects.filter(product=product))
    variant = None
    if variant_id is not None:
        variant = next((v for v in variants if v.pk == variant_id), None)
        if variant is None:
            raise ValidationError(
                _("Cette variante n'existe pas pour « %(title)s ».") % {"title": product.title}
            )
    elif variants:
        raise ValidationError(
            _("Choisissez une variante de « %(title)s » (taille, couleur…).") % {"title": product.title},
            code="variant",
        )
    return product, variant


@transaction.atomic
def basket_add(
    *, basket: Basket, product_id: int, quantity: int = 1, variant_id: int | None = None, at: datetime
) -> BasketLine:
    """Put `quantity` more of a product (or of one of its variants) in the basket, never more than its
    stock; ValidationError in French when it is not of this town, not shown, not sold online or short."""
    if quantity < 1:
        raise ValidationError(_("Une quantité doit être d'au moins 1."), code="quantity")
    product, variant = _orderable(town=basket.town, product_id=product_id, variant_id=variant_id, at=at)
    Basket.objects.select_for_update().filter(pk=basket.pk).first()  # one change at a time per basket
    line = BasketLine.objects.filter(basket=basket, product=product, variant=variant).first()
    wanted = (line.quantity if line is not None else 0) + quantity
    _check_quantity(wanted, product, variant)
    if line is None:
        line = BasketLine(basket=basket, quantity=wanted)
    line.product, line.variant, line.quantity = product, variant, wanted
    # Product and variant were just read: only the field checks are left (no query per foreign key).
    line.full_clean(
        exclude=["basket", "product", "variant"], validate_unique=False, validate_constraints=False
    )
    line.save()
    Basket.objects.filter(pk=basket.pk).update(updated_at=line.updated_at)
    return line


def _line_of(basket: Basket, line_id: int) -> BasketLine:
    line = BasketLine.objects.filter(basket=basket, pk=line_id).select_related("product", "variant").first()
    if line is None:
        raise ValidationError(_("Cet article n'est plus dans votre panier."), code="gone")
    return line


@transaction.atomic
def basket_set_quantity(*, basket: Basket, line_id: int, quantity: int) -> BasketLine | None:
    """Change how many of an article the basket holds (never more than the stock); 0 takes it out."""
    if quantity <= 0:
        basket_remove(basket=basket, line_id=line_id)
        return None
    line = _line_of(basket, line_id)
    _check_quantity(quantity, line.product, line.variant)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    Basket.objects.filter(pk=basket.pk).update(updated_at=line.updated_at)
    return line


def basket_remove(*, basket: Basket, line_id: int) -> None:
    """Take an article out of the basket; already gone is fine."""
    BasketLine.objects.filter(basket=basket, pk=line_id).delete()


def basket_clear(*, basket: Basket, shop_ids: list[int] | None = None) -> None:
    """Empty the basket, or only what it holds from these shops."""
    lines = BasketLine.objects.filter(basket=basket)
    if shop_ids is not None:
        lines = lines.filter(product__shop_id__in=shop_ids)
    lines.delete()


def basket_restore(*, basket: Basket, lines: Sequence[BasketLine]) -> None:
    """Put back lines just taken out of the basket (a checkout undone), as they were and under the same
    ids; an article the basket holds again meanwhile is left as it is."""
    BasketLine.objects.bulk_create(
        [
            BasketLine(
                pk=line.pk,
                basket=basket,
                product_id=line.product_id,
                variant_id=line.variant_id,
                quantity=line.quantity,
            )
            for line in lines
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def basket_merge_on_login(*, request: HttpRequest, user: User) -> None:
    """Bring the baskets filled before signing in into the account: for each town, the visitor's articles
    join the account's basket (quantities added, never more than the stock left)."""
    town_ids = {
        int(key.removeprefix(SESSION_KEY_PREFIX)): basket_id
        for key, basket_id in request.session.items()
        if key.startswith(SESSION_KEY_PREFIX)
    }
    if not town_ids:
        return
    visitors = {
        basket.town_id: basket
        for basket in Basket.objects.filter(pk__in=town_ids.values(), user__isnull=True).select_for_update()
    }
    owned = {
        basket.town_id: basket
        for basket in Basket.objects.filter(user=user, town_id__in=visitors).select_for_update()
    }
    for town_id, visitor in visitors.items():
        if town_ids.get(town_id) != visitor.pk:
            continue  # a basket id saved under another town's key: not this session's to merge
        account = owned.get(town_id)
        if account is None:
            visitor.user = user
            visitor.save(update_fields=["user", "updated_at"])
        else:
            _merge_lines(source=visitor, into=account)
            visitor.delete()
    for town_id in town_ids:
        del request.session[session_key(town_id)]


def _merge_lines(*, source: Basket, into: Basket) -> None:
    existing = {
        (line.product_id, line.variant_id): line
        for line in BasketLine.objects.filter(basket=into).select_related("product", "variant")
    }
    for line in BasketLine.objects.filter(basket=source).select_related("product", "variant"):
        left = stock_left(line.product, line.variant)
        kept = existing.get((line.product_id, line.variant_id))
        quantity = line.quantity + (kept.quantity if kept is not None else 0)
        if left is not None:
            quantity = min(quantity, left)
        quantity = min(quantity, MAX_QUANTITY)
        if kept is not None:
            if quantity > 0 and quantity != kept.quantity:
                kept.quantity = quantity
                kept.save(update_fields=["quantity", "updated_at"])
        elif quantity > 0:
            BasketLine.objects.create(
                basket=into, product=line.product, variant=line.variant, quantity=quantity
            )


def baskets_abandoned(*, at: datetime) -> QuerySet[Basket]:
    """The baskets (visitors' and accounts') untouched for `ABANDONED_BASKET_RETENTION_DAYS` at `at`."""
    cutoff = retention_cutoff(at, days=settings.ABANDONED_BASKET_RETENTION_DAYS)
    touched_since = BasketLine.objects.filter(basket=OuterRef("pk"), updated_at__gte=cutoff)
    return Basket.objects.filter(updated_at__lt=cutoff).exclude(Exists(touched_since))


def baskets_purge_abandoned(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the abandoned baskets with their lines, in batches; how many were (with `dry_run`: would be)
    deleted. A visitor's session that still names one finds no basket, and gets a new one when needed."""
    if dry_run:
        return baskets_abandoned(at=at).count()
    deleted = 0
    while True:
        with transaction.atomic():
            basket_ids = list(
                baskets_abandoned(at=at)
                .select_for_update(skip_locked=True)
                .order_by("updated_at", "pk")
                .values_list("pk", flat=True)[:BATCH_SIZE]
            )
            if not basket_ids:
                return deleted
            _rows, per_model = Basket.objects.filter(pk__in=basket_ids).delete()
            deleted += per_model.get(Basket._meta.label, 0)


def abandoned_basket_period() -> str:
    """How long an untouched basket is kept, in words, for the privacy page."""
    return _("%(period)s sans modification") % {"period": in_days(settings.ABANDONED_BASKET_RETENTION_DAYS)}
