"""Writes of lots: a producer puts a lot on sale, changes it, updates its quantity from a phone, sets its
prices per type of buyer; and the copies a lot keeps of its producer (position, pickup days, words).

Each write is one transaction and calls `full_clean()` before saving; bad input raises a ValidationError in
French and changes nothing. Locks: one lot row at a time (`select_for_update` on the lot), never two, so
that no two writers wait on each other in opposite orders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from centreville.catalogue.models import ProductCategory
from centreville.enterprises.models import BuyerCategory, Enterprise
from centreville.search.text import stemmed_text
from centreville.shops.hours import regular_week

from .models import Lot, LotPrice
from .vat import default_vat_rate

# The fields a producer writes (the copies of the producer are the service's).
EDITABLE_FIELDS = (
    "category",
    "title",
    "description",
    "unit",
    "case_size",
    "quantity_available",
    "minimum_quantity",
    "quantity_step",
    "unit_price",
    "vat_rate",
    "available_from",
    "available_until",
    "variable_weight",
    "estimated_weight",
    "labels",
    "intermediaries",
    "sku",
    "is_published",
)
# Pickup hours are a regular week: any week without holidays reads them (`regular_week` leaves these out).
REFERENCE_WEEK = datetime(2024, 1, 1, 12, tzinfo=UTC)
PICKUP_TIME_ZONE = "Europe/Paris"
COPY_FIELDS = ["latitude", "longitude", "pickup_weekdays", "label_codes", "search_text"]


def _quantity(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)


def _check_figures(lot: Lot) -> None:
    """Clear French errors for the figures a producer types, before the model's own validation."""
    errors: dict[str, str] = {}
    if lot.quantity_available is not None and lot.quantity_available < 0:
        errors["quantity_available"] = _("La quantité disponible ne peut pas être négative.")
    if lot.unit_price is None or lot.unit_price <= 0:
        errors["unit_price"] = _("Indiquez un prix unitaire hors taxes supérieur à zéro.")
    if lot.minimum_quantity is None or lot.minimum_quantity <= 0:
        errors["minimum_quantity"] = _("Le minimum de commande doit être supérieur à zéro.")
    if lot.quantity_step is None or lot.quantity_step <= 0:
        errors["quantity_step"] = _("Le pas de commande doit être supérieur à zéro.")
    if lot.case_size is not None and lot.case_size <= 0:
        errors["case_size"] = _("Un colis contient plus de zéro unité.")
    if lot.estimated_weight is not None and lot.estimated_weight <= 0:
        errors["estimated_weight"] = _("Le poids estimé d'une pièce doit être supérieur à zéro.")
    if errors:
        raise ValidationError(errors)


def producer_pickup_weekdays(enterprise: Enterprise) -> str:
    """The weekdays (0 = Monday) on which one of the producer's open pickup places hands over orders."""
    days: set[int] = set()
    for hours in enterprise.pickup_places.filter(is_active=True).values_list("opening_hours", flat=True):
        days.update(
            day.weekday for day in regular_week(hours, PICKUP_TIME_ZONE, at=REFERENCE_WEEK) if day.openings
        )
    return "".join(str(day) for day in sorted(days))


def _fill_copies(lot: Lot, *, enterprise: Enterprise, category_name: str, pickup_weekdays: str) -> None:
    lot.latitude, lot.longitude = enterprise.latitude, enterprise.longitude
    lot.pickup_weekdays = pickup_weekdays
    labels = sorted(set(lot.labels) | set(enterprise.labels))
    lot.label_codes = "".join(f"|{code}" for code in labels) + "|" if labels else ""
    # Spaces around every stem, so that a search matches a word's start: « carot » finds « carottes ».
    words = stemmed_text(f"{lot.title} {category_name} {lot.description} {enterprise.name}")
    lot.search_text = f" {words} "


def _save(lot: Lot, enterprise: Enterprise) -> Lot:
    category = ProductCategory.objects.filter(pk=lot.category_id).first()
    if lot.vat_rate in (None, "") and category is not None:
        lot.vat_rate = default_vat_rate(category_slug=category.slug, title=lot.title)
    _fill_copies(
        lot,
        enterprise=enterprise,
        category_name=category.name if category else "",
        pickup_weekdays=producer_pickup_weekdays(enterprise),
    )
    _check_figures(lot)
    lot.full_clean()
    lot.save()
    return lot


