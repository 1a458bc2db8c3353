"""Orders made for tests without going through a basket: one shop, stock taken, the first step recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from centreville.accounts.models import User
from centreville.catalogue.models import Product
from centreville.catalogue.stock import NoLongerAvailable, Wanted, stock_take
from centreville.orders.models import Order
from centreville.orders.services import check_customer, orders_record, planned_order
from centreville.shops.models import Shop


@transaction.atomic
def order_place(
    *,
    shop: Shop,
    wanted: Sequence[Wanted],
    customer: User | None,
    customer_name: str,
    customer_contact: str,
    basket_reference: str = "",
    fulfilment_fields: dict[str, Any] | None = None,
) -> Order:
    """A placed order in one shop, its stock taken as checkout takes it; nothing recorded on a refusal.

    Whether the shop takes orders is checkout's business (see `centreville.shops.ordering`): this puts an
    order in place for tests of what happens next.
    """
    if not wanted:
        raise ValidationError("Le panier est vide.")
    check_customer(customer_name, customer_contact)
    product_ids = {item.product_id for item in wanted}
    if Product.objects.filter(pk__in=product_ids, shop=shop, is_visible=True).count() != len(product_ids):
        raise NoLongerAvailable("Un article de votre panier n'est plus proposé par ce commerce.")
    products, variants = stock_take(wanted)
    order = planned_order(
        shop=shop,
        wanted=wanted,
        products=products,
        variants=variants,
        customer=customer,
        customer_name=customer_name,
        customer_contact=customer_contact,
        basket_reference=basket_reference,
        fulfilment_fields=fulfilment_fields,
    )
    return orders_record([order], customer=customer)[0]
