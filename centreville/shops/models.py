"""Independent shops of a town, their trade categories, the people who run them and their history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from centreville.core.models import Photo, TimeStampedModel
from centreville.towns.models import TownOwnedModel

from .hours import valid_expression
from .taxonomy import trade_name


def validate_opening_hours(value: str) -> None:
    """OpenStreetMap `opening_hours` syntax, as parsed by the opening-hours library."""
    if not valid_expression(value):
        raise ValidationError(
            gettext("Horaires illisibles : « %(value)s ». Exemple attendu : Mo-Sa 09:00-12:00,14:00-19:00"),
            params={"value": value},
            code="opening_hours",
        )


def validate_siret(value: str) -> None:
    """A SIRET number: 14 digits with a valid Luhn key (La Poste's establishments excepted, as INSEE does)."""
    from stdnum.fr import siret

    if not siret.is_valid(value):
        raise ValidationError(
            gettext(
                "« %(value)s » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle comprise)."
            ),
            params={"value": value},
            code="siret",
        )


class TradeCategory(TimeStampedModel):
    """A trade as people name it (« Boulangerie-pâtisserie »), mapped to the NAF codes it covers."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    naf_codes = models.JSONField(_("codes NAF"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de commerce")
        verbose_name_plural = _("catégories de commerce")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the current language: taxonomy trades are translated, the database keeps French."""
        return trade_name(self.name)


class ShopStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En attente de validation")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")
    HIDDEN = "hidden", _("Masqué")
    CLOSED = "closed", _("Fermé")


class ShopSource(models.TextChoices):
    MANUAL = "manual", _("Saisi sur la plateforme")
    OSM = "osm", _("Importé d'OpenStreetMap")
    SIRENE = "sirene", _("Importé du répertoire SIRENE")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Espèces")
    CARD = "card", _("Carte bancaire")
    CONTACTLESS = "contactless", _("Sans contact")
    CHEQUE = "cheque", _("Chèque")
    MEAL_VOUCHER = "meal_voucher", _("Titres-restaurant")
    GIFT_CARD = "gift_card", _("Chèque cadeau de la ville")


def validate_payment_methods(value: object) -> None:
    if not isinstance(value, list) or any(method not in PaymentMethod.values for method in value):
        raise ValidationError(gettext("Moyen de paiement inconnu."), code="payment_methods")


