"""A producer's pages to bring lots in and out: a spreadsheet import, the DFC catalogue and its import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue.product_import import MAX_BYTES
from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise, Label

from . import dfc, lot_import


class _UploadForm(forms.Form):
    max_bytes = MAX_BYTES

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("Fichier trop lourd : %(size)s Mo au plus.") % {"size": self.max_bytes // 1024 // 1024}
            )
        return upload


class LotImportForm(_UploadForm):
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


class DfcImportForm(_UploadForm):
    max_bytes = dfc.MAX_BYTES
    file = forms.FileField(
        label=gettext_lazy("Catalogue DFC (JSON-LD)"),
        help_text=gettext_lazy("Fichier .jsonld ou .json de 5 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jsonld,.json,application/ld+json,application/json"}
        ),
    )


@require_http_methods(["GET", "POST"])
@enterprise_view(producer=True)
def lots_import(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = LotImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = lot_import.lot_import(
                enterprise=enterprise, content=upload.read(MAX_BYTES + 1), filename=upload.name or ""
            )
        except lot_import.ImportRefused as refused:
            form.add_error("file", refused.message)
    context = {
        "enterprise": enterprise,
        "form": form,
        "report": report,
        "categories": catalogue_selectors.product_categories(),
        "labels": Label.choices,
    }
    return render(request, "lots/import/lots_import.html", context, status=422 if form.errors else 200)


@require_GET
@enterprise_view(producer=True)
def import_template(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    response = HttpResponse(lot_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-lots.csv"'
    return response


@require_GET
@enterprise_view(producer=True)
def dfc_export(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    document_url = request.build_absolute_uri(request.path)
    body = dfc.catalogue_json(enterprise=enterprise, document_url=document_url)
    response = HttpResponse(body, content_type=f"{dfc.MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{enterprise.slug}.jsonld"'
    return response


@require_http_methods(["GET", "POST"])
@enterprise_view(producer=True)
def dfc_import(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = DfcImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = dfc.dfc_import(enterprise=enterprise, content=upload.read(dfc.MAX_BYTES + 1))
        except dfc.DfcRefused as refused:
            for message in refused.messages[:50]:
                form.add_error("file", message)
    context = {"enterprise": enterprise, "form": form, "report": report}
    return render(request, "lots/import/dfc_import.html", context, status=422 if form.errors else 200)
