"""Products that shops show and sell, their categories, variants and photos."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.audit import TownAudited
from centreville.core.models import Photo, TimeStampedModel
from centreville.towns.models import TownOwnedModel

from .taxonomy import product_category_name


class ProductCategory(TimeStampedModel):
    """A shelf people look for across shops (« Épicerie », « Livres »…): one platform-wide list."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de produit")
        verbose_name_plural = _("catégories de produit")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the current language: the platform's list is translated, the database keeps French."""
        return product_category_name(self.name)


class Product(TownAudited, TownOwnedModel):
    # A price change is history; products and their first price come and go with the merchants' imports.
    audited_fields = ("price",)
    audit_creations = False

    shop = models.ForeignKey(
        "shops.Shop", verbose_name=_("commerce"), on_delete=models.CASCADE, related_name="products"
    )
    title = models.CharField(_("titre"), max_length=160)
    slug = models.SlugField(_("adresse"), max_length=180)
    reference = models.CharField(
        _("référence"),
        max_length=64,
        blank=True,
        help_text=_("Votre code article, pour les imports de tableur."),
    )
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("catégorie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
    )
    # Euros as a decimal: prices are never floats.
    price = models.DecimalField(_("prix (€)"), max_digits=10, decimal_places=2)
    stock = models.IntegerField(
        _("stock"), null=True, blank=True, help_text=_("Laisser vide pour « sur demande ».")
    )
    is_visible = models.BooleanField(_("visible"), default=True)

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slug"], name="product_slug_unique_in_shop"),
            models.UniqueConstraint(
                fields=["shop", "reference"],
                condition=~models.Q(reference=""),
                name="product_reference_unique",
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0),
                name="product_stock_not_negative",
            ),
        ]
        indexes = [
            # A town's visible products, newest first (home page).
            models.Index(
                fields=["town", "-updated_at"],
                condition=models.Q(is_visible=True),
                name="product_town_visible_recent",
            ),
            models.Index(fields=["shop", "is_visible", "title"], name="product_shop_visible_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.shop_id and self.town_id and self.shop.town_id != self.town_id:
            raise ValidationError(gettext("Un produit appartient à la ville de son commerce."))

    @property
    def is_on_request(self) -> bool:
        return self.stock is None

    @property
    def is_available(self) -> bool:
        return self.stock is None or self.stock > 0


class ProductVariant(TownAudited, TimeStampedModel):
    """A size, colour or other option of a product, with its own stock and, if it differs, its own price."""

    audited_fields = ("price",)
    audit_town = "product.town_id"
    audit_creations = False

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(_("libellé"), max_length=80, help_text=_("Par exemple : Taille M, bleu marine"))
    size = models.CharField(_("taille"), max_length=40, blank=True)
    colour = models.CharField(_("couleur"), max_length=40, blank=True)
    price = models.DecimalField(
        _("prix (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : prix du produit."),
    )
    stock = models.IntegerField(_("stock"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("variante")
        verbose_name_plural = _("variantes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "label"], name="variant_label_unique_in_product"),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="variant_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0),
                name="variant_stock_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.label}"


class ProductPhoto(Photo):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("photo de produit")
        verbose_name_plural = _("photos de produit")
