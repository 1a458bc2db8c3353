"""The town team's import of events: an iCalendar file or feed address, or an OpenAgenda export, and the
report of what became of each event (created, updated or skipped, and why).

The import runs within the request: a town's calendar is read and written in well under a second.
"""

from __future__ import annotations

from typing import Any

import httpx
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from .importing.base import AUTO, FORMATS, MAX_FILE_BYTES, ImportFailed, SourceFile
from .importing.fetching import fetch
from .importing.storing import import_file
from .models import TOWN_KINDS, EventKind

# Imported events are published at once: the town team's, who publishes the town's events.
PERMISSION = "agenda.moderate"


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


def _source(form: EventImportForm) -> SourceFile:
    upload = form.cleaned_data.get("upload")
    if upload:
        return SourceFile(upload.name or "", upload.read())
    return fetch(form.cleaned_data["url"], transport=FETCH_TRANSPORT)


# Tests replace the network here (an httpx transport); None is the network.
FETCH_TRANSPORT: httpx.BaseTransport | None = None


@require_http_methods(["GET", "POST"])
@space_view(permission=PERMISSION)
def import_events(request: HttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    form = EventImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_file(
                town=town,
                source=_source(form),
                file_format=form.cleaned_data["file_format"],
                default_kind=form.cleaned_data["kind"],
                actor=request.user,  # type: ignore[arg-type]
                at=timezone.now(),
            )
        except ImportFailed as error:
            form.add_error(None, str(error))
    context = {"form": form, "report": report}
    return render(request, "agenda/imports/index.html", context, status=422 if form.errors else 200)
