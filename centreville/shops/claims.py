"""Merchants claiming the imported shops that nobody runs yet, and the town manager deciding.

A signed-in person asks (one pending claim per person and shop); the town manager approves, which makes the
person a member of the shop and turns down the other pending claims, or rejects with a reason. Every
claimant hears the decision by e-mail, in French, once it is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from centreville.accounts.models import Role, TownRole, User
from centreville.core import french
from centreville.core.pagecache import town_public_data_changed
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .models import ClaimStatus, Shop, ShopClaim, ShopMembership, ShopStatus

# --- Reads ---------------------------------------------------------------------------------------------


def claimable_shop(space: Space, slug: str) -> Shop | None:
    """A published shop of the space that nobody runs yet, or None."""
    return (
        Shop.objects.in_space(space)
        .filter(slug=slug, status=ShopStatus.PUBLISHED)
        .exclude(Exists(ShopMembership.objects.filter(shop=OuterRef("pk"))))
        .select_related("town", "category")
        .first()
    )


def pending_claim(shop: Shop, user: User) -> ShopClaim | None:
    if not user.is_authenticated:
        return None
    return ShopClaim.objects.filter(shop=shop, user=user, status=ClaimStatus.PENDING).first()


def pending_claims(town: Town) -> QuerySet[ShopClaim]:
    """The claims the town manager has to decide, oldest first, with their shop and claimant."""
    return (
        ShopClaim.objects.filter(shop__town=town, status=ClaimStatus.PENDING)
        .select_related("shop", "shop__category", "user")
        .order_by("created_at", "pk")
    )


def claim_for_decision(town: Town, claim_id: int) -> ShopClaim | None:
    return (
        ShopClaim.objects.filter(shop__town=town, pk=claim_id)
        .select_related("shop", "shop__town", "user")
        .first()
    )


# --- Writes --------------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(*, shop: Shop, user: User, message: str = "") -> ShopClaim:
    """Ask to run `shop`; the town's managers are told by e-mail."""
    locked = Shop.objects.select_for_update().select_related("town").get(pk=shop.pk)
    if locked.status != ShopStatus.PUBLISHED or locked.memberships.exists():
        raise ValidationError(_("Ce commerce a déjà un commerçant : il ne peut plus être revendiqué."))
    if ShopClaim.objects.filter(shop=locked, user=user, status=ClaimStatus.PENDING).exists():
        raise ValidationError(_("Vous avez déjà demandé à gérer ce commerce : votre demande est en attente."))
    claim = ShopClaim(shop=locked, user=user, message=message.strip())
    claim.full_clean()
    claim.save()
    _notify_managers(claim)
    return claim


def _lock_pending(claim: ShopClaim, actor: User) -> ShopClaim:
    locked = (
        ShopClaim.objects.select_for_update().select_related("shop", "shop__town", "user").get(pk=claim.pk)
    )
    if not actor.has_perm("shops.validate_shop", locked.shop):
        raise PermissionDenied(_("Seul le manager de la ville peut décider de cette demande."))
    if locked.status != ClaimStatus.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return locked


def _decide(claim: ShopClaim, *, status: str, actor: User, reason: str = "") -> None:
    claim.status, claim.decided_by, claim.decided_at = status, actor, timezone.now()
    claim.decision_reason = reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    _notify_claimant(claim)


@transaction.atomic
def claim_approve(*, claim: ShopClaim, actor: User) -> ShopClaim:
    """Make the claimant a member of the shop; the other pending claims for it are turned down."""
    # Lock order: the shop, then its claims by primary key.
    Shop.objects.select_for_update().filter(pk=claim.shop_id).first()
    locked = _lock_pending(claim, actor)
    if locked.shop.memberships.exists():
        raise ValidationError(_("Ce commerce a déjà un commerçant : refusez plutôt cette demande."))
    ShopMembership.objects.create(shop=locked.shop, user=locked.user)
    _decide(locked, status=ClaimStatus.APPROVED, actor=actor)
    others = (
        ShopClaim.objects.select_for_update()
        .filter(shop=locked.shop, status=ClaimStatus.PENDING)
        .select_related("shop", "shop__town", "user")
        .order_by("pk")
    )
    for other in others:
        _decide(
            other,
            status=ClaimStatus.REJECTED,
            actor=actor,
            reason=_("Une autre personne a été reconnue comme commerçant de ce commerce."),
        )
    town_public_data_changed(locked.shop.town_id)  # the public page stops inviting claims
    claim.status = locked.status
    return locked


@transaction.atomic
def claim_reject(*, claim: ShopClaim, actor: User, reason: str) -> ShopClaim:
    """Turn a claim down; the reason is sent to the claimant."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus : la personne le lira.")})
    locked = _lock_pending(claim, actor)
    _decide(locked, status=ClaimStatus.REJECTED, actor=actor, reason=reason)
    claim.status = locked.status
    return locked


# --- E-mails -------------------------------------------------------------------------------------------


def _send_on_commit(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
        )


def _notify_claimant(claim: ShopClaim) -> None:
    shop, town = claim.shop, claim.shop.town
    with translation.override("fr"):
        if claim.status == ClaimStatus.APPROVED:
            subject = _("Vous gérez désormais « %(shop)s »") % {"shop": shop.name}
            body = _(
                "Bonjour,\n\nLa ville %(de_town)s a accepté votre demande : vous gérez désormais la page "
                "de « %(shop)s » sur %(platform)s. Connectez-vous et ouvrez votre espace commerçant pour "
                "compléter vos horaires, vos photos et vos produits.\n\nÀ bientôt,\nL'équipe %(de_town)s"
            )
        else:
            subject = _("Votre demande pour « %(shop)s »") % {"shop": shop.name}
            body = _(
                "Bonjour,\n\nLa ville %(de_town)s n'a pas accepté votre demande de gérer la page de "
                "« %(shop)s » sur %(platform)s.\n\nMotif : %(reason)s\n\nPour toute question, répondez à la "
                "ville : %(contact)s\n\nL'équipe %(de_town)s"
            )
        body = body % {
            "de_town": french.de(town.name),
            "shop": shop.name,
            "platform": settings.PLATFORM_NAME,
            "reason": claim.decision_reason,
            "contact": town.contact_email or settings.DEFAULT_FROM_EMAIL,
        }
    _send_on_commit(subject, body, [claim.user.email])


def _notify_managers(claim: ShopClaim) -> None:
    town = claim.shop.town
    recipients = list(
        TownRole.objects.filter(town=town, role=Role.MANAGER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    with translation.override("fr"):
        subject = _("Demande de revendication : « %(shop)s »") % {"shop": claim.shop.name}
        body = _(
            "Bonjour,\n\n%(person)s demande à gérer la page de « %(shop)s » à %(town)s.\n\nSon message : "
            "%(message)s\n\nLes demandes en attente se décident dans la gestion de la ville, rubrique "
            "« Revendications »."
        ) % {
            "person": claim.user.email,
            "shop": claim.shop.name,
            "town": town.name,
            "message": claim.message or _("(aucun message)"),
        }
    _send_on_commit(subject, body, recipients)
