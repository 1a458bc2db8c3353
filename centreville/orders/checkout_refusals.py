"""Every way a checkout is refused, each with its French message, its code and whether it is a conflict.

A conflict means things changed since the basket was filled (an article sold out, a slot taken, a shop
closing): the basket itself must change. Anything else is the customer's input or choice to change. The
checkout pages put the message on the form of the shop concerned; the API answers 409 for a conflict and
400 otherwise. Whatever the refusal, nothing is recorded, no stock moves and the basket stays as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from centreville.catalogue.stock import NoLongerAvailable
from centreville.fulfilment.models import FulfilmentMethod
from centreville.shops.models import Shop

# Refusals of a way to collect that was right a moment ago: someone else took the slot, the place closed.
TAKEN_MEANWHILE = frozenset({"slot_gone", "slot_full", "relay_gone", "locker_gone", "locker_full"})


class CheckoutRefused(ValidationError):
    """Checkout refused; `shop_id` names the shop whose part of the basket is refused, if one is."""

    conflict: ClassVar[bool] = False

    def __init__(self, message: str, *, shop_id: int | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.shop_id = shop_id

    @classmethod
    def about_shop(cls, shop: Shop, problem: ValidationError) -> CheckoutRefused:
        """This refusal of one shop's part, its message naming the shop."""
        message = _("%(shop)s : %(problem)s") % {"shop": shop.name, "problem": " ".join(problem.messages)}
        return cls(message, shop_id=shop.pk, code=problem.code)


class CustomerDetailsRefused(CheckoutRefused):
    """The customer's name or contact cannot be used as given."""

    @classmethod
    def of(cls, problem: ValidationError) -> CustomerDetailsRefused:
        return cls(" ".join(problem.messages), code=problem.code)


class BasketEmpty(CheckoutRefused):
    def __init__(self) -> None:
        super().__init__(_("Votre panier est vide."), code="empty")


class OnlinePaymentUnavailable(CheckoutRefused):
    """Online payment asked for a basket the town (or one of its shops) cannot take it for."""

    def __init__(self) -> None:
        super().__init__(
            _("Le paiement en ligne n'est pas proposé pour ce panier : choisissez de payer au retrait."),
            code="online_unavailable",
        )


class ShopNotTakingOrders(CheckoutRefused):
    conflict = True

    def __init__(self, shop: Shop, notice: str) -> None:
        super().__init__(
            _("%(shop)s : %(notice)s Retirez ses articles du panier pour commander le reste.")
            % {"shop": shop.name, "notice": notice},
            shop_id=shop.pk,
        )


class WayNotChosen(CheckoutRefused):
    """No way chosen for a shop of the basket: its articles came in after the choices were made."""

    conflict = True

    def __init__(self, shop: Shop) -> None:
        super().__init__(
            _("%(shop)s : choisissez comment récupérer cette commande.") % {"shop": shop.name},
            shop_id=shop.pk,
        )


class PaidOnlineOnly(CheckoutRefused):
    """A way with nobody there to take the money (a locker, a delivery) chosen with payment at pickup."""

    def __init__(self, shop: Shop, method: str) -> None:
        super().__init__(
            _(
                "%(shop)s : « %(way)s » se paie en ligne, personne n'étant là pour encaisser. "
                "Choisissez le paiement en ligne, ou un retrait où payer sur place."
            )
            % {"shop": shop.name, "way": FulfilmentMethod(method).label},
            shop_id=shop.pk,
            code="paid_online_only",
        )


class WayRefused(CheckoutRefused):
    """The way chosen for a shop cannot be: no slot chosen, an address outside the zones…"""

    @classmethod
    def of(cls, shop: Shop, problem: ValidationError) -> CheckoutRefused:
        """The refusal of `fulfilment_reserve`, a conflict when the place or slot was taken meanwhile."""
        kind = WayTakenMeanwhile if problem.code in TAKEN_MEANWHILE else cls
        return kind.about_shop(shop, problem)


class WayTakenMeanwhile(WayRefused):
    conflict = True


class ArticleShort(CheckoutRefused):
    """Less is left of an article than the basket holds."""

    conflict = True

    @classmethod
    def of(cls, shop: Shop | None, problem: NoLongerAvailable) -> CheckoutRefused:
        if shop is None:
            return cls(" ".join(problem.messages), code=problem.code)
        return cls.about_shop(shop, problem)


class ArticleWithdrawn(CheckoutRefused):
    """An article of the basket is no longer shown by its shop."""

    conflict = True

    def __init__(self, shop: Shop, title: str) -> None:
        super().__init__(
            _("%(shop)s : « %(title)s » n'est plus proposé.") % {"shop": shop.name, "title": title},
            shop_id=shop.pk,
        )


class PaymentNotOpened(CheckoutRefused):
    """The payment provider could not open the payment; the orders were withdrawn, the basket restored."""

    @classmethod
    def of(cls, problem: ValidationError) -> PaymentNotOpened:
        return cls(" ".join(problem.messages), code="payment_unavailable")


class RemainderBelowOnlineMinimum(CheckoutRefused):
    """Paying online, the voucher left less than an online payment may be, so the rest is paid at pickup:
    not possible for a way with nobody there to take the money."""

    def __init__(self, shop: Shop, method: str, to_pay: Decimal, minimum: Decimal) -> None:
        super().__init__(
            _(
                "%(shop)s : il reste %(to_pay)s € à payer, moins que le minimum d'un paiement en ligne "
                "(%(minimum)s €) : ce reste se règle au retrait, et « %(way)s » ne permet pas de payer sur "
                "place. Choisissez un retrait où payer sur place."
            )
            % {
                "shop": shop.name,
                "to_pay": number_format(to_pay, 2),
                "minimum": number_format(minimum, 2),
                "way": FulfilmentMethod(method).label,
            },
            shop_id=shop.pk,
            code="remainder_below_minimum",
        )


class VoucherNotAccepted(CheckoutRefused):
    """The voucher the customer gave cannot pay: unknown code, expired, used up, no shop of the basket
    taking it… The message is the voucher ledger's."""

    @classmethod
    def of(cls, problem: ValidationError) -> VoucherNotAccepted:
        return cls(" ".join(problem.messages), code="voucher")
