"""Subscriptions to a town's news and to shops' offers, the proof of each consent, and the messages sent.

A `Subscriber` is one address (an e-mail address or a mobile number in E.164 form) in one town; its
`Subscription`s say what it receives: the town's news (`shop` empty) or one shop's offers. A subscription by
e-mail is `pending` until the address is confirmed (double opt-in); by SMS it is active at once, on the
explicit consent ticked in the form. Each consent given is a `Consent` row (what, channel, when, the wording
shown and its version, the page it was given on), kept when the subscription ends (its `withdrawn_at` is set)
as the proof of it, and deleted with the subscriber when the person's data is erased.

A `Campaign` is one message sent to many: the town's newsletter or a shop's offer. Each of its recipients is a
`Delivery` row, unique per (campaign, subscription), whose state moves queued → sending → sent (or failed):
the worker claims rows by changing their state, so that a batch run twice sends each message once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.channels import Channel
from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel


class NewsSettings(TownOwnedModel):
    """What the town allows: how many sends a shop may make to its subscribers per calendar month."""

    monthly_sends_per_shop = models.PositiveSmallIntegerField(
        _("envois par commerce et par mois"),
        default=2,
        validators=[MaxValueValidator(31)],
        help_text=_("Nombre de messages qu'un commerce peut envoyer à ses abonnés chaque mois civil."),
    )

    class Meta:
        verbose_name = _("réglages des lettres")
        verbose_name_plural = _("réglages des lettres")
        constraints = [models.UniqueConstraint(fields=["town"], name="news_settings_one_per_town")]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.monthly_sends_per_shop}"


class Subscriber(TownOwnedModel):
    """One address in one town; `confirmed_at` is set once an e-mail address has been confirmed."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("adresse"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("langue"), max_length=10, default="fr")
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")
        constraints = [
            models.UniqueConstraint(fields=["town", "channel", "address"], name="news_subscriber_once"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="news_channel_known"),
        ]
        indexes = [models.Index(fields=["channel", "address"], name="news_subscriber_address")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("À confirmer")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Terminée")


class Subscription(TownOwnedModel):
    """What a subscriber receives: the town's news (no shop) or one shop's offers."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="news_subscriptions"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    # While pending: the consent's wording version and the page it was asked on, recorded at confirmation.
    requested_at = models.DateTimeField(_("demandée le"))
    wording_version = models.CharField(max_length=40, blank=True)
    source = models.CharField(_("page"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("début"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=models.Q(shop__isnull=True),
                name="news_town_subscription_once",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "shop"],
                condition=models.Q(shop__isnull=False),
                name="news_shop_subscription_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriptionStatus.values),
                name="news_subscription_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["town", "shop", "status"], name="news_subscription_topic"),
            models.Index(fields=["status", "requested_at"], name="news_subscription_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id}:{self.shop_id or 'town'}:{self.status}"


class Consent(TownOwnedModel):
    """The proof of one consent: to what, on which channel, when, on which page, with which words."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(_("objet"), max_length=250)  # « Actualités d'Argentan », « Offres de X »
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("adresse"), max_length=254)
    wording_version = models.CharField(_("version du texte"), max_length=40)
    wording = models.TextField(_("texte accepté"))
    source = models.CharField(_("page"), max_length=200)
    given_at = models.DateTimeField(_("donné le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_how = models.CharField(_("retiré par"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["given_at", "pk"]
        indexes = [models.Index(fields=["withdrawn_at"], name="news_consent_withdrawn")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}:{self.purpose}"


class CampaignKind(models.TextChoices):
    NEWSLETTER = "newsletter", _("Lettre de la ville")
    OFFER = "offer", _("Offre d'un commerce")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SCHEDULED = "scheduled", _("Programmée")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyée")


class Campaign(TownOwnedModel):
    """One message to the subscribers of a topic: the town's newsletter, or a shop's offer."""

    kind = models.CharField(_("type"), max_length=12, choices=CampaignKind.choices)
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="news_campaigns"
    )
    subject = models.CharField(_("objet"), max_length=150)
    introduction = models.TextField(_("introduction"), blank=True)
    event = models.ForeignKey(
        "agenda.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    send_at = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    queued_at = models.DateTimeField(_("envoi lancé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("envoi terminé le"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=CampaignKind.NEWSLETTER, shop__isnull=True)
                | models.Q(kind=CampaignKind.OFFER, shop__isnull=False),
                name="news_campaign_shop_for_offers",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="news_campaign_due"),
            models.Index(fields=["shop", "queued_at"], name="news_campaign_shop_month"),
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class Delivery(TimeStampedModel):
    """One campaign's message to one subscription: written once, sent once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    state = models.CharField(
        _("état"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0, validators=[MinValueValidator(0)])
    last_error = models.TextField(_("dernière erreur"), blank=True)
    retry_at = models.DateTimeField(_("nouvel essai le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "subscription"], name="news_delivery_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=DeliveryState.values), name="news_delivery_state_known"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state"], name="news_delivery_campaign_state")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.subscription_id}:{self.state}"
