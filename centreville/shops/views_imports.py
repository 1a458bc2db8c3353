"""The import page of the town manager: upload a file, follow the import, read the report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from centreville.core.http import HtmxHttpRequest
from centreville.core.request_guard import allow_request_body
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .imports import runs
from .imports.common import SKIP_REASONS, WARNINGS, report_groups
from .models import ImportRun, ShopSource

RECENT_RUNS = 10


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Origine du fichier"),
        choices=[
            (ShopSource.OSM, gettext_lazy("OpenStreetMap (export GeoJSON)")),
            (ShopSource.SIRENE, gettext_lazy("Répertoire SIRENE (CSV des établissements)")),
        ],
        widget=forms.RadioSelect,
        initial=ShopSource.OSM,
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "OpenStreetMap : export GeoJSON d'overpass turbo (.geojson). SIRENE : fichier des établissements "
            "(StockEtablissement ou extrait), en CSV, éventuellement compressé (.gz, .zip)."
        ),
    )

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and data.get("source"):
            # Reading the start of the file tells at once whether it is of the chosen kind.
            try:
                runs.reader_for(data["source"], upload, town=self.town)
            except runs.ImportFailed as error:
                self.add_error("file", str(error))
            upload.seek(0)
        return data


def _keep_upload(upload: Any) -> Path:
    """A copy of the uploaded file that outlives the request, for the background import to read."""
    with tempfile.NamedTemporaryFile(prefix="centreville-import-", delete=False) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return Path(copy.name)


@allow_request_body("MAX_IMPORT_BODY_BYTES")
@require_http_methods(["GET", "POST"])
@space_view(permission="towns.change_town")
def import_index(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    form = ImportForm(request.POST or None, request.FILES or None, town=town)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = runs.import_run_start(
                town=town,
                source=form.cleaned_data["source"],
                file_name=upload.name,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            runs.import_run_launch(run=run, path=_keep_upload(upload))
            return redirect("shops_imports:run", town_slug=space.slug, run_id=run.pk)
    recent = ImportRun.objects.for_town(town).select_related("started_by")[:RECENT_RUNS]
    return render(request, "shops/imports/index.html", {"form": form, "runs": recent})


@space_view(permission="towns.change_town")
def import_run(request: HtmxHttpRequest, space: Space, run_id: int) -> HttpResponse:
    assert space.town is not None
    run = ImportRun.objects.for_town(space.town).select_related("started_by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    report = run.report or {}
    context = {
        "run": run,
        "skipped_groups": report_groups(
            report.get("skipped", {}), report.get("skipped_examples", {}), SKIP_REASONS
        ),
        "warning_groups": report_groups(
            report.get("warnings", {}), report.get("warning_examples", {}), WARNINGS
        ),
    }
    template = "shops/imports/_run.html" if request.htmx else "shops/imports/run.html"
    return render(request, template, context)
