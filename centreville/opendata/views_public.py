"""The town's open data, for anyone and any program: the page listing the datasets, their catalogue, their
Table Schemas and their files.

The page is served from the page cache like the town's other public pages. Files are streamed as they are
written (never cached whole) and carry their own HTTP caching: an ETag and a Last-Modified that change when
the data does, so that a harvester's daily check costs a 304 and two small queries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import TypeVar, cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.pagecache import cached_town_page
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import dcat, selectors, writers
from .datasets import dataset_by_slug
from .datasets.base import LICENCE_NAME, LICENCE_URL, Dataset, Record
from .formats import FORMATS, GEOJSON
from .suppression import minimum_count

# Changed whenever the files' layout changes, so that no one keeps an old file under a still-valid ETag.
FILE_REVISION = 1
JSON_LD = "application/ld+json"
_Response = TypeVar("_Response", HttpResponse, StreamingHttpResponse)


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=None)
@public
def datasets_page(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    context = {
        "published": selectors.town_datasets(space.town, at=timezone.now()),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "minimum_count": minimum_count(),
    }
    return render(request, "opendata/datasets.html", context)


@require_safe
@space_view(single_town=True)
@public
def catalogue(request: HttpRequest, space: Space) -> HttpResponse:
    """The datasets as DCAT in JSON-LD, for data portals to harvest."""
    assert space.town is not None
    content = json.dumps(
        dcat.town_catalogue(space.town, selectors.town_datasets(space.town, at=timezone.now())),
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(content, content_type=JSON_LD)
    return _cached_publicly(request, response, etag=_etag(content), last_modified=None)


@require_safe
@space_view(single_town=True)
@public
def table_schema(request: HttpRequest, space: Space, dataset_slug: str) -> HttpResponse:
    """The Table Schema the dataset's CSV follows: a copy of the national one, or ours."""
    dataset = _dataset_or_404(dataset_slug)
    with translation.override("fr"):  # like the files it describes, and the catalogue
        content = json.dumps(dataset.table_schema(), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{dataset.slug}.schema.json"'
    return _cached_publicly(request, response, etag=_etag(content), last_modified=None)


@require_safe
@space_view(single_town=True)
@public
def download(request: HttpRequest, space: Space, dataset_slug: str, file_format: str) -> HttpResponse:
    town = space.town
    assert town is not None
    dataset = _dataset_or_404(dataset_slug)
    kind = FORMATS[file_format]
    if kind not in dataset.formats:
        raise Http404
    now = timezone.now()
    summary = dataset.summary(town, at=now)
    etag = _etag(
        FILE_REVISION,
        dataset.slug,
        file_format,
        summary.records,
        summary.updated_at.isoformat() if summary.updated_at else "",
        getattr(request, "town_versions", ""),
    )

    def records() -> Iterator[Record]:
        # Read only once the response is sent: a conditional request answered 304 reads nothing.
        yield from dataset.records(town, at=now)

    fields = dataset.fields
    if kind == GEOJSON:
        assert dataset.geometry is not None
        chunks = writers.geojson_chunks(fields, records(), dataset.geometry)
    else:
        chunks = writers.csv_chunks(fields, records())
    response = StreamingHttpResponse(chunks, content_type=kind.content_type)
    # Slugs are ASCII: the name needs no RFC 6266 encoding.
    response["Content-Disposition"] = f'attachment; filename="{town.slug}-{dataset.slug}.{kind.extension}"'
    # A streaming response is no HttpResponse to the type checker; space_view hands any response on.
    return cast(
        HttpResponse, _cached_publicly(request, response, etag=etag, last_modified=summary.updated_at)
    )


def _dataset_or_404(slug: str) -> Dataset:
    dataset = dataset_by_slug(slug)
    if dataset is None:
        raise Http404
    return dataset


def _etag(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _cached_publicly(
    request: HttpRequest,
    response: _Response,
    *,
    etag: str,
    last_modified: datetime | None,
) -> _Response | HttpResponse:
    """Open data as browsers, proxies and other sites may keep and fetch it, or 304 if the caller has it."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
    # Any web page may read the data (it is open), and no credentials go with such a request.
    response["Access-Control-Allow-Origin"] = "*"
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is None:
        return response
    for header in ("ETag", "Last-Modified", "Cache-Control", "Access-Control-Allow-Origin"):
        if header in response:
            not_modified[header] = response[header]
    return not_modified
