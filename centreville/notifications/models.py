"""Every message the platform sends (e-mail or SMS), kept so that none is ever sent twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.channels import Channel
from centreville.core.models import TimeStampedModel


class Audience(models.TextChoices):
    MERCHANT = "merchant", _("Commerçant")
    CUSTOMER = "customer", _("Client")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class Notification(TimeStampedModel):
    """One message to one recipient; its key says what it announces, and a key is used only once."""

    # e.g. "order-event:42:customer:sms", "order-reminder:7:accept:merchant:email:boulangerie@example.fr"
    key = models.CharField(_("clé"), max_length=400, unique=True)
    kind = models.CharField(_("objet"), max_length=30)
    audience = models.CharField(_("destinataire (rôle)"), max_length=10, choices=Audience.choices)
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    recipient = models.CharField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet du message"), max_length=250, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("statut"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # After a failure, the next attempt waits until then; a message still queued well past it lost its task.
    retry_at = models.DateTimeField(_("nouvel essai le"), null=True, blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event = models.ForeignKey(
        "orders.OrderEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values), name="notification_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="notification_channel_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="notification_status_updated"),
            models.Index(fields=["order", "kind"], name="notification_order_kind"),
        ]

    def __str__(self) -> str:
        return self.key
