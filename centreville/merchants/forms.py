"""Forms of the merchant back-office: they read and check input; services do the writing."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.catalogue.forms import EuroField, StockField
from centreville.catalogue.models import ProductCategory
from centreville.catalogue.photos import MAX_PRODUCT_PHOTOS, NewPhoto
from centreville.catalogue.product_import import MAX_BYTES
from centreville.catalogue.services import VariantInput
from centreville.core import images
from centreville.shops.forms_hours import WeeklyHoursMixin
from centreville.shops.models import PaymentMethod, Shop, ShopClosure

OPENING_HOURS_HELP = gettext_lazy(
    "Jours en abrégé anglais (Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, "
    "Su dimanche), puis les heures. Séparez les plages d'une virgule et les règles d'un point-virgule. "
    "Laissez vide si vous ne savez pas."
)
# (what to type, what it means): shown under the field, each example ready to copy.
OPENING_HOURS_EXAMPLES = (
    ("Mo-Sa 09:00-19:00", gettext_lazy("du lundi au samedi, de 9 h à 19 h")),
    ("Tu-Sa 09:00-12:30,14:00-19:00", gettext_lazy("du mardi au samedi, fermé entre midi et deux")),
    (
        "Tu-Fr 09:00-19:00; Sa 09:00-17:00; Su 09:00-12:30",
        gettext_lazy("horaires différents le samedi, ouvert le dimanche matin"),
    ),
    ("Mo-Sa 08:00-20:00; PH off", gettext_lazy("fermé les jours fériés")),
)
INDEPENDENCE_CHOICES = (
    ("yes", gettext_lazy("Mon commerce est indépendant")),
    ("no", gettext_lazy("Mon commerce fait partie d'une chaîne, d'une franchise ou d'un réseau")),
)


def _shop_formfield(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ShopForm(WeeklyHoursMixin, forms.ModelForm):
    """Everything a merchant says about their shop; the workflow fields are not here. Opening hours are
    typed day by day, or as an OpenStreetMap expression for the rare cases a table cannot hold."""

    # Wider than the 14 digits: people copy it with spaces (« 732 829 320 00074 »).
    siret = forms.CharField(
        label=gettext_lazy("SIRET"),
        max_length=24,
        required=False,
        help_text=gettext_lazy("14 chiffres, sur vos factures ou sur annuaire-entreprises.data.gouv.fr."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    payment_methods = forms.MultipleChoiceField(
        label=gettext_lazy("Moyens de paiement acceptés"),
        choices=PaymentMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    independence = forms.ChoiceField(
        label=gettext_lazy("Indépendance"),
        choices=INDEPENDENCE_CHOICES,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "La plateforme met en avant les commerces indépendants ; une chaîne n'y est acceptée que si la "
            "ville l'a décidé."
        ),
    )

    class Meta:
        model = Shop
        formfield_callback = _shop_formfield
        fields = [
            "name",
            "category",
            "description",
            "street_address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "email",
            "website",
            "facebook_url",
            "instagram_url",
            "siret",
            "offers_click_collect",
            "offers_delivery",
            "accessible_entrance",
            "network_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "opening_hours": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "facebook_url": forms.URLInput(attrs={"placeholder": "https://www.facebook.com/…"}),
            "instagram_url": forms.URLInput(attrs={"placeholder": "https://www.instagram.com/…"}),
        }
        help_texts = {
            "name": gettext_lazy("Le nom sur votre vitrine."),
            "latitude": gettext_lazy(
                "Facultatif. Dans une application de carte, un appui long sur votre vitrine affiche ces "
                "deux nombres."
            ),
            "longitude": gettext_lazy("Facultatif, avec la latitude."),
            "opening_hours": OPENING_HOURS_HELP,
            "network_name": gettext_lazy(
                "Seulement si votre commerce fait partie d'une chaîne ou d'un réseau."
            ),
        }
        labels = {
            "category": gettext_lazy("Métier"),
            "street_address": gettext_lazy("Adresse (numéro et rue)"),
            "latitude": gettext_lazy("Latitude"),
            "longitude": gettext_lazy("Longitude"),
            "network_name": gettext_lazy("Nom de la chaîne ou du réseau"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.empty_label = _("— Choisissez votre métier —")
        for name in ("latitude", "longitude"):
            self.fields[name].localize = True
        if not self.is_bound:
            self.initial["independence"] = "yes" if self.instance.is_independent else "no"
            self.initial["payment_methods"] = list(self.instance.payment_methods or [])
        self.fields["opening_hours"].label = _("Horaires au format OpenStreetMap")
        self.add_week_fields()

    def clean_siret(self) -> str:
        return "".join(str(self.cleaned_data.get("siret") or "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        independent = cleaned.get("independence") == "yes"
        if cleaned.get("independence") == "no" and not cleaned.get("network_name"):
            self.add_error("network_name", _("Indiquez le nom de la chaîne ou du réseau."))
        if independent:
            cleaned["network_name"] = ""
        self.clean_week(cleaned)
        return cleaned

    def shop_fields(self) -> dict[str, Any]:
        """What to hand to shop_create / shop_update."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields or ()}
        fields["payment_methods"] = list(self.cleaned_data["payment_methods"])
        fields["is_independent"] = self.cleaned_data["independence"] == "yes"
        return fields


