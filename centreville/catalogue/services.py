"""Writes about products and their variants.

Every function validates everything before writing (French messages in `ValidationError`), runs in one
transaction and marks the town's cached pages stale. On error nothing is written and the instance passed in
keeps its previous values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from centreville.activity.services import fold_product_counts
from centreville.core import images
from centreville.core.changes import FieldChanges, refuse_unknown_fields
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.models import Shop

from .models import Product, ProductCategory, ProductVariant
from .signals import products_changed, products_removed

CENT = Decimal("0.01")
MAX_PRICE = Decimal("99999999.99")  # what max_digits=10, decimal_places=2 holds
# What product_update() and variant_update() may change.
PRODUCT_FIELDS = frozenset({"title", "description", "reference", "category", "price", "stock", "is_visible"})
VARIANT_FIELDS = frozenset({"label", "size", "colour", "price", "stock", "position"})

_BLANKS = re.compile(r"[\s\u00a0\u202f']")  # spaces, non-breaking spaces and apostrophes between thousands
_AMOUNT = re.compile(r"\d+(\.\d+)?")
ON_REQUEST_WORDS = frozenset({"sur demande", "surdemande", "sd", "-"})
# Words the merchant back-office uses after /produits/ in its addresses: never a product's slug.
RESERVED_SLUGS = frozenset({"nouveau", "importer"})


# --- Reading what people type -------------------------------------------------------------------------


def parse_price(value: str | Decimal | int | float) -> Decimal:
    """A price in euros from what a person or a spreadsheet wrote: « 12,50 », « 12.50 », « 1 234,50 € »…

    Raises ValidationError (French) for anything else, negatives and fractions of a cent included.
    """
    if isinstance(value, bool):
        raise ValidationError(_("Prix « %(value)s » illisible (exemple : 12,50).") % {"value": value})
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # Spreadsheets store 12.5 as a binary float: its shortest repr is what the person typed.
        amount = Decimal(repr(value))
    else:
        text = _BLANKS.sub("", str(value))
        text = re.sub(r"(?i)(€|eur(os?)?)$", "", text)
        text = re.sub(r"^€", "", text)
        if not text:
            raise ValidationError(_("Indiquez un prix (exemple : 12,50)."), code="required")
        if text.startswith("-"):
            raise ValidationError(_("Un prix ne peut pas être négatif."), code="negative")
        if "," in text and "." in text:
            # « 1.234,50 » or « 1,234.50 »: the last separator is the decimal one.
            thousands = "." if text.rfind(",") > text.rfind(".") else ","
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
        if not _AMOUNT.fullmatch(text):
            raise ValidationError(
                _("Prix « %(value)s » illisible (exemple : 12,50).") % {"value": str(value).strip()},
                code="invalid",
            )
        amount = Decimal(text)
    if not amount.is_finite():
        raise ValidationError(_("Prix « %(value)s » illisible (exemple : 12,50).") % {"value": value})
    if amount < 0:
        raise ValidationError(_("Un prix ne peut pas être négatif."), code="negative")
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation:
        cents = None
    if cents is None or cents > MAX_PRICE:
        raise ValidationError(_("Ce prix est trop élevé."), code="max_value")
    if cents != amount:
        raise ValidationError(
            _("Prix « %(value)s » : deux chiffres après la virgule au plus.") % {"value": value},
            code="max_decimal_places",
        )
    return cents


def parse_stock(value: str | int | float | None) -> int | None:
    """A stock quantity; empty (or « sur demande ») means the product is made or ordered on request."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Stock « %(value)s » illisible.") % {"value": value})
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(
                _("Stock « %(value)s » : un nombre entier est attendu.") % {"value": value}, code="invalid"
            )
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _BLANKS.sub("", value).strip()
        if not text or " ".join(value.lower().split()) in ON_REQUEST_WORDS:
            return None
        if re.fullmatch(r"-?\d+([.,]0+)?", text) is None:
            raise ValidationError(
                _("Stock « %(value)s » illisible : un nombre entier, ou vide pour « sur demande ».")
                % {"value": value.strip()},
                code="invalid",
            )
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise ValidationError(_("Le stock ne peut pas être négatif."), code="negative")
    if number > 2_000_000_000:
        raise ValidationError(_("Ce stock est trop élevé."), code="max_value")
    return number


# --- Products -------------------------------------------------------------------------------------------


# Products changed inside `products_changed_together()`, by town: their follow-ups run once, at its end.
_together: ContextVar[dict[int, set[int]] | None] = ContextVar("products_changed_together", default=None)


def _product_changed(product: Product) -> None:
    """What follows any change to a product that the public may see."""
    together = _together.get()
    if together is not None:
        together.setdefault(product.town_id, set()).add(product.pk)
        return
    _follow_up(product.town_id, [product.pk])


