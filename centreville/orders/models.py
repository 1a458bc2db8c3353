"""Click & Collect orders: one order per shop, its lines, and every step of its life."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.channels import Channel
from centreville.core.models import TimeStampedModel
from centreville.fulfilment.models import FulfilmentMethod
from centreville.towns.models import TownOwnedModel


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Passée")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    READY = "ready", _("Prête")
    # A relay-point order left at the relay point: only now may the customer go and collect it.
    DROPPED = "dropped", _("Déposée au point relais")
    COLLECTED = "collected", _("Retirée")
    CANCELLED = "cancelled", _("Annulée")
    # The shop cannot honour an order it accepted (an article missing or damaged, no way to deliver).
    SHOP_CANCELLED = "shop_cancelled", _("Annulée par le commerce")
    # Nobody came for it (or nobody opened the door for the delivery): it goes back on the shelf.
    NOT_COLLECTED = "not_collected", _("Non retirée")
    EXPIRED = "expired", _("Expirée")


STATUS_MAX_LENGTH = 20


def new_tracking_token() -> str:
    return secrets.token_urlsafe(32)


class PaymentChoice(models.TextChoices):
    AT_PICKUP = "at_pickup", _("Paiement au retrait")
    ONLINE = "online", _("Paiement en ligne")


class PaymentState(models.TextChoices):
    NONE = "none", _("À régler au retrait")
    PENDING = "pending", _("Paiement en attente")
    PAID = "paid", _("Payée en ligne")
    REFUNDED = "refunded", _("Remboursée")


class Order(TownOwnedModel):
    """What one customer reserved in one shop; orders of one basket share its reference."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="orders")
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    basket_reference = models.CharField(_("référence du panier"), max_length=20, db_index=True)
    status = models.CharField(
        _("statut"), max_length=STATUS_MAX_LENGTH, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    customer_name = models.CharField(_("nom"), max_length=120)
    # The address the customer is told on (their preferred channel's), and each one they gave.
    customer_contact = models.CharField(_("téléphone ou e-mail"), max_length=200)
    customer_email = models.EmailField(_("e-mail du client"), blank=True)
    customer_phone = models.CharField(_("téléphone du client"), max_length=20, blank=True)
    notify_by = models.CharField(_("prévenu par"), max_length=5, choices=Channel.choices, blank=True)
    # The language the customer ordered in: the messages about the order speak it.
    language = models.CharField(_("langue du client"), max_length=8, default="fr")
    # The customer's private link to follow the order without an account.
    tracking_token = models.CharField(max_length=43, unique=True, default=new_tracking_token)
    items_total = models.DecimalField(
        _("montant des articles (€)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )

    fulfilment = models.CharField(
        _("retrait ou livraison"),
        max_length=10,
        choices=FulfilmentMethod.choices,
        default=FulfilmentMethod.PICKUP,
    )
    # The time the customer chose: a pickup slot in the shop, or a delivery window at home.
    pickup_slot_start = models.DateTimeField(_("créneau"), null=True, blank=True)
    pickup_slot_end = models.DateTimeField(_("fin du créneau"), null=True, blank=True)
    relay_point = models.ForeignKey(
        "fulfilment.RelayPoint", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    locker = models.ForeignKey(
        "fulfilment.Locker", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    locker_code = models.CharField(_("code de la consigne"), max_length=8, blank=True)
    delivery_zone = models.ForeignKey(
        "fulfilment.DeliveryZone", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    delivery_address = models.CharField(_("adresse de livraison"), max_length=250, blank=True)
    delivery_postcode = models.CharField(_("code postal de livraison"), max_length=5, blank=True)
    delivery_city = models.CharField(_("commune de livraison"), max_length=120, blank=True)
    # The whole fee, and the part of it the town pays (the customer pays the difference).
    delivery_fee = models.DecimalField(
        _("frais de livraison (€)"), max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    delivery_subsidy = models.DecimalField(
        _("aide de la ville (€)"), max_digits=6, decimal_places=2, default=Decimal("0.00")
    )

    # Placed while the shop is closed, taking orders for after it reopens: the delay to accept the order
    # runs from its reopening, not from the order.
    accept_from = models.DateTimeField(_("à accepter à partir du"), null=True, blank=True)

    payment = models.CharField(
        _("paiement"), max_length=10, choices=PaymentChoice.choices, default=PaymentChoice.AT_PICKUP
    )
    payment_state = models.CharField(
        _("état du paiement"), max_length=10, choices=PaymentState.choices, default=PaymentState.NONE
    )
    # What town vouchers paid of the total at checkout (`voucher_payment.py`); kept when the order ends
    # without a sale, its spends then given back to the vouchers. The rest is paid online or at pickup.
    voucher_paid = models.DecimalField(
        _("payé par bon d'achat (€)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )

    # When the order reached its last status (collected, cancelled, expired…): its customer's name and
    # contact are erased a retention period later (`retention.py`), and then it is marked erased.
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values), name="order_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_subsidy__lte=models.F("delivery_fee")),
                name="order_subsidy_within_fee",
            ),
            models.CheckConstraint(
                condition=models.Q(voucher_paid__gte=0)
                & models.Q(
                    voucher_paid__lte=models.F("items_total")
                    + models.F("delivery_fee")
                    - models.F("delivery_subsidy")
                ),
                name="order_voucher_paid_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"], name="order_shop_status_recent"),
            models.Index(fields=["shop", "pickup_slot_start"], name="order_shop_slot"),
            # Expiry and reminders scan only the orders still waiting for someone.
            models.Index(
                fields=["town", "status"],
                name="order_waiting",
                condition=models.Q(status__in=["placed", "accepted", "ready", "dropped"]),
            ),
            # The retention purge finds the ended orders still holding a customer's contact, oldest first.
            models.Index(
                fields=["ended_at"],
                name="order_contact_kept",
                condition=models.Q(ended_at__isnull=False, personal_data_erased_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def delivery_place(self) -> str:
        """Where the order is delivered, on one line: « 12 rue de la Poste, 61200 Argentan »."""
        town = f"{self.delivery_postcode} {self.delivery_city}".strip()
        return ", ".join(part for part in (self.delivery_address, town) if part)

    @property
    def customer_pays_delivery(self) -> Decimal:
        return self.delivery_fee - self.delivery_subsidy

    @property
    def total(self) -> Decimal:
        """What the customer pays for this order: the articles and their share of delivery."""
        return self.items_total + self.customer_pays_delivery

    @property
    def to_pay(self) -> Decimal:
        """What is left to pay once vouchers paid their part: online, or at pickup."""
        return self.total - self.voucher_paid

    @property
    def paid_by_voucher(self) -> bool:
        """Vouchers paid the whole order: nothing is paid online nor at pickup."""
        return self.voucher_paid > 0 and self.to_pay == 0


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    # What the customer saw when ordering, kept even if the product changes later.
    title = models.CharField(_("article"), max_length=250)
    unit_price = models.DecimalField(_("prix unitaire (€)"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantité"))
    # Declared missing or damaged by the shop when it cancelled the order: not put back on sale.
    unavailable = models.BooleanField(_("manquant ou abîmé"), default=False)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderEvent(TimeStampedModel):
    """One step of an order's life: who moved it from which status to which, when and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("ancien statut"), max_length=STATUS_MAX_LENGTH, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("nouveau statut"), max_length=STATUS_MAX_LENGTH, choices=OrderStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A guest acting through the private tracking link has no account: the step is still theirs.
    by_customer = models.BooleanField(_("par le client"), default=False)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("étape de commande")
        verbose_name_plural = _("étapes de commande")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="order_event_created")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '—'} → {self.to_status}"


class ContactPreference(TimeStampedModel):
    """How a signed-in customer likes to be told about their orders: offered again at their next checkout."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference"
    )
    notify_by = models.CharField(_("prévenu par"), max_length=5, choices=Channel.choices)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("préférence de contact")
        verbose_name_plural = _("préférences de contact")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notify_by__in=Channel.values), name="contact_preference_channel_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.notify_by}"
