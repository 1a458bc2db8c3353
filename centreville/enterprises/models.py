"""Enterprises of the producers' exchange: producers (farms, craft food makers, cooperatives) and professional
buyers (restaurants, grocers, market traders, canteens, the showcase's shops), their people and places.

An enterprise belongs to no town: a producer serves a radius around its farm, and each town or territory
chooses the producers its space shows (`SpaceProducer`).
"""

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
from centreville.shops.models import validate_siret


def validate_vat_number(value: str) -> None:
    """A French intra-community VAT number (FR + key + SIREN) whose key matches its SIREN."""
    from stdnum.fr import tva

    if not tva.is_valid(value):
        raise ValidationError(
            gettext("« %(value)s » n'est pas un numéro de TVA intracommunautaire français valide."),
            params={"value": value},
            code="vat_number",
        )


class LegalForm(models.TextChoices):
    INDIVIDUAL = "ei", _("Entreprise individuelle (EI)")
    MICRO = "micro", _("Micro-entreprise")
    EARL = "earl", _("EARL")
    GAEC = "gaec", _("GAEC")
    SCEA = "scea", _("SCEA")
    SARL = "sarl", _("SARL")
    EURL = "eurl", _("EURL")
    SAS = "sas", _("SAS")
    SASU = "sasu", _("SASU")
    SA = "sa", _("SA")
    COOPERATIVE = "coop", _("Coopérative agricole")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    ASSOCIATION = "association", _("Association")
    PUBLIC = "public", _("Collectivité ou établissement public")


class VatRegime(models.TextChoices):
    """How an enterprise invoices VAT (the mentions its invoices carry follow from it)."""

    REGISTERED = "registered", _("Assujetti à la TVA")
    FRANCHISE = "franchise", _("Franchise en base (art. 293 B du CGI)")
    FLAT_RATE_FARMER = "flat_rate_farmer", _("Exploitant au remboursement forfaitaire agricole")


class Label(models.TextChoices):
    ORGANIC = "ab", _("Agriculture biologique (AB)")
    LABEL_ROUGE = "label_rouge", _("Label Rouge")
    AOP = "aop", _("AOP")
    IGP = "igp", _("IGP")
    STG = "stg", _("STG")
    HVE = "hve", _("Haute valeur environnementale (HVE)")
    FARM_PRODUCT = "fermier", _("Produit fermier")
    MOUNTAIN = "montagne", _("Produit de montagne")
    NATURE_PROGRES = "nature_progres", _("Nature & Progrès")
    BIENVENUE_FERME = "bienvenue_ferme", _("Bienvenue à la ferme")


# The labels EGalim counts as « durables et de qualité » (organic is counted on its own as well).
EGALIM_QUALITY_LABELS = frozenset(
    {Label.ORGANIC, Label.LABEL_ROUGE, Label.AOP, Label.IGP, Label.STG, Label.HVE, Label.FARM_PRODUCT,
     Label.MOUNTAIN}
)  # fmt: skip


def validate_labels(value: list[str]) -> None:
    unknown = [code for code in value if code not in Label.values]
    if unknown:
        raise ValidationError(
            gettext("Label inconnu : %(codes)s."), params={"codes": ", ".join(unknown)}, code="label"
        )


class BuyerCategory(models.TextChoices):
    """What kind of professional buys: producers may set a price per category."""

    RESTAURANT = "restaurant", _("Restaurant")
    GROCER = "grocer", _("Épicerie, commerce de bouche")
    MARKET_TRADER = "market_trader", _("Commerçant non sédentaire")
    CANTEEN = "canteen", _("Restauration collective")
    SHOP = "shop", _("Commerce du centre-ville")
    OTHER = "other", _("Autre professionnel")


