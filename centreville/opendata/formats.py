"""The file formats of open data: what the URL, the page and the HTTP headers call each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFormat:
    extension: str  # in the URL and the file name
    content_type: str
    label: str  # as the page and the catalogue name it


CSV = FileFormat("csv", "text/csv; charset=utf-8", "CSV")
GEOJSON = FileFormat("geojson", "application/geo+json", "GeoJSON")
FORMATS = {kind.extension: kind for kind in (CSV, GEOJSON)}
