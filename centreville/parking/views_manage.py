"""The town team's parking page: its car parks (import of the national file, hours, feed identifiers) and
its live feeds (add, change, enable; how their last polls went)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.forms import add_service_error
from centreville.core.http import HtmxHttpRequest
from centreville.core.request_guard import allow_request_body
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors, services
from .csv_import import ImportFailed, ImportReport, import_car_parks
from .forms import CarParkImportForm, CarParkSettingsForm, FeedForm
from .models import CarPark, Feed

PERMISSION = "parking.manage_car_parks"


def _town(space: Space) -> Any:
    assert space.town is not None
    return space.town


def _index(
    request: HtmxHttpRequest,
    space: Space,
    *,
    import_form: CarParkImportForm | None = None,
    report: ImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    town = _town(space)
    now = timezone.now()
    context = {
        "car_parks": selectors.managed_car_parks(town, at=now),
        "feeds": selectors.town_feeds(town, at=now),
        "import_form": import_form or CarParkImportForm(),
        "report": report,
    }
    return render(request, "parking/manage/index.html", context, status=status)


@require_safe
@space_view(permission=PERMISSION)
def index(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    return _index(request, space)


@allow_request_body("MAX_IMPORT_BODY_BYTES")
@require_POST
@space_view(permission=PERMISSION)
def import_file(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    form = CarParkImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, space, import_form=form, status=422)
    try:
        report = import_car_parks(town=_town(space), data=form.cleaned_data["file"])
    except ImportFailed as error:
        form.add_error("file", str(error))
        return _index(request, space, import_form=form, status=422)
    return _index(request, space, report=report)


@require_http_methods(["GET", "POST"])
@space_view(permission=PERMISSION)
def feed_edit(request: HtmxHttpRequest, space: Space, feed_id: int | None = None) -> HttpResponse:
    town = _town(space)
    feed = None
    if feed_id is not None:
        feed = Feed.objects.for_town(town).filter(pk=feed_id).first()
        if feed is None:
            raise Http404
    form = FeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid():
        try:
            services.feed_save(town=town, feed=feed, data=form.feed_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le flux est enregistré ; il sera lu au prochain passage."))
            return redirect("parking_manage:index", town_slug=space.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "parking/manage/feed_form.html", {"form": form, "feed": feed}, status=status)


@require_http_methods(["GET", "POST"])
@space_view(permission=PERMISSION)
def car_park_edit(request: HtmxHttpRequest, space: Space, car_park_id: int) -> HttpResponse:
    car_park = CarPark.objects.for_town(_town(space)).filter(pk=car_park_id).first()
    if car_park is None:
        raise Http404
    form = CarParkSettingsForm(request.POST or None, instance=car_park)
    if request.method == "POST" and form.is_valid():
        try:
            services.car_park_settings_save(
                car_park=CarPark.objects.get(pk=car_park.pk),
                opening_hours=form.cleaned_data["opening_hours"],
                feed_ref=form.cleaned_data["feed_ref"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Le parking est enregistré."))
            return redirect("parking_manage:index", town_slug=space.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "parking/manage/car_park_form.html", {"form": form, "car_park": car_park}, status=status
    )
