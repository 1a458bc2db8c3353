"""Reading the town basket: its articles grouped by shop, with prices, totals and what no longer fits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.selectors import article_title, unit_price
from centreville.catalogue.stock import stock_left, stock_shortage
from centreville.shops.models import Shop
from centreville.shops.ordering import OrderTaking, shops_order_taking
from centreville.towns.models import Town

from .models import Basket, BasketLine
from .services import session_key


@dataclass(frozen=True)
class LineSummary:
    line: BasketLine
    product: Product
    variant: ProductVariant | None
    title: str
    unit_price: Decimal
    quantity: int
    # In French, why this line cannot be ordered as it is (sold out, too few left, no longer shown); "".
    problem: str = ""

    @property
    def pk(self) -> int:
        return self.line.pk

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def stock_left(self) -> int | None:
        return stock_left(self.product, self.variant)


@dataclass
class ShopGroup:
    shop: Shop
    taking: OrderTaking
    lines: list[LineSummary] = field(default_factory=list)

    @property
    def takes_orders(self) -> bool:
        return self.taking.takes_orders

    @property
    def items_total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return not self.takes_orders or any(line.problem for line in self.lines)


@dataclass(frozen=True)
class BasketSummary:
    basket: Basket | None
    shops: list[ShopGroup]

    @property
    def total(self) -> Decimal:
        return sum((group.items_total for group in self.shops), Decimal("0.00"))

    @property
    def count(self) -> int:
        """How many articles, all quantities added up."""
        return sum(group.count for group in self.shops)

    @property
    def is_empty(self) -> bool:
        return not self.shops

    @property
    def has_problems(self) -> bool:
        return any(group.has_problems for group in self.shops)

    @property
    def shop_ids(self) -> list[int]:
        return [group.shop.pk for group in self.shops]


def _problem(product: Product, variant: ProductVariant | None, quantity: int, title: str) -> str:
    if not product.is_visible:
        return _("« %(title)s » n'est plus proposé.") % {"title": title}
    shortage = stock_shortage(product, variant, quantity)
    return shortage.message if shortage is not None else ""


def basket_summary(basket: Basket | None, *, at: datetime) -> BasketSummary:
    """The basket's articles grouped by shop (shops by name), each shop with whether it takes orders at
    `at`; three queries whatever their number."""
    if basket is None:
        return BasketSummary(basket=None, shops=[])
    lines = list(
        BasketLine.objects.filter(basket=basket, product__town_id=basket.town_id)
        .select_related("product__shop", "variant")
        .order_by("product__shop__name", "product__shop_id", "pk")
    )
    for line in lines:
        line.product.shop.town = basket.town  # the town's time zone, without a query per shop
    taking = shops_order_taking({line.product.shop for line in lines}, at=at)
    groups: dict[int, ShopGroup] = {}
    for line in lines:
        product, variant = line.product, line.variant
        shop = product.shop
        group = groups.get(shop.pk)
        if group is None:
            group = groups[shop.pk] = ShopGroup(shop=shop, taking=taking[shop.pk])
        title = article_title(product, variant)
        price = unit_price(product, variant)
        group.lines.append(
            LineSummary(
                line=line,
                product=product,
                variant=variant,
                title=title,
                unit_price=price,
                quantity=line.quantity,
                problem=_problem(product, variant, line.quantity, title),
            )
        )
    return BasketSummary(basket=basket, shops=list(groups.values()))


def baskets_export(user: User) -> list[dict[str, object]]:
    """What a person keeps in their baskets, for the export of their personal data."""
    lines = (
        BasketLine.objects.filter(basket__user=user)
        .select_related("basket__town", "product__shop", "variant")
        .order_by("basket__town__name", "pk")
    )
    return [
        {
            "ville": line.basket.town.name,
            "commerce": line.product.shop.name,
            "article": line.product.title + (f" ({line.variant.label})" if line.variant else ""),
            "quantite": line.quantity,
        }
        for line in lines
    ]


def basket_article_count(*, request: HttpRequest, town: Town) -> int:
    """How many articles (quantities added up) the person making the request has in this town's basket.

    Nothing is read for a visitor without a session: they have no basket, and their pages are the ones the
    page cache shares (centreville.core.pagecache), which must never carry anyone's count. One query else.
    """
    if not request.user.is_authenticated and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return 0
    lines = BasketLine.objects.filter(basket__town=town)
    if request.user.is_authenticated:
        lines = lines.filter(basket__user=request.user)
    else:
        basket_id = request.session.get(session_key(town))
        if basket_id is None:
            return 0
        lines = lines.filter(basket_id=basket_id, basket__user__isnull=True)
    return int(lines.aggregate(count=Sum("quantity"))["count"] or 0)
