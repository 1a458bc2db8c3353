"""Events of the town and offers of its shops, in one table, and their occurrences.

An event with a `shop` is that shop's offer (a braderie, a late opening, a tasting…); it may belong to a
town event (`parent`, schema.org's superEvent) and ends by itself: it leaves the agenda once its last
occurrence is over. Dates are stored in UTC and read on the event's own time zone (`timezone`): a weekly
market at 8:00 stays at 8:00 across the clock changes because its recurrence (`rrule`, `exdates`) is
expanded on local time. `Occurrence` holds the expanded dates up to a horizon, so that the agenda reads a
range of dates through an index instead of expanding every rule at each request.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import Photo
from centreville.towns.models import TownOwnedModel

__all__ = [
    "OFFER_KINDS",
    "SHOPPING_KINDS",
    "TOWN_KINDS",
    "Accessibility",
    "Audience",
    "Event",
    "EventKind",
    "EventPhoto",
    "EventStatus",
    "Occurrence",
    "PlaceKind",
    "Publication",
]


class EventKind(models.TextChoices):
    # The town's events.
    MARKET = "market", _("Marché")
    FESTIVAL = "festival", _("Fête, festival")
    CHRISTMAS_MARKET = "christmas_market", _("Marché de Noël")
    CONCERT = "concert", _("Concert")
    EXHIBITION = "exhibition", _("Exposition")
    OTHER = "other", _("Autre événement")
    # The shops' offers.
    BRADERIE = "braderie", _("Braderie")
    LATE_OPENING = "late_opening", _("Nocturne")
    SUNDAY_OPENING = "sunday_opening", _("Ouverture le dimanche")
    PROMOTION = "promotion", _("Promotion")
    TASTING = "tasting", _("Dégustation")
    WORKSHOP = "workshop", _("Atelier")


TOWN_KINDS = frozenset(
    {
        EventKind.MARKET,
        EventKind.FESTIVAL,
        EventKind.CHRISTMAS_MARKET,
        EventKind.CONCERT,
        EventKind.EXHIBITION,
        EventKind.OTHER,
    }
)
OFFER_KINDS = frozenset(
    {
        EventKind.BRADERIE,
        EventKind.LATE_OPENING,
        EventKind.SUNDAY_OPENING,
        EventKind.PROMOTION,
        EventKind.TASTING,
        EventKind.WORKSHOP,
    }
)


# Offers that are shopping, not an entry: no price or « Gratuit » is said of them.
SHOPPING_KINDS = frozenset(
    {EventKind.BRADERIE, EventKind.LATE_OPENING, EventKind.SUNDAY_OPENING, EventKind.PROMOTION}
)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévu")
    CANCELLED = "cancelled", _("Annulé")
    POSTPONED = "postponed", _("Reporté")
    FULL = "full", _("Complet")


class Publication(models.TextChoices):
    """Where an event is on its way to the agenda. Only published events are shown to the public."""

    DRAFT = "draft", _("Brouillon")
    PENDING = "pending", _("En attente de validation")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")


class PlaceKind(models.TextChoices):
    SHOP = "shop", _("Dans un commerce")
    VENUE = "venue", _("Un lieu")
    CENTRE = "centre", _("Tout le centre-ville")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    FAMILY = "family", _("En famille")
    CHILDREN = "children", _("Enfants")
    TEENS = "teens", _("Adolescents")
    SENIORS = "seniors", _("Seniors")


class Accessibility(models.TextChoices):
    """The five accessibility codes OpenAgenda uses, so that imports keep them."""

    HEARING = "hi", _("Accessible aux personnes sourdes ou malentendantes")
    VISUAL = "vi", _("Accessible aux personnes aveugles ou malvoyantes")
    PSYCHIC = "pi", _("Accessible aux personnes en situation de handicap psychique")
    MOBILITY = "mi", _("Accessible aux personnes à mobilité réduite")
    INTELLECTUAL = "ii", _("Accessible aux personnes en situation de handicap mental")


class Event(TownOwnedModel):
    """A town event, or a shop's offer when `shop` is set."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("titre"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("commerce"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("événement de la ville"),
        help_text=_("L'événement de la ville auquel l'offre se rattache, s'il y en a un."),
    )
    # Where: a shop (the offer's own, by default), a venue with address and coordinates, or the centre.
    place_kind = models.CharField(
        _("lieu"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.VENUE
    )
    venue_name = models.CharField(_("nom du lieu"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # When: the first occurrence, on the event's time zone; the rule repeats it (RFC 5545 RRULE, without
    # DTSTART) and `exdates` lists the local start times it skips (ISO 8601, naive, on `timezone`).
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    timezone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")
    all_day = models.BooleanField(_("toute la journée"), default=False)
    rrule = models.CharField(_("récurrence"), max_length=255, blank=True)
    # Dates listed one by one instead of a rule (OpenAgenda's timings): [[local start, local end], …].
    timings = models.JSONField(_("dates"), default=list, blank=True)
    exdates = models.JSONField(_("dates exclues"), default=list, blank=True)
    # The end of the last occurrence (None: the rule never ends): an offer is over after it.
    last_ends_at = models.DateTimeField(_("fin de la dernière date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    previous_starts_at = models.DateTimeField(_("date prévue avant le report"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.DecimalField(
        _("prix à partir de"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_details = models.CharField(_("détail des tarifs"), max_length=250, blank=True)
    registration_url = models.URLField(_("lien d'inscription ou de réservation"), blank=True)
    accessibility = models.JSONField(_("accessibilité"), default=list, blank=True)
    accessibility_details = models.CharField(_("précisions sur l'accessibilité"), max_length=250, blank=True)
    audiences = models.JSONField(_("public"), default=list, blank=True)
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, default=Publication.PUBLISHED
    )
    rejection_reason = models.CharField(_("motif du refus"), max_length=250, blank=True)
    organiser_name = models.CharField(_("organisateur"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Imported events: where they come from and their UID there, so that a second import updates them.
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_uid = models.CharField(_("identifiant à la source"), max_length=255, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    # RFC 5545 SEQUENCE: raised at each change a calendar must notice (dates, status).
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=EventKind.values), name="event_kind_known"),
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="event_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(publication__in=Publication.values), name="event_publication_known"
            ),
            models.UniqueConstraint(
                fields=["town", "source", "source_uid"],
                condition=~models.Q(source_uid=""),
                name="event_source_uid_once",
            ),
        ]
        indexes = [
            models.Index(fields=["town", "publication", "kind"], name="event_town_publication"),
            models.Index(fields=["shop", "last_ends_at"], name="event_shop_last_end"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offer(self) -> bool:
        return self.shop_id is not None

    @property
    def has_entry_price(self) -> bool:
        return self.kind not in SHOPPING_KINDS


class EventPhoto(Photo):
    """The event's image (re-encoded, without EXIF, by `core.images`)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="photo")


class Occurrence(models.Model):
    """One date of an event, expanded from its rule up to a horizon; the agenda reads these rows."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "starts_at"], name="occurrence_once")]
        indexes = [
            models.Index(fields=["town", "ends_at", "starts_at"], name="occurrence_town_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.starts_at.isoformat()}"