class ClosureForm(forms.ModelForm):
    class Meta:
        model = ShopClosure
        fields = ["start_date", "end_date", "label", "takes_orders"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "label": forms.TextInput(attrs={"placeholder": gettext_lazy("Congés d'été")}),
        }
        help_texts = {"label": gettext_lazy("Facultatif : ce que verront vos clients.")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin de la fermeture précède son début."))
        return cleaned


class ProductForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=160)
    price = EuroField(label=gettext_lazy("Prix (€)"), help_text=gettext_lazy("Par exemple : 12,50"))
    stock = StockField(label=gettext_lazy("Stock"))
    is_visible = forms.BooleanField(
        label=gettext_lazy("Visible sur la vitrine"), required=False, initial=True
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Catégorie"),
        queryset=ProductCategory.objects.order_by("position", "name"),
        required=False,
        empty_label=gettext_lazy("— Aucune —"),
    )
    reference = forms.CharField(
        label=gettext_lazy("Référence"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Facultatif : votre code article, utile pour les imports de tableur."),
    )


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one input: a list, empty when none was chosen."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files if item]


class NewProductPhotosForm(forms.Form):
    """A new product's first photos, from the phone's library or its camera, checked before anything is saved.

    Every file is decoded and re-encoded here (images.process_upload), so that a refused one is explained
    beside the field while the product is not created yet and what was typed stays in the form.
    """

    photos = MultiplePhotoField(
        label=gettext_lazy("Photos du produit"),
        required=False,
        help_text=gettext_lazy(
            "Facultatif. Une ou plusieurs photos de votre galerie ou de votre ordinateur : JPEG, PNG ou "
            "WebP, 10 Mo au plus chacune."
        ),
        widget=MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True}),
        error_messages={"empty": gettext_lazy("Le fichier envoyé est vide.")},
    )
    # `capture` opens the phone's camera straight away; computers ignore it and offer a file.
    camera = forms.FileField(
        label=gettext_lazy("Ou prenez la photo maintenant"),
        required=False,
        help_text=gettext_lazy("Sur un téléphone, l'appareil photo s'ouvre directement."),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"empty": gettext_lazy("Le fichier envoyé est vide.")},
    )
    photo_alt = forms.CharField(
        label=gettext_lazy("Que montrent les photos ?"),
        required=False,
        max_length=images.MAX_ALT_TEXT,
        help_text=gettext_lazy(
            "Facultatif, pour les personnes qui ne voient pas l'image. Laissé vide : le titre du produit."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.processed: list[images.ProcessedImage] = []
        chosen = [("photos", upload) for upload in cleaned.get("photos") or []]
        if cleaned.get("camera"):
            chosen.append(("camera", cleaned["camera"]))
        if len(chosen) > MAX_PRODUCT_PHOTOS:
            self.add_error(
                "photos",
                _("%(count)s photos choisies : %(max)s au plus pour un produit.")
                % {"count": len(chosen), "max": MAX_PRODUCT_PHOTOS},
            )
            return cleaned
        for field, upload in chosen:
            try:
                self.processed.append(images.process_upload(upload))
            except ValidationError as error:
                for message in error.messages:
                    self.add_error(
                        field, _("« %(name)s » : %(error)s") % {"name": upload.name, "error": message}
                    )
        return cleaned

    def new_photos(self, title: str) -> list[NewPhoto]:
        """The checked photos, described by what the merchant wrote, or else by the product's title."""
        alt_text = self.cleaned_data.get("photo_alt") or title
        return [NewPhoto(processed=processed, alt_text=alt_text) for processed in self.processed]


class VariantForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(
        label=gettext_lazy("Libellé"), max_length=80, help_text=gettext_lazy("Par exemple : Taille M, bleu")
    )
    size = forms.CharField(label=gettext_lazy("Taille"), max_length=40, required=False)
    colour = forms.CharField(label=gettext_lazy("Couleur"), max_length=40, required=False)
    price = EuroField(
        label=gettext_lazy("Prix de la variante (€)"),
        required=False,
        help_text=gettext_lazy("Vide : prix du produit."),
    )
    stock = StockField(label=gettext_lazy("Stock de la variante"))


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            label = " ".join(str(form.cleaned_data.get("label") or "").split()).casefold()
            if label and label in seen:
                raise ValidationError(
                    _("Deux variantes s'appellent « %(label)s » : donnez-leur des libellés différents.")
                    % {"label": form.cleaned_data["label"]}
                )
            seen.add(label)

    def variant_inputs(self) -> list[VariantInput]:
        items = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (not form.has_changed() and not data.get("id")):
                continue
            items.append(
                VariantInput(
                    id=data.get("id"),
                    label=data.get("label") or "",
                    size=data.get("size") or "",
                    colour=data.get("colour") or "",
                    price=data.get("price"),
                    stock=data.get("stock"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return items


VariantFormSet = cast(
    type[BaseVariantFormSet],
    forms.formset_factory(
        VariantForm, formset=BaseVariantFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
    ),
)


class ProductImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou Excel (.xlsx)"),
        help_text=gettext_lazy("2 Mo et 5 000 lignes au plus."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Fichier trop lourd : 2 Mo au plus. Découpez-le en plusieurs fichiers."))
        return upload


VISIBILITY_CHOICES = (
    ("", gettext_lazy("Tous")),
    ("visibles", gettext_lazy("Visibles")),
    ("masques", gettext_lazy("Masqués")),
)
VISIBILITY_FILTERS = {"visibles": "visible", "masques": "hidden"}


class ProductSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Rechercher"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": gettext_lazy("Titre ou référence")}),
    )
    visibilite = forms.ChoiceField(label=gettext_lazy("Afficher"), choices=VISIBILITY_CHOICES, required=False)


class QuickStockForm(forms.Form):
    stock = StockField(label=gettext_lazy("Stock"))


class QuickAdjustForm(forms.Form):
    delta = forms.TypedChoiceField(choices=(("-1", "-1"), ("1", "+1")), coerce=int)


class QuickPriceForm(forms.Form):
    price = EuroField(
        label=gettext_lazy("Prix (€)"), error_messages={"required": gettext_lazy("Indiquez un prix.")}
    )


class QuickVisibilityForm(forms.Form):
    is_visible = forms.TypedChoiceField(choices=(("1", "1"), ("0", "0")), coerce=lambda value: value == "1")
