"""Writes of the enterprises: registration, profile, pickup places, members, photos, and the producers a
town's space shows.

Lock order: the enterprise's row first (`select_for_update`), then its members, places or photos; a
town's choice of producers locks nothing but relies on its unique constraint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.core import images
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.hours import valid_expression
from centreville.shops.models import Shop, ShopMembership
from centreville.towns.models import Town

from .models import BuyerCategory, Enterprise, EnterpriseMember, EnterprisePhoto, PickupPlace, SpaceProducer
from .signals import enterprise_changed

# What a person may write on an enterprise; the rest (slug, shop, activity) is the platform's.
ENTERPRISE_FIELDS = frozenset(
    {
        "name",
        "is_producer",
        "is_buyer",
        "siret",
        "legal_form",
        "registry",
        "share_capital",
        "vat_regime",
        "vat_number",
        "description",
        "street_address",
        "postcode",
        "city",
        "latitude",
        "longitude",
        "email",
        "phone",
        "website",
        "labels",
        "service_radius_km",
        "buyer_category",
        "prefers_delivery",
        "delivery_address",
        "delivery_postcode",
        "delivery_city",
        "payment_terms_days",
        "late_payment_rate",
    }
)
# A change of these makes the copies kept by the apps above stale (see signals.enterprise_changed).
WATCHED_FIELDS = ("latitude", "longitude", "labels")
PICKUP_PLACE_FIELDS = frozenset(
    {"name", "street_address", "postcode", "city", "latitude", "longitude", "opening_hours", "instructions"}
)
# Addresses under /pro/ that are pages, not enterprises.
RESERVED_SLUGS = frozenset({"inscription", "boutique", "commander"})
MAX_ENTERPRISE_PHOTOS = 8


def _assign(instance: Any, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not writable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    """People copy numbers with spaces (« 732 829 320 00074 », « FR 40 303 265 045 »)."""
    cleaned = dict(fields)
    for name in ("siret", "vat_number"):
        if isinstance(cleaned.get(name), str):
            cleaned[name] = "".join(cleaned[name].split()).upper()
    if "labels" in cleaned:
        cleaned["labels"] = sorted(set(cleaned["labels"] or []))
    return cleaned


def _free_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "entreprise"
    taken = (
        set(Enterprise.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _changed_after_commit(enterprise: Enterprise) -> None:
    transaction.on_commit(lambda: enterprise_changed.send(sender=Enterprise, enterprise=enterprise))


def _locked(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _check_roles(enterprise: Enterprise) -> None:
    if not (enterprise.is_producer or enterprise.is_buyer):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Une entreprise vend ses produits, achète en professionnel, ou les deux.")}
        )
    if enterprise.is_buyer and not enterprise.buyer_category:
        raise ValidationError({"buyer_category": _("Indiquez quel type d'acheteur vous êtes.")})


@transaction.atomic
def enterprise_register(*, user: User, fields: Mapping[str, Any], shop: Shop | None = None) -> Enterprise:
    """A new enterprise with `user` as its owner; a ValidationError in French and nothing written on bad
    input (a SIRET failing its check digit, a VAT number not matching the SIREN, an unknown label…)."""
    enterprise = Enterprise(shop=shop)
    _assign(enterprise, _normalised(fields), ENTERPRISE_FIELDS)
    enterprise.slug = _free_slug(enterprise.name)
    _check_roles(enterprise)
    enterprise.full_clean()
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        if Enterprise.objects.filter(slug=enterprise.slug).exists():
            # Someone registered the same name meanwhile: the next free address.
            enterprise.slug = _free_slug(enterprise.name)
            enterprise.save()
        else:
            raise
    EnterpriseMember.objects.create(enterprise=enterprise, user=user, is_owner=True)
    return enterprise


def enterprise_create_for_shop(*, shop: Shop, user: User, fields: Mapping[str, Any]) -> Enterprise:
    """The buyer enterprise of a showcase shop, so that it buys with the same account: only one of the
    shop's members may make it; the shop's other members become members of it too."""
    if not ShopMembership.objects.filter(shop=shop, user=user).exists():
        raise PermissionDenied
    if Enterprise.objects.filter(shop=shop).exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Ce commerce a déjà son entreprise acheteuse sur la bourse.")}
        )
    with transaction.atomic():
        Shop.objects.select_for_update().only("pk").get(pk=shop.pk)
        values = {**fields, "is_buyer": True, "buyer_category": BuyerCategory.SHOP}
        try:
            with transaction.atomic():
                enterprise = enterprise_register(user=user, fields=values, shop=shop)
        except IntegrityError as error:  # another member made it in the meantime
            raise ValidationError(
                {NON_FIELD_ERRORS: _("Ce commerce a déjà son entreprise acheteuse sur la bourse.")}
            ) from error
        others = ShopMembership.objects.filter(shop=shop).exclude(user=user).values_list("user_id", flat=True)
        EnterpriseMember.objects.bulk_create(
            [EnterpriseMember(enterprise=enterprise, user_id=other) for other in others]
        )
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, fields: Mapping[str, Any]) -> Enterprise:
    """Change what the enterprise says of itself; the apps above hear of a new position or new labels once
    it is committed."""
    locked = _locked(enterprise)
    before = {name: getattr(locked, name) for name in WATCHED_FIELDS}
    _assign(locked, _normalised(fields), ENTERPRISE_FIELDS)
    if not locked.is_buyer:
        locked.buyer_category = ""
    _check_roles(locked)
    locked.full_clean()
    locked.save()
    if any(getattr(locked, name) != value for name, value in before.items()):
        _changed_after_commit(locked)
    return locked


# --- Pickup places ---------------------------------------------------------------------------------------


def validate_pickup_hours(value: str) -> None:
    """Pickup windows in OpenStreetMap's opening_hours syntax, read by the project's parser (shops.hours)."""
    if not value.strip():
        raise ValidationError(_("Indiquez les créneaux de retrait."), code="opening_hours")
    if not valid_expression(value):
        raise ValidationError(
            _(
                "Créneaux illisibles : « %(value)s ». Écrivez les jours en abrégé anglais puis les heures, "
                "par exemple « Tu,Fr 17:00-19:00; Sa 09:00-12:00 »."
            ),
            params={"value": value},
            code="opening_hours",
        )


def _clean_place(place: PickupPlace) -> None:
    place.opening_hours = " ".join(place.opening_hours.split())
    errors: dict[str, list[ValidationError]] = {}
    try:
        validate_pickup_hours(place.opening_hours)
    except ValidationError as error:
        errors["opening_hours"] = error.error_list
    if (place.latitude is None) != (place.longitude is None):
        errors["latitude"] = [ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))]
    try:
        place.full_clean()
    except ValidationError as error:
        for name, field_errors in error.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pickup_place_create(*, enterprise: Enterprise, fields: Mapping[str, Any]) -> PickupPlace:
    locked = _locked(enterprise)
    if not locked.is_producer:
        raise ValidationError({NON_FIELD_ERRORS: _("Seul un producteur a des lieux de retrait.")})
    place = PickupPlace(enterprise=locked)
    _assign(place, fields, PICKUP_PLACE_FIELDS)
    _clean_place(place)
    place.save()
    _changed_after_commit(locked)
    return place


@transaction.atomic
def pickup_place_update(*, place: PickupPlace, fields: Mapping[str, Any]) -> PickupPlace:
    enterprise = _locked(place.enterprise)
    locked = PickupPlace.objects.select_for_update().get(pk=place.pk)
    _assign(locked, fields, PICKUP_PLACE_FIELDS)
    _clean_place(locked)
    locked.save()
    _changed_after_commit(enterprise)
    return locked


@transaction.atomic
def pickup_place_deactivate(*, place: PickupPlace) -> PickupPlace:
    """Close a place: orders already made keep it, new ones cannot choose it."""
    enterprise = _locked(place.enterprise)
    locked = PickupPlace.objects.select_for_update().get(pk=place.pk)
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        _changed_after_commit(enterprise)
    return locked


@transaction.atomic
def pickup_place_reopen(*, place: PickupPlace) -> PickupPlace:
    """Open a closed place again: new orders may choose it."""
    enterprise = _locked(place.enterprise)
    locked = PickupPlace.objects.select_for_update().get(pk=place.pk)
    if not locked.is_active:
        locked.is_active = True
        locked.save(update_fields=["is_active", "updated_at"])
        _changed_after_commit(enterprise)
    return locked


# --- Members ---------------------------------------------------------------------------------------------


def _check_owner(enterprise: Enterprise, by: User) -> None:
    if not (by.is_staff or enterprise.members.filter(user=by, is_owner=True).exists()):
        raise PermissionDenied


@transaction.atomic
def member_add(*, enterprise: Enterprise, email: str, is_owner: bool = False, by: User) -> EnterpriseMember:
    """Let a person who has an account act for the enterprise; only its owners may."""
    locked = _locked(enterprise)
    _check_owner(locked, by)
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Aucun compte n'utilise l'adresse « %(email)s » : demandez à cette personne de créer "
                    "son compte, puis ajoutez-la."
                )
                % {"email": address}
            }
        )
    if locked.members.filter(user=user).exists():
        raise ValidationError({"email": _("Cette personne est déjà membre de l'entreprise.")})
    return EnterpriseMember.objects.create(enterprise=locked, user=user, is_owner=is_owner)


@transaction.atomic
def member_remove(*, member: EnterpriseMember, by: User) -> None:
    """Remove a member (anyone may leave); an enterprise always keeps one owner."""
    locked = _locked(member.enterprise)
    if by.pk != member.user_id:
        _check_owner(locked, by)
    current = EnterpriseMember.objects.select_for_update().filter(pk=member.pk).first()
    if current is None:
        return
    if current.is_owner and not locked.members.filter(is_owner=True).exclude(pk=current.pk).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Une entreprise garde au moins un responsable : nommez-en un autre d'abord."
                )
            }
        )
    current.delete()


# --- Photos ----------------------------------------------------------------------------------------------


@transaction.atomic
def _store_photo(enterprise: Enterprise, processed: images.ProcessedImage, alt_text: str) -> EnterprisePhoto:
    locked = _locked(enterprise)
    count = EnterprisePhoto.objects.filter(enterprise=locked).count()
    if count >= MAX_ENTERPRISE_PHOTOS:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Une entreprise montre %(max)s photos au plus : retirez-en une pour en ajouter une autre."
                )
                % {"max": MAX_ENTERPRISE_PHOTOS}
            }
        )
    photo = EnterprisePhoto(enterprise=locked, alt_text=alt_text, position=count)
    photo.full_clean(exclude=list(images.RENDITION_NAMES))
    return images.photo_store(photo, processed)


def enterprise_photo_add(*, enterprise: Enterprise, upload: File[bytes], alt_text: str) -> EnterprisePhoto:
    """A new last photo, checked and re-encoded as shops' photos are; on any refusal nothing is stored."""
    alt_text = images.clean_alt_text(alt_text)
    try:
        # The slow part runs before the transaction, so no lock waits for it.
        processed = images.process_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.error_list}) from error
    return _store_photo(enterprise, processed, alt_text)


