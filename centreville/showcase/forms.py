from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town


class FeaturedShopForm(forms.Form):
    shop = forms.ModelChoiceField(
        label=_("Commerce à mettre en avant"),
        queryset=Shop.objects.none(),
        error_messages={"invalid_choice": _("Ce commerce n'est pas un commerce publié de la ville.")},
    )

    def __init__(self, *args: Any, town: Town, choices: list[Shop] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shop"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Shop.objects.for_town(town).filter(status=ShopStatus.PUBLISHED)
        field.empty_label = _("Choisissez un commerce")
        if choices is not None:  # only those not chosen yet, named with their trade
            field.choices = [("", field.empty_label), *((shop.pk, _shop_label(shop)) for shop in choices)]


def _shop_label(shop: Shop) -> str:
    return f"{shop.name} ({shop.category.display_name})"


class FeaturedProductForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Ce produit n'est pas un produit visible de la ville.")},
    )

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Product.objects.for_town(town).select_related("shop")


class ProductSearchForm(forms.Form):
    produit = forms.CharField(label=_("Chercher un produit par son nom"), max_length=100, required=False)
