"""Towns (communes) and territories (groups of towns sharing one space): the platform's tenants."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.audit import TownAudited
from centreville.core.models import TimeStampedModel

from . import validators

if TYPE_CHECKING:
    from .spaces import Space

DEFAULT_COLOUR = "#1d4e89"

_M = TypeVar("_M", bound=models.Model)


class TownScopedQuerySet(models.QuerySet[_M]):
    """The one place where a town's data is cut out of the whole platform's."""

    def for_town(self, town: Town) -> TownScopedQuerySet[_M]:
        return self.filter(town=town)

    def in_space(self, space: Space) -> TownScopedQuerySet[_M]:
        if len(space.town_ids) == 1:
            return self.filter(town_id=space.town_ids[0])
        return self.filter(town_id__in=space.town_ids)


class TownOwnedModel(TimeStampedModel):
    """Data that belongs to one town: always reached through `objects.for_town()` or `in_space()`."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="%(class)ss")

    objects: Any = TownScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Branding(models.Model):
    """Name, address and look shared by towns and territories."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(
        _("adresse"),
        max_length=60,
        unique=True,
        validators=[validators.validate_space_slug],
        help_text=_("Partie de l'adresse web, par exemple « argentan » pour /argentan/."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    brand_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[validators.validate_hex_colour],
    )
    welcome_text = models.TextField(_("texte d'accueil"), blank=True)
    is_published = models.BooleanField(_("en ligne"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # Towns and territories share the first segment of the URL, so a slug must be free in both.
        other_kind = Territory if isinstance(self, Town) else Town
        if self.slug and other_kind.objects.filter(slug=self.slug).exists():
            raise ValidationError(
                {"slug": gettext("Cette adresse est déjà prise par une autre ville ou un territoire.")}
            )


class Territory(Branding, TimeStampedModel):
    """Several towns that share one space (e.g. a community of communes), at /<slug>/."""

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]


class Town(TownAudited, Branding, TimeStampedModel):
    # What the town may have to justify: who it serves, where its centre is (delivery distances), its
    # clock (pickup slots), its contact and its policy on chains; not its looks.
    audited_fields = (
        "name",
        "is_published",
        "postcodes",
        "latitude",
        "longitude",
        "timezone",
        "contact_email",
        "allow_chains",
    )
    audit_town = "pk"

    insee_code = models.CharField(
        _("code INSEE"), max_length=5, unique=True, validators=[validators.validate_insee_code]
    )
    postcodes = models.JSONField(_("codes postaux"), default=list, validators=[validators.validate_postcodes])
    latitude = models.DecimalField(
        _("latitude du centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude du centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    centre_outline = models.JSONField(
        _("périmètre du centre-ville"),
        null=True,
        blank=True,
        validators=[validators.validate_outline],
        help_text=_("Géométrie GeoJSON (Polygon ou MultiPolygon) en longitude/latitude."),
    )
    timezone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[validators.validate_timezone]
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    allow_chains = models.BooleanField(
        _("accepter les chaînes et franchises"),
        default=False,
        help_text=_("Par défaut, seuls les commerces indépendants sont acceptés."),
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="towns",
    )

    class Meta:
        verbose_name = _("ville")
        verbose_name_plural = _("villes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="town_centre_on_earth",
            ),
        ]


class FeaturedShop(TownOwnedModel):
    """A shop the town team puts forward on the town's home page (« mise en avant »), in the order chosen."""

    shop = models.ForeignKey(
        "shops.Shop", verbose_name=_("commerce"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("commerce mis en avant")
        verbose_name_plural = _("commerces mis en avant")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["town", "shop"], name="featured_shop_once_per_town")]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.shop_id}"


class FeaturedProduct(TownOwnedModel):
    """A product the town team puts forward on the town's home page, in the order chosen."""

    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("produit"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("produit mis en avant")
        verbose_name_plural = _("produits mis en avant")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "product"], name="featured_product_once_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.product_id}"
