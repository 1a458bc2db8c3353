"""Import a shop's products from a spreadsheet, and the sample file to start from."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from centreville.catalogue import product_import
from centreville.catalogue import selectors as catalogue_selectors
from centreville.core.http import HtmxHttpRequest
from centreville.shops.access import managed_shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .forms import ProductImportForm
from .views import SIGNED_IN


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="catalogue.add_product")
def products_import(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    form = ProductImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(product_import.MAX_BYTES + 1)
        try:
            report = product_import.product_import(shop=shop, content=content, filename=upload.name or "")
        except product_import.ImportRefused as refused:
            form.add_error("file", refused.message)
    context = {
        "shop": shop,
        "form": form,
        "report": report,
        "categories": catalogue_selectors.product_categories(),
    }
    return render(request, "merchants/product_import.html", context, status=422 if form.errors else 200)


@require_GET
@space_view(single_town=True, permission=SIGNED_IN)
def import_template(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    response = HttpResponse(product_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-produits.csv"'
    return response