def lot_create(*, enterprise: Enterprise, **fields: Any) -> Lot:
    """Put a lot on sale. Without `vat_rate`, the rate of its category and title (`vat.default_vat_rate`)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not a lot's editable field: {', '.join(sorted(unknown))}")
    if not enterprise.is_producer:
        raise ValidationError(_("Seul un producteur met des lots en vente."))
    lot = Lot(enterprise=enterprise, **fields)
    with transaction.atomic():
        return _save(lot, enterprise)


def lot_update(*, lot: Lot, **fields: Any) -> Lot:
    """Change a lot's editable fields; nothing changes when one is wrong (`lot` keeps its former values)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not a lot's editable field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Lot.objects.select_for_update().select_related("enterprise").get(pk=lot.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        _save(locked, locked.enterprise)
    for name in (*EDITABLE_FIELDS, *COPY_FIELDS, "updated_at"):
        setattr(lot, name, getattr(locked, name))
    return lot


def _set_quantity(locked: Lot, quantity: Decimal) -> None:
    if quantity < 0:
        raise ValidationError(
            {
                "quantity_available": _(
                    "Il n'en reste que %(left)s : la quantité disponible ne peut pas passer sous zéro."
                )
                % {"left": _quantity(locked.quantity_available)}
            }
        )
    locked.quantity_available = quantity
    # The table's constraints hold the rest: one tap stays three queries.
    locked.full_clean(exclude=["enterprise", "category"], validate_constraints=False)
    locked.save(update_fields=["quantity_available", "updated_at"])


def lot_quantity_change(*, lot: Lot, change: Decimal) -> Lot:
    """Add `change` (negative to take away) to what is available, under a lock on the lot's row: two taps
    from two phones both count."""
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        _set_quantity(locked, locked.quantity_available + change)
    lot.quantity_available, lot.updated_at = locked.quantity_available, locked.updated_at
    return lot


def lot_quantity_set(*, lot: Lot, quantity: Decimal) -> Lot:
    """Set what is available (0 for « Épuisé »), under a lock on the lot's row."""
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        _set_quantity(locked, quantity)
    lot.quantity_available, lot.updated_at = locked.quantity_available, locked.updated_at
    return lot


def lot_prices_set(*, lot: Lot, prices: Mapping[str, Decimal | None]) -> list[LotPrice]:
    """Set the lot's unit price (excl. VAT) for each type of buyer given; None removes a type's price, which
    then pays the lot's own price. Returns the lot's prices afterwards."""
    errors: dict[str, str] = {}
    for category, price in prices.items():
        if category not in BuyerCategory.values:
            errors["prices"] = _("Type d'acheteur inconnu : %(category)s.") % {"category": category}
        elif price is not None and price <= 0:
            errors["prices"] = _("Le prix pour « %(category)s » doit être supérieur à zéro.") % {
                "category": BuyerCategory(category).label
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        current = {price.buyer_category: price for price in locked.prices.all()}
        for category, price in prices.items():
            row = current.get(category)
            if price is None:
                if row is not None:
                    row.delete()
                    del current[category]
                continue
            if row is None:
                row = current[category] = LotPrice(lot=locked, buyer_category=category)
            row.unit_price = price
            row.full_clean()
            row.save()
    return sorted(current.values(), key=lambda row: row.buyer_category)


def lots_refresh_copies(*, enterprise: Enterprise) -> int:
    """Copy the producer's position, labels, pickup days and name into each of its lots (after the
    enterprise changed). Returns how many lots were written."""
    pickup_weekdays = producer_pickup_weekdays(enterprise)
    written = 0
    with transaction.atomic():
        lots = enterprise.lots.select_related("category").order_by("pk")
        batch: list[Lot] = []
        for lot in lots.iterator(chunk_size=2000):
            _fill_copies(
                lot, enterprise=enterprise, category_name=lot.category.name, pickup_weekdays=pickup_weekdays
            )
            batch.append(lot)
            if len(batch) == 2000:
                written += Lot.objects.bulk_update(batch, COPY_FIELDS)
                batch = []
        written += Lot.objects.bulk_update(batch, COPY_FIELDS) if batch else 0
    return written


def refresh_lot_copies(lot: Lot) -> None:
    """Write one lot's copies of its producer (for lots written outside these services, e.g. factories)."""
    enterprise = lot.enterprise
    _fill_copies(
        lot,
        enterprise=enterprise,
        category_name=lot.category.name,
        pickup_weekdays=producer_pickup_weekdays(enterprise),
    )
    lot.save(update_fields=COPY_FIELDS)