def _follow_up(town_id: int, product_ids: list[int]) -> None:
    town_public_data_changed(town_id)
    products_changed.send(sender=Product, town_id=town_id, product_ids=product_ids)


@contextmanager
def products_changed_together() -> Iterator[None]:
    """Within one transaction, run the follow-ups of many product changes (page cache, search index) once
    for all of them, as they end, instead of once a product: for imports."""
    together: dict[int, set[int]] = {}
    token = _together.set(together)
    try:
        yield
    finally:
        _together.reset(token)
    for town_id, product_ids in together.items():
        _follow_up(town_id, sorted(product_ids))


def _product_removed(*, product_id: int, town_id: int) -> None:
    """What follows a product's deletion."""
    town_public_data_changed(town_id)
    products_removed.send(sender=Product, town_id=town_id, product_ids=[product_id])


def unique_product_slug(shop: Shop, title: str) -> str:
    """A slug for `title`, free in the shop (suffixed -2, -3… when taken)."""
    base = slugify(title)[:170] or "produit"
    taken = set(Product.objects.filter(shop=shop, slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_product(product: Product) -> None:
    """What the database constraints would refuse, said in French before they do."""
    errors: dict[str, str] = {}
    if product.price is not None and product.price < 0:
        errors["price"] = _("Un prix ne peut pas être négatif.")
    if product.stock is not None and product.stock < 0:
        errors["stock"] = _("Le stock ne peut pas être négatif.")
    if product.reference:
        twin = (
            Product.objects.filter(shop_id=product.shop_id, reference=product.reference)
            .exclude(pk=product.pk)
            .values_list("title", flat=True)
            .first()
        )
        if twin is not None:
            errors["reference"] = _("La référence « %(reference)s » est déjà celle de « %(title)s ».") % {
                "reference": product.reference,
                "title": twin,
            }
    if errors:
        raise ValidationError(errors)
    # The table's constraints are all checked just above (with French messages), and the shop and town
    # come from code, not from input: re-checking them here would cost ~8 queries a product on imports.
    product.full_clean(exclude=["shop", "town"], validate_constraints=False)


@transaction.atomic
def product_create(
    *,
    shop: Shop,
    title: str,
    price: Decimal,
    description: str = "",
    reference: str = "",
    category: ProductCategory | None = None,
    stock: int | None = None,
    is_visible: bool = True,
) -> Product:
    """A new product of `shop`, in the shop's town."""
    product = Product(
        town_id=shop.town_id,
        shop=shop,
        title=title.strip(),
        description=description.strip(),
        reference=reference.strip(),
        category=category,
        price=price,
        stock=stock,
        is_visible=is_visible,
    )
    product.slug = unique_product_slug(shop, product.title)
    _check_product(product)
    product.save()
    _product_changed(product)
    return product


@transaction.atomic
def product_update(*, product: Product, **fields: Any) -> Product:
    """Change some of a product's details (names in PRODUCT_FIELDS); only the columns that change are
    written (a concurrent change to the others is kept), and nothing at all when nothing changes."""
    refuse_unknown_fields("product_update", fields, PRODUCT_FIELDS)
    for name in ("title", "description", "reference"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    changes = FieldChanges(product, fields)
    with changes.undone_if_refused():
        _check_product(product)
    if changes.save():
        _product_changed(product)
    return product


def product_set_stock(*, product: Product, stock: int | None) -> Product:
    """Set the stock (None: « sur demande »)."""
    return product_update(product=product, stock=stock)


def product_set_price(*, product: Product, price: Decimal) -> Product:
    return product_update(product=product, price=price)


def product_set_visibility(*, product: Product, is_visible: bool) -> Product:
    return product_update(product=product, is_visible=is_visible)


@transaction.atomic
def product_adjust_stock(*, product: Product, delta: int) -> Product:
    """Add `delta` (negative to remove) to the stock in the database itself, so that two people (or a sale
    and a person) changing it at once both count; refuses to go below zero."""
    if delta == 0:
        return product
    changed = Product.objects.filter(pk=product.pk, stock__isnull=False, stock__gte=-delta).update(
        stock=F("stock") + delta, updated_at=timezone.now()
    )
    if not changed:
        current = Product.objects.filter(pk=product.pk).values_list("stock", flat=True).first()
        if current is None:
            raise ValidationError(
                {"stock": _("Ce produit est « sur demande » : indiquez d'abord une quantité en stock.")}
            )
        raise ValidationError(
            {
                "stock": _("Le stock ne peut pas descendre sous 0 : il en reste %(stock)s.")
                % {"stock": current}
            }
        )
    product.refresh_from_db(fields=["stock", "updated_at"])
    _product_changed(product)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete the product, its variants and its photos (their files go once the deletion is committed)."""
    product_id, town_id = product.pk, product.town_id
    images.delete_photo_files_on_commit(product.photos.all())
    fold_product_counts(product_ids=[product_id])  # its page's visits stay in its shop's and town's figures
    product.delete()
    _product_removed(product_id=product_id, town_id=town_id)


# --- Variants -------------------------------------------------------------------------------------------


def _check_variant(variant: ProductVariant) -> None:
    errors: dict[str, str] = {}
    if variant.price is not None and variant.price < 0:
        errors["price"] = _("Un prix ne peut pas être négatif.")
    if variant.stock is not None and variant.stock < 0:
        errors["stock"] = _("Le stock ne peut pas être négatif.")
    if (
        variant.label
        and ProductVariant.objects.filter(product_id=variant.product_id, label__iexact=variant.label)
        .exclude(pk=variant.pk)
        .exists()
    ):
        errors["label"] = _("Ce produit a déjà une variante « %(label)s ».") % {"label": variant.label}
    if errors:
        raise ValidationError(errors)
    variant.full_clean(exclude=["product"], validate_constraints=False)  # as for products, above


@transaction.atomic
def variant_create(
    *,
    product: Product,
    label: str,
    size: str = "",
    colour: str = "",
    price: Decimal | None = None,
    stock: int | None = None,
    position: int = 0,
) -> ProductVariant:
    variant = ProductVariant(
        product=product,
        label=label.strip(),
        size=size.strip(),
        colour=colour.strip(),
        price=price,
        stock=stock,
        position=position,
    )
    _check_variant(variant)
    variant.save()
    _product_changed(product)
    return variant


@transaction.atomic
def variant_update(*, variant: ProductVariant, **fields: Any) -> ProductVariant:
    """Change some of a variant's details (names in VARIANT_FIELDS); only the columns that change are
    written, and nothing at all when nothing changes."""
    refuse_unknown_fields("variant_update", fields, VARIANT_FIELDS)
    changes = FieldChanges(
        variant, {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    )
    with changes.undone_if_refused():
        _check_variant(variant)
    if changes.save():
        _product_changed(variant.product)
    return variant


@transaction.atomic
def variant_delete(*, variant: ProductVariant) -> None:
    product = variant.product
    variant.delete()
    _product_changed(product)


@dataclass(frozen=True)
class VariantInput:
    """One line of a product's variant list as the merchant left it: `id` None for a new variant."""

    id: int | None
    label: str = ""
    size: str = ""
    colour: str = ""
    price: Decimal | None = None
    stock: int | None = None
    delete: bool = False


def _variant_error(label: str, error: ValidationError) -> ValidationError:
    return ValidationError(
        [
            _("Variante « %(label)s » : %(error)s") % {"label": label, "error": message}
            for message in error.messages
        ]
    )


@transaction.atomic
def product_save(
    *,
    shop: Shop,
    product: Product | None,
    fields: dict[str, Any],
    variants: Sequence[VariantInput] = (),
) -> Product:
    """Create (`product` None) or change a product of `shop` together with its variants, all or nothing.

    Variants are matched by id among this product's own: any other id is refused.
    """
    if product is None:
        product = product_create(shop=shop, **fields)
    else:
        if product.shop_id != shop.pk:
            raise ValidationError(_("Ce produit n'appartient pas à ce commerce."))
        product = product_update(product=product, **fields)
    existing = {variant.pk: variant for variant in product.variants.all()}
    unknown = [item.id for item in variants if item.id is not None and item.id not in existing]
    if unknown:
        raise ValidationError(
            _("Variante introuvable : la page a peut-être changé entre-temps, rechargez-la.")
        )
    # Deletions first, so that a label freed by a deleted variant can be taken by another.
    for item in variants:
        if item.delete and item.id is not None:
            variant_delete(variant=existing[item.id])
    kept = [item for item in variants if not item.delete]
    for position, item in enumerate(kept):
        values: dict[str, Any] = {
            "label": item.label,
            "size": item.size,
            "colour": item.colour,
            "price": item.price,
            "stock": item.stock,
            "position": position,
        }
        try:
            if item.id is None:
                variant_create(product=product, **values)
            else:
                variant_update(variant=existing[item.id], **values)
        except ValidationError as error:
            raise _variant_error(item.label, error) from error
    return product


def product_categories_ensure() -> dict[str, ProductCategory]:
    """Every category of the platform's list exists (normally loaded by migration; a test database that was
    flushed, or a demo, needs them back); existing ones are left as edited. By slug."""
    from .taxonomy import PRODUCT_CATEGORIES

    categories = {category.slug: category for category in ProductCategory.objects.all()}
    for position, (name, slug) in enumerate(PRODUCT_CATEGORIES):
        if slug not in categories:
            categories[slug] = ProductCategory.objects.create(name=name, slug=slug, position=position)
    return categories
