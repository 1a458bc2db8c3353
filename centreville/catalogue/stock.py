"""Stock: whether what a customer wants is still on the shelf, and taking it off or putting it back.

One check (`stock_shortages`) serves the basket page, the basket's changes, checkout and the API. Taking
(`stock_take`) and giving back (`stock_return`) lock the rows in one order, products by primary key then
variants by primary key, so that two transactions sharing articles wait for each other instead of
deadlocking; a database constraint refuses a negative stock whatever happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _

from .models import Product, ProductVariant
from .selectors import article_title


class StockItem(Protocol):
    """A quantity of a product, or of one of its variants (a wish, a basket line, an order line)."""

    @property
    def product_id(self) -> int: ...

    @property
    def variant_id(self) -> int | None: ...

    @property
    def quantity(self) -> int: ...


@dataclass(frozen=True)
class Wanted:
    """A quantity of a product (or of one of its variants) that a customer wants."""

    product_id: int
    quantity: int
    variant_id: int | None = None


@dataclass(frozen=True)
class Shortage:
    """Less is left of an article than is wanted."""

    product_id: int
    variant_id: int | None
    title: str
    left: int

    @property
    def message(self) -> str:
        if self.left == 0:
            return _("« %(title)s » n'est plus disponible.") % {"title": self.title}
        return _("« %(title)s » : il n'en reste que %(left)s.") % {"title": self.title, "left": self.left}


class NoLongerAvailable(ValidationError):
    """Someone was quicker: what is left is less than what was asked for.

    `product_id` names the product concerned, when there is one, so that a basket can say which shop.
    """

    def __init__(self, message: str, *, product_id: int | None = None) -> None:
        super().__init__(message, code="stock")
        self.product_id = product_id

    @classmethod
    def of(cls, shortage: Shortage) -> NoLongerAvailable:
        return cls(shortage.message, product_id=shortage.product_id)


def stock_left(product: Product, variant: ProductVariant | None) -> int | None:
    """How many of the article are left; None for an article "on request" (no stock kept)."""
    return variant.stock if variant is not None else product.stock


def stock_shortage(product: Product, variant: ProductVariant | None, quantity: int) -> Shortage | None:
    """What is short when `quantity` of the article (the product, or its variant) is wanted; None if enough
    is left or the article is "on request"."""
    left = stock_left(product, variant)
    if left is None or left >= quantity:
        return None
    return Shortage(
        product.pk, variant.pk if variant is not None else None, article_title(product, variant), left
    )


def stock_shortages(
    wanted: Iterable[StockItem], products: Mapping[int, Product], variants: Mapping[int, ProductVariant]
) -> list[Shortage]:
    """`stock_shortage` of everything wanted at once, the quantities of the same article added up: products
    first then variants, each in the order first wanted. `products` and `variants` hold the rows wanted,
    as read (or locked) by the caller."""
    per_product, per_variant = _quantities(wanted)
    found = [
        stock_shortage(products[product_id], None, quantity) for product_id, quantity in per_product.items()
    ] + [
        stock_shortage(products[variants[variant_id].product_id], variants[variant_id], quantity)
        for variant_id, quantity in per_variant.items()
    ]
    return [shortage for shortage in found if shortage is not None]


def _locked(items: Iterable[StockItem]) -> tuple[dict[int, Product], dict[int, ProductVariant]]:
    """The products and variants of these items, locked in primary-key order (products first)."""
    items = list(items)
    product_ids = sorted({item.product_id for item in items})
    variant_ids = sorted({item.variant_id for item in items if item.variant_id is not None})
    products = {
        p.pk: p for p in Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk")
    }
    variants = {
        v.pk: v for v in ProductVariant.objects.select_for_update().filter(pk__in=variant_ids).order_by("pk")
    }
    return products, variants


def stock_take(wanted: Sequence[Wanted]) -> tuple[dict[int, Product], dict[int, ProductVariant]]:
    """Take the wanted quantities out of stock, all or nothing; must run inside a transaction. Returns the
    products and variants wanted, locked until the transaction ends.

    Products "on request" (no stock kept) are not counted. Raises NoLongerAvailable, in French, naming
    the first article that is short, and changes nothing. The same four queries whatever the number of
    articles: products then variants locked by primary key, then one update of each.
    """
    if any(item.quantity <= 0 for item in wanted):
        raise ValidationError(_("Une quantité doit être d'au moins 1."))
    products, variants = _locked(wanted)
    for item in wanted:
        if item.product_id not in products or (
            item.variant_id is not None and item.variant_id not in variants
        ):
            raise NoLongerAvailable(
                _("Un article de votre panier n'existe plus."), product_id=item.product_id
            )
    shortages = stock_shortages(wanted, products, variants)
    if shortages:
        raise NoLongerAvailable.of(shortages[0])
    _move(products, variants, wanted, sign=-1)
    return products, variants


def stock_return(items: Sequence[StockItem]) -> None:
    """Put these quantities back in stock (a refusal, a cancellation, an expiry, a checkout undone); must
    run inside a transaction. Four queries at most whatever their number, the rows locked in the order
    `stock_take` locks them; an article "on request", or gone, is left alone."""
    if not items:
        return
    products, variants = _locked(items)
    _move(products, variants, items, sign=1)


def _quantities(items: Iterable[StockItem]) -> tuple[Counter[int], Counter[int]]:
    """How many of each product (wanted without a variant), and of each variant, the items add up to."""
    per_product = Counter[int]()
    per_variant = Counter[int]()
    for item in items:
        if item.variant_id is None:
            per_product[item.product_id] += item.quantity
        else:
            per_variant[item.variant_id] += item.quantity
    return per_product, per_variant


def _move(
    products: Mapping[int, Product],
    variants: Mapping[int, ProductVariant],
    items: Iterable[StockItem],
    *,
    sign: int,
) -> None:
    """Add (sign 1) or take off (sign -1) the items' quantities to the stock kept of their locked rows."""
    per_product, per_variant = _quantities(items)
    _update(Product, {pk: n for pk, n in per_product.items() if _kept(products.get(pk))}, sign)
    _update(ProductVariant, {pk: n for pk, n in per_variant.items() if _kept(variants.get(pk))}, sign)


def _kept(row: Product | ProductVariant | None) -> bool:
    """Whether the row exists and keeps a stock (not "on request")."""
    return row is not None and row.stock is not None


def _update(model: type[Product] | type[ProductVariant], quantities: dict[int, int], sign: int) -> None:
    """One UPDATE for all the rows: stock plus (or minus) each row's quantity."""
    if not quantities:
        return
    moved = Case(
        *(When(pk=pk, then=Value(sign * quantity)) for pk, quantity in sorted(quantities.items())),
        output_field=IntegerField(),
    )
    model.objects.filter(pk__in=sorted(quantities)).update(stock=F("stock") + moved)
