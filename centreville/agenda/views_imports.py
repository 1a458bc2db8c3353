"""The town team's import of events: an iCalendar file or feed address, or an OpenAgenda export, queued for
the worker (`import_runs.py`), and the last imports with what became of their events (created, updated,
unchanged, left out and why).

The page refreshes itself while an import is waiting or running: htmx when there is JavaScript, a meta
refresh otherwise, and a « Rafraîchir » link in any case.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .import_runs import INTERRUPTED, import_run_launch, import_run_queue, is_address, recent_import_runs
from .importing import fetching
from .importing.base import AUTO, FORMATS, MAX_FILE_BYTES, ImportFailed, SourceFile
from .models import TOWN_KINDS, EventKind

# Imported events are published at once: the town team's, who publishes the town's events.
PERMISSION = "agenda.moderate"
# While an import waits or runs, the page asks again this often (seconds).
REFRESH_SECONDS = 5


class EventImportForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Fichier"),
        required=False,
        help_text=gettext_lazy(
            "Un calendrier iCalendar (.ics) ou un export d'événements OpenAgenda (.json)."
        ),
    )
    url = forms.CharField(
        label=gettext_lazy("ou adresse d'un agenda en ligne"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Commençant par https://, http:// ou webcal:// : par exemple l'adresse iCal publique d'un agenda "
            "Google ou de la mairie."
        ),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(AUTO, gettext_lazy("Reconnu à son contenu")), *FORMATS.items()],
        initial=AUTO,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type des événements sans catégorie connue"),
        choices=[(kind.value, kind.label) for kind in EventKind if kind in TOWN_KINDS],
        initial=EventKind.OTHER,
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if url and not is_address(url):
            raise ValidationError(
                gettext_lazy("Adresse non valable : elle doit commencer par https://, http:// ou webcal://.")
            )
        if url:
            try:
                fetching.check_address(url)
            except ImportFailed as error:
                raise ValidationError(str(error), code="address") from error
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, url = data.get("upload"), data.get("url")
        if bool(upload) == bool(url) and not self.errors:
            raise ValidationError(gettext_lazy("Envoyez un fichier ou donnez une adresse (l'un ou l'autre)."))
        if upload is not None and upload.size > MAX_FILE_BYTES:
            self.add_error(
                "upload",
                gettext_lazy("Le fichier dépasse %(size)s Mo.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            )
        return data

    def upload_source(self) -> SourceFile | None:
        upload = self.cleaned_data.get("upload")
        return SourceFile(upload.name or "", upload.read()) if upload else None


@require_http_methods(["GET", "POST"])
@space_view(permission=PERMISSION)
def import_events(request: HttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    now = timezone.now()
    form = EventImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_run_queue(
            town=town,
            actor=request.user,  # type: ignore[arg-type]
            at=now,
            file_format=form.cleaned_data["file_format"],
            default_kind=form.cleaned_data["kind"],
            upload=form.upload_source(),
            address=form.cleaned_data["url"],
        )
        import_run_launch(run=run)
        return redirect("agenda_manage:imports", town_slug=space.slug)
    runs = recent_import_runs(town=town, at=now)
    context = {
        "form": form,
        "runs": runs,
        "in_progress": any(line.in_progress for line in runs),
        "refresh_seconds": REFRESH_SECONDS,
        "interrupted": INTERRUPTED,
    }
    return render(request, "agenda/imports/index.html", context, status=422 if form.errors else 200)