@transaction.atomic
def enterprise_photo_remove(*, photo: EnterprisePhoto) -> None:
    locked = _locked(photo.enterprise)
    storage, names = photo.large.storage, images.photo_file_names(photo)
    photo.delete()
    remaining = list(EnterprisePhoto.objects.filter(enterprise=locked).order_by("position", "pk"))
    images.renumber(remaining, lambda changed: EnterprisePhoto.objects.bulk_update(changed, ["position"]))
    images.delete_files_on_commit(storage, names)


# --- The producers a town's space shows ------------------------------------------------------------------


def space_producer_add(*, town: Town, enterprise: Enterprise, by: User | None) -> SpaceProducer:
    """Show a producer on the town's space (again a no-op when it already shows)."""
    if not (enterprise.is_producer and enterprise.is_active):
        raise ValidationError({NON_FIELD_ERRORS: _("Seul un producteur en activité peut être montré.")})
    with transaction.atomic():
        chosen, _created = SpaceProducer.objects.get_or_create(
            town=town, enterprise=enterprise, defaults={"added_by": by}
        )
        town_public_data_changed(town.pk)
    return chosen


@transaction.atomic
def space_producer_remove(*, town: Town, enterprise: Enterprise, by: User | None) -> None:
    """Stop showing a producer on the town's space; its lots and orders are untouched."""
    SpaceProducer.objects.filter(town=town, enterprise=enterprise).delete()
    town_public_data_changed(town.pk)
