"""Every message the platform sends (e-mail or SMS), kept so that none is ever sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


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