class Shop(TownOwnedModel):
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("adresse"), max_length=140)
    category = models.ForeignKey(
        TradeCategory, verbose_name=_("métier"), on_delete=models.PROTECT, related_name="shops"
    )
    description = models.TextField(_("description"), blank=True)
    street_address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Syntaxe OpenStreetMap, par exemple : Tu-Sa 09:00-12:30,14:00-19:00; PH off"),
    )
    # The hours as an import's source wrote them, when they had to be repaired or could not be read: kept
    # for the merchant and the manager to check (shops.imports.hours).
    opening_hours_raw = models.CharField(
        _("horaires d'origine (import)"),
        max_length=500,
        blank=True,
        help_text=_(
            "Horaires tels que la source les écrivait, quand il a fallu les corriger ou les mettre de côté."
        ),
    )
    phone = PhoneNumberField(_("téléphone"), region="FR", blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    facebook_url = models.URLField(_("page Facebook"), blank=True)
    instagram_url = models.URLField(_("compte Instagram"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    # Services offered
    offers_click_collect = models.BooleanField(_("retrait en boutique (Click & Collect)"), default=False)
    offers_delivery = models.BooleanField(_("livraison locale"), default=False)
    accessible_entrance = models.BooleanField(_("entrée accessible en fauteuil roulant"), default=False)
    payment_methods = models.JSONField(
        _("moyens de paiement"), default=list, blank=True, validators=[validate_payment_methods]
    )
    # Independence: chains and franchises are refused unless the town accepts them.
    is_independent = models.BooleanField(
        _("commerce indépendant"),
        default=True,
        help_text=_("Décoché si le commerce appartient à une chaîne ou à un réseau de franchise."),
    )
    network_name = models.CharField(_("enseigne ou réseau"), max_length=120, blank=True)
    independence_declared_at = models.DateTimeField(_("indépendance déclarée le"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ShopStatus.choices, default=ShopStatus.DRAFT
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    # Where the shop came from, and its identifier there (OSM "node/123", SIRET for SIRENE), for re-imports.
    source = models.CharField(
        _("origine"), max_length=10, choices=ShopSource.choices, default=ShopSource.MANUAL
    )
    osm_id = models.CharField(_("identifiant OpenStreetMap"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("commerce")
        verbose_name_plural = _("commerces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "slug"], name="shop_slug_unique_in_town"),
            models.UniqueConstraint(
                fields=["town", "osm_id"], condition=~models.Q(osm_id=""), name="shop_osm_id_unique_in_town"
            ),
            models.UniqueConstraint(
                fields=["town", "siret"], condition=~models.Q(siret=""), name="shop_siret_unique_in_town"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ShopStatus.values), name="shop_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "status", "name"], name="shop_town_status_name"),
            models.Index(fields=["town", "status", "-created_at"], name="shop_town_status_recent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == ShopStatus.PUBLISHED


class ShopMembership(TimeStampedModel):
    """Someone who runs a shop: several people can run one shop, one person several shops."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )

    class Meta:
        verbose_name = _("membre d'un commerce")
        verbose_name_plural = _("membres des commerces")
        constraints = [models.UniqueConstraint(fields=["shop", "user"], name="shop_member_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.shop}"


class ShopStatusChange(models.Model):
    """One step of a shop's life: who moved it from which status to which, when and why."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("ancien statut"), max_length=16, choices=ShopStatus.choices)
    to_status = models.CharField(_("nouveau statut"), max_length=16, choices=ShopStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.from_status} → {self.to_status}"


class ShopClosure(TimeStampedModel):
    """An exceptional closure (holidays, works, stock-taking), on top of the regular opening hours."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au (inclus)"))
    label = models.CharField(_("motif affiché"), max_length=120, blank=True)
    # Orders taken during the closure are collected after it: nobody accepts them before.
    takes_orders = models.BooleanField(
        _("prendre les commandes pendant la fermeture"),
        default=False,
        help_text=_(
            "Les clients commandent pendant la fermeture et retirent leur commande après la réouverture."
        ),
    )

    class Meta:
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="shop_closure_ends_after_start"
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": gettext("La fin de la fermeture précède son début.")})


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class ShopClaim(TimeStampedModel):
    """Someone asks to run a shop that has no member yet (imported from OpenStreetMap or SIRENE)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_claims")
    message = models.TextField(_("message au manager"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)

    class Meta:
        verbose_name = _("revendication de commerce")
        verbose_name_plural = _("revendications de commerce")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "user"], condition=models.Q(status="pending"), name="shop_claim_pending_once"
            )
        ]


class ShopPhoto(Photo):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("photo de commerce")
        verbose_name_plural = _("photos de commerce")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    INCOMPLETE = "incomplete", _("Terminé, fichier incomplet")
    FAILED = "failed", _("Échoué")


class ImportRun(TownOwnedModel):
    """One import of shops from a file (OpenStreetMap or SIRENE): its progress as it runs, then its report."""

    source = models.CharField(_("origine"), max_length=10, choices=ShopSource.choices)
    file_name = models.CharField(_("fichier"), max_length=255, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_read = models.PositiveIntegerField(_("éléments lus"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created = models.PositiveIntegerField(_("créés"), default=0)
    updated = models.PositiveIntegerField(_("mis à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangés"), default=0)
    merged = models.PositiveIntegerField(
        _("fusionnés"), default=0, help_text=_("Commerces déjà importés de l'autre source, complétés.")
    )
    skipped = models.PositiveIntegerField(_("ignorés"), default=0)
    warnings = models.PositiveIntegerField(_("avertissements"), default=0)
    # Skip reasons and warnings, grouped by code with a few examples (see shops.imports.common.ImportReport).
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de commerces")
        verbose_name_plural = _("imports de commerces")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {self.town_id} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.INCOMPLETE, ImportStatus.FAILED)


class ShopImportRecord(TimeStampedModel):
    """What the last import said about a shop, field by field: a re-import only changes the fields that
    still hold these values, so that what a merchant or the manager typed since is never overwritten."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="import_record")
    data = models.JSONField(default=dict)
    last_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("données importées d'un commerce")
        verbose_name_plural = _("données importées des commerces")