class Enterprise(TimeStampedModel):
    """A producer, a professional buyer, or both (a cooperative that also buys)."""

    name = models.CharField(_("nom"), max_length=160)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    is_producer = models.BooleanField(_("vend ses produits"), default=False)
    is_buyer = models.BooleanField(_("achète en professionnel"), default=False)
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    legal_form = models.CharField(_("forme juridique"), max_length=16, choices=LegalForm.choices)
    # « RCS Alençon », « RM 61 », or blank for farms (which register with neither).
    registry = models.CharField(_("immatriculation (RCS ou RM)"), max_length=80, blank=True)
    share_capital = models.DecimalField(
        _("capital social (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    vat_regime = models.CharField(_("régime de TVA"), max_length=20, choices=VatRegime.choices)
    vat_number = models.CharField(
        _("numéro de TVA intracommunautaire"), max_length=13, blank=True, validators=[validate_vat_number]
    )
    description = models.TextField(_("présentation"), blank=True)
    street_address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("téléphone"), region="FR", blank=True)
    website = models.URLField(_("site web"), blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True, validators=[validate_labels])
    service_radius_km = models.PositiveSmallIntegerField(
        _("rayon servi (km)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("Les acheteurs plus loin ne voient pas vos lots."),
    )
    # A buyer's category sets the price lists it sees; a producer's is blank.
    buyer_category = models.CharField(
        _("type d'acheteur"), max_length=16, choices=BuyerCategory.choices, blank=True
    )
    prefers_delivery = models.BooleanField(_("préfère être livré"), default=False)
    delivery_address = models.CharField(_("adresse de livraison"), max_length=300, blank=True)
    delivery_postcode = models.CharField(_("code postal de livraison"), max_length=5, blank=True)
    delivery_city = models.CharField(_("commune de livraison"), max_length=120, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("délai de paiement (jours après la livraison)"),
        default=30,
        validators=[MaxValueValidator(60)],
        help_text=_("30 jours au plus pour les denrées périssables (article L441-11 du Code de commerce)."),
    )
    late_payment_rate = models.DecimalField(
        _("taux des pénalités de retard (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("12.00"),
        help_text=_("Au moins trois fois le taux d'intérêt légal."),
    )
    # A showcase shop buying with its own account: its members are the enterprise's.
    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.SET_NULL, null=True, blank=True, related_name="enterprise"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="enterprise_position")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_producer=True) | models.Q(is_buyer=True), name="enterprise_has_a_role"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_regime__in=VatRegime.values), name="enterprise_vat_regime_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def charges_vat(self) -> bool:
        return self.vat_regime == VatRegime.REGISTERED

    def clean(self) -> None:
        if self.vat_number and self.siret and self.vat_number[4:] != self.siren:
            raise ValidationError(
                {"vat_number": gettext("Le numéro de TVA ne correspond pas au SIREN de l'entreprise.")}
            )
        if self.vat_regime == VatRegime.REGISTERED and not self.vat_number:
            raise ValidationError(
                {"vat_number": gettext("Une entreprise assujettie à la TVA indique son numéro de TVA.")}
            )


class EnterprisePhoto(Photo):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("photo d'entreprise")
        verbose_name_plural = _("photos d'entreprise")


class EnterpriseMember(TimeStampedModel):
    """A person who acts for an enterprise: sells and invoices for a producer, orders for a buyer."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprises")
    is_owner = models.BooleanField(_("responsable"), default=False)

    class Meta:
        verbose_name = _("membre d'une entreprise")
        verbose_name_plural = _("membres d'une entreprise")
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="enterprise_member_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.enterprise}"


class PickupPlace(TimeStampedModel):
    """Where a producer hands over orders (the farm, a shed, a market stall), and when."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="pickup_places")
    name = models.CharField(_("nom"), max_length=120)
    street_address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The windows in OpenStreetMap's opening_hours syntax, as shops' hours are written (shops.hours).
    opening_hours = models.CharField(
        _("créneaux de retrait"),
        max_length=255,
        help_text=_("Par exemple « Tu,Fr 17:00-19:00; Sa 09:00-12:00 »."),
    )
    instructions = models.CharField(_("consignes"), max_length=300, blank=True)
    is_active = models.BooleanField(_("ouvert"), default=True)

    class Meta:
        verbose_name = _("lieu de retrait")
        verbose_name_plural = _("lieux de retrait")
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"


class SpaceProducer(TimeStampedModel):
    """A producer that a town's or a territory's space shows on its exchange, chosen by its team."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.CASCADE, null=True, blank=True, related_name="exchange_producers"
    )
    territory = models.ForeignKey(
        "towns.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="exchange_producers"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="spaces")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("producteur montré par un espace")
        verbose_name_plural = _("producteurs montrés par un espace")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(town__isnull=False, territory__isnull=True)
                | models.Q(town__isnull=True, territory__isnull=False),
                name="space_producer_one_space",
            ),
            models.UniqueConstraint(
                fields=["town", "enterprise"],
                condition=models.Q(town__isnull=False),
                name="town_producer_once",
            ),
            models.UniqueConstraint(
                fields=["territory", "enterprise"],
                condition=models.Q(territory__isnull=False),
                name="territory_producer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town or self.territory} — {self.enterprise}"
