"""Merchant pages for the photos of a shop and of its products: list, add, describe, reorder, remove.

Plain forms and redirects, so every step works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from centreville.catalogue import photos as product_photos
from centreville.catalogue.models import Product
from centreville.core.images import MAX_ALT_TEXT
from centreville.core.models import Photo
from centreville.shops import photos as shop_photos
from centreville.shops import selectors as shop_selectors
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .access import count_update, managed_product
from .views import SIGNED_IN

ALT_TEXT_LABEL = gettext_lazy("Que montre la photo ?")
ALT_TEXT_HELP = gettext_lazy(
    "En quelques mots, pour les personnes qui ne voient pas l'image. "
    "Par exemple : « La vitrine avec les baguettes du jour »."
)


class PhotoUploadForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy(
            "JPEG, PNG ou WebP, 10 Mo au plus. Sur un téléphone, vous pouvez prendre la photo tout de suite."
        ),
        # No `capture` attribute: phones then offer both the camera and the photo library.
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        error_messages={
            "required": gettext_lazy("Choisissez une photo à envoyer."),
            "empty": gettext_lazy("Le fichier envoyé est vide."),
        },
    )
    alt_text = forms.CharField(
        label=ALT_TEXT_LABEL,
        help_text=ALT_TEXT_HELP,
        max_length=MAX_ALT_TEXT,
        error_messages={"required": gettext_lazy("Dites en quelques mots ce que montre la photo.")},
    )


class PhotoAltTextForm(forms.Form):
    alt_text = forms.CharField(
        label=ALT_TEXT_LABEL,
        max_length=MAX_ALT_TEXT,
        error_messages={"required": gettext_lazy("Dites en quelques mots ce que montre la photo.")},
    )


@dataclass
class _Gallery:
    """The photos of one shop or one product, and what can be done with them."""

    space: Space
    shop: Shop
    product: Product | None
    photos: list[Any]
    limit: int
    add: Callable[[File[bytes], str], Photo]
    update: Callable[[Any, str], Photo]
    move: Callable[[Any, int], object]
    remove: Callable[[Any], None]
    kind: str = field(init=False)

    def __post_init__(self) -> None:
        self.kind = "shop" if self.product is None else "product"

    @property
    def owner_name(self) -> str:
        return self.product.title if self.product is not None else self.shop.name

    def url(self, action: str, photo: Photo | None = None) -> str:
        args: list[Any] = [self.space.slug, self.shop.slug]
        if self.product is not None:
            args.append(self.product.slug)
        if photo is not None:
            args.append(photo.pk)
        return reverse(f"merchants:{self.kind}_{action}", args=args)

    def photo(self, photo_id: int) -> Any:
        for photo in self.photos:
            if photo.pk == photo_id:
                return photo
        raise Http404


def _shop_gallery(request: HttpRequest, space: Space, shop_slug: str) -> _Gallery:
    assert space.town is not None
    shop = managed_shop(request, space, shop_slug)
    return _Gallery(
        space=space,
        shop=shop,
        product=None,
        photos=shop_photos.shop_photo_list(shop),
        limit=shop_photos.MAX_SHOP_PHOTOS,
        add=lambda upload, alt_text: shop_photos.shop_photo_add(shop=shop, upload=upload, alt_text=alt_text),
        update=lambda photo, alt_text: shop_photos.shop_photo_update(photo=photo, alt_text=alt_text),
        move=lambda photo, offset: shop_photos.shop_photo_move(photo=photo, offset=offset),
        remove=lambda photo: shop_photos.shop_photo_remove(photo=photo),
    )


def _product_gallery(request: HttpRequest, space: Space, shop_slug: str, product_slug: str) -> _Gallery:
    assert space.town is not None
    shop = shop_selectors.town_shop_by_slug(space.town, shop_slug)
    if shop is None:
        raise Http404
    product = managed_product(request, shop, product_slug)
    product.shop = shop
    return _Gallery(
        space=space,
        shop=shop,
        product=product,
        photos=product_photos.product_photo_list(product),
        limit=product_photos.MAX_PRODUCT_PHOTOS,
        add=lambda upload, alt_text: product_photos.product_photo_add(
            product=product, upload=upload, alt_text=alt_text
        ),
        update=lambda photo, alt_text: product_photos.product_photo_update(photo=photo, alt_text=alt_text),
        move=lambda photo, offset: product_photos.product_photo_move(photo=photo, offset=offset),
        remove=lambda photo: product_photos.product_photo_remove(photo=photo),
    )


# --- The handlers, shared by shops and products --------------------------------------------------------


def _page(
    request: HttpRequest,
    gallery: _Gallery,
    *,
    upload_form: PhotoUploadForm | None = None,
    failed: tuple[int, PhotoAltTextForm] | None = None,
) -> HttpResponse:
    items = []
    for index, photo in enumerate(gallery.photos):
        if failed is not None and failed[0] == photo.pk:
            alt_form = failed[1]
        else:
            alt_form = PhotoAltTextForm(initial={"alt_text": photo.alt_text}, prefix=f"photo-{photo.pk}")
        items.append(
            {
                "photo": photo,
                "number": index + 1,
                "alt_form": alt_form,
                "update_url": gallery.url("photo_update", photo),
                "move_url": gallery.url("photo_move", photo),
                "remove_url": gallery.url("photo_remove", photo),
            }
        )
    can_add = len(gallery.photos) < gallery.limit
    context = {
        "gallery": gallery,
        "shop": gallery.shop,
        "items": items,
        "can_add": can_add,
        "form": upload_form or PhotoUploadForm(),
        "public_url": _public_url(gallery),
    }
    return render(request, "merchants/photos.html", context)


def _public_url(gallery: _Gallery) -> str:
    if gallery.product is None and gallery.shop.is_public:
        return reverse("catalogue:shop", args=[gallery.space.slug, gallery.shop.slug])
    return ""


def _list_or_add(request: HttpRequest, gallery: _Gallery) -> HttpResponse:
    if request.method != "POST":
        return _page(request, gallery)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            gallery.add(form.cleaned_data["upload"], form.cleaned_data["alt_text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count_update(gallery.shop)
            messages.success(request, _("La photo est ajoutée."))
            return redirect(gallery.url("photos"))
    return _page(request, gallery, upload_form=form)


def _update(request: HttpRequest, gallery: _Gallery, photo_id: int) -> HttpResponse:
    photo = gallery.photo(photo_id)
    form = PhotoAltTextForm(request.POST, prefix=f"photo-{photo.pk}")
    if form.is_valid():
        try:
            gallery.update(photo, form.cleaned_data["alt_text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count_update(gallery.shop)
            messages.success(request, _("La description de la photo est enregistrée."))
            return redirect(f"{gallery.url('photos')}#photo-{photo.pk}")
    return _page(request, gallery, failed=(photo.pk, form))


def _move(request: HttpRequest, gallery: _Gallery, photo_id: int) -> HttpResponse:
    photo = gallery.photo(photo_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, _("Déplacement inconnu : choisissez « Monter » ou « Descendre »."))
    else:
        gallery.move(photo, offset)
        count_update(gallery.shop)
        messages.success(request, _("La photo est déplacée."))
    return redirect(f"{gallery.url('photos')}#photo-{photo.pk}")


def _remove(request: HttpRequest, gallery: _Gallery, photo_id: int) -> HttpResponse:
    photo = gallery.photo(photo_id)
    if request.method == "POST":
        gallery.remove(photo)
        count_update(gallery.shop)
        messages.success(request, _("La photo est retirée."))
        return redirect(gallery.url("photos"))
    context = {"gallery": gallery, "photo": photo, "cancel_url": f"{gallery.url('photos')}#photo-{photo.pk}"}
    return render(request, "merchants/photos_remove.html", context)


# --- Entry points ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_photos_page(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    return _list_or_add(request, _shop_gallery(request, space, shop_slug))


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_photo_update(request: HttpRequest, space: Space, shop_slug: str, photo_id: int) -> HttpResponse:
    return _update(request, _shop_gallery(request, space, shop_slug), photo_id)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_photo_move(request: HttpRequest, space: Space, shop_slug: str, photo_id: int) -> HttpResponse:
    return _move(request, _shop_gallery(request, space, shop_slug), photo_id)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_photo_remove(request: HttpRequest, space: Space, shop_slug: str, photo_id: int) -> HttpResponse:
    return _remove(request, _shop_gallery(request, space, shop_slug), photo_id)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def product_photos_page(
    request: HttpRequest, space: Space, shop_slug: str, product_slug: str
) -> HttpResponse:
    return _list_or_add(request, _product_gallery(request, space, shop_slug, product_slug))


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def product_photo_update(
    request: HttpRequest, space: Space, shop_slug: str, product_slug: str, photo_id: int
) -> HttpResponse:
    return _update(request, _product_gallery(request, space, shop_slug, product_slug), photo_id)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def product_photo_move(
    request: HttpRequest, space: Space, shop_slug: str, product_slug: str, photo_id: int
) -> HttpResponse:
    return _move(request, _product_gallery(request, space, shop_slug, product_slug), photo_id)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def product_photo_remove(
    request: HttpRequest, space: Space, shop_slug: str, product_slug: str, photo_id: int
) -> HttpResponse:
    return _remove(request, _product_gallery(request, space, shop_slug, product_slug), photo_id)
