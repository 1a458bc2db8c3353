"""The town's « mise en avant »: the shops and products its team puts forward on the town's home page.

The home leads with them, in the order chosen, and completes the selection on its own
(`centreville.shops.selectors.space_home_content`). Only published shops and visible products show;
a chosen one that stops being public simply stops showing, and shows again if it comes back.
The chosen ones are rows of `towns.FeaturedShop` and `towns.FeaturedProduct` (their tables came first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from centreville.catalogue.models import Product
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import FeaturedProduct, FeaturedShop, Town

# As many as the home shows in each of its two lists.
MAX_FEATURED_SHOPS = 12
MAX_FEATURED_PRODUCTS = 8
PRODUCT_CHOICES_SHOWN = 20

Featured = FeaturedShop | FeaturedProduct
_F = TypeVar("_F", FeaturedShop, FeaturedProduct)


# --- Writes ----------------------------------------------------------------------------------------------


def _feature(
    model: type[_F], *, town: Town, name: str, limit: int, full_message: str, **item: Shop | Product
) -> _F:
    """Put `item` (`shop=` or `product=`) forward after the town's chosen ones: refused when it already is,
    or when `limit` already are (`full_message` then says so, with %(max)s)."""
    chosen = model.objects.for_town(town).select_for_update()
    if chosen.filter(**item).exists():
        raise ValidationError(_("« %(name)s » est déjà mis en avant.") % {"name": name}, code="twice")
    if chosen.count() >= limit:
        raise ValidationError(full_message % {"max": limit}, code="full")
    featured = model(town=town, position=_next_position(chosen), **item)
    featured.full_clean()
    featured.save()
    town_public_data_changed(town.pk)
    return featured


@transaction.atomic
def featured_shop_add(*, town: Town, shop: Shop) -> FeaturedShop:
    """Put a published shop of the town forward, after those already chosen."""
    if shop.town_id != town.pk or shop.status != ShopStatus.PUBLISHED:
        raise ValidationError(_("Seul un commerce publié de la ville peut être mis en avant."), code="shop")
    return _feature(
        FeaturedShop,
        town=town,
        name=shop.name,
        limit=MAX_FEATURED_SHOPS,
        full_message=_(
            "L'accueil montre %(max)s commerces au plus : retirez-en un pour en ajouter un autre."
        ),
        shop=shop,
    )


@transaction.atomic
def featured_product_add(*, town: Town, product: Product) -> FeaturedProduct:
    """Put a visible product of a published shop of the town forward, after those already chosen."""
    if product.town_id != town.pk or not product.is_visible or product.shop.status != ShopStatus.PUBLISHED:
        raise ValidationError(
            _("Seul un produit visible d'un commerce publié de la ville peut être mis en avant."),
            code="product",
        )
    return _feature(
        FeaturedProduct,
        town=town,
        name=product.title,
        limit=MAX_FEATURED_PRODUCTS,
        full_message=_("L'accueil montre %(max)s produits au plus : retirez-en un pour en ajouter un autre."),
        product=product,
    )


@transaction.atomic
def featured_remove(*, featured: Featured) -> None:
    """Stop putting this shop or product forward."""
    featured.delete()
    town_public_data_changed(featured.town_id)


@transaction.atomic
def featured_move(*, featured: Featured, offset: int) -> None:
    """Move a chosen shop or product up (offset -1) or down (+1) among the town's; the ends stay put."""
    items: list[Featured] = list(
        type(featured).objects.for_town(featured.town).select_for_update().order_by("position", "pk")
    )
    index = next(n for n, item in enumerate(items) if item.pk == featured.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items.insert(target, items.pop(index))
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])
    town_public_data_changed(featured.town_id)


def _next_position(chosen: object) -> int:
    highest = chosen.aggregate(highest=Max("position"))["highest"]  # type: ignore[attr-defined]
    return 0 if highest is None else highest + 1


# --- Reads -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the town's management page shows: the chosen shops and products, and what may be added."""

    shops: list[FeaturedShop]
    products: list[FeaturedProduct]
    shop_choices: list[Shop]  # published shops not chosen yet, by name
    product_choices: list[Product]  # visible products matching the manager's search, not chosen yet

    @property
    def shops_full(self) -> bool:
        return len(self.shops) >= MAX_FEATURED_SHOPS

    @property
    def products_full(self) -> bool:
        return len(self.products) >= MAX_FEATURED_PRODUCTS


def featured_selection(town: Town, *, product_query: str = "") -> Selection:
    """The town's chosen shops and products, with whether each still shows, and the choices left."""
    shops = list(
        FeaturedShop.objects.for_town(town).select_related("shop__category").order_by("position", "pk")
    )
    products = list(
        FeaturedProduct.objects.for_town(town).select_related("product__shop").order_by("position", "pk")
    )
    shop_choices = list(
        Shop.objects.for_town(town)
        .filter(status=ShopStatus.PUBLISHED)
        .exclude(pk__in=[item.shop_id for item in shops])
        .select_related("category")
        .only("name", "category__name")
        .order_by("name", "pk")
    )
    product_choices: list[Product] = []
    if product_query.strip():
        product_choices = list(
            Product.objects.for_town(town)
            .filter(
                is_visible=True, shop__status=ShopStatus.PUBLISHED, title__icontains=product_query.strip()
            )
            .exclude(pk__in=[item.product_id for item in products])
            .select_related("shop")
            .order_by("title", "pk")[:PRODUCT_CHOICES_SHOWN]
        )
    return Selection(
        shops=shops, products=products, shop_choices=shop_choices, product_choices=product_choices
    )


def featured_item(town: Town, kind: str, item_id: int) -> Featured | None:
    """One chosen shop ("commerce") or product ("produit") of the town, or None."""
    model: type[Featured] = FeaturedShop if kind == "commerce" else FeaturedProduct
    return model.objects.for_town(town).filter(pk=item_id).first()
