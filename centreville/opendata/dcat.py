"""The town's datasets as a machine-readable catalogue: DCAT (https://www.w3.org/TR/vocab-dcat-3/) in
JSON-LD, as data portals harvest it (data.gouv.fr among them), with absolute links on the public address."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from centreville.core.french import de
from centreville.core.links import absolute_url
from centreville.towns.models import Town

from .datasets.base import LICENCE_URL
from .selectors import PublishedDataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def town_catalogue(town: Town, published: list[PublishedDataset]) -> dict[str, Any]:
    """The catalogue of `town`, in French whatever the language of the request (so are the files)."""
    page = absolute_url(reverse("opendata:datasets", args=[town.slug]))
    with translation.override("fr"):
        return {
            "@context": CONTEXT,
            "@id": page,
            "@type": "dcat:Catalog",
            "dct:title": translation.gettext("Données ouvertes %(de_town)s") % {"de_town": de(town.name)},
            "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": town.name},
            "foaf:homepage": {"@id": page},
            "dcat:dataset": [_dataset(town, entry, page) for entry in published],
        }


def _dataset(town: Town, entry: PublishedDataset, page: str) -> dict[str, Any]:
    dataset, summary = entry.dataset, entry.summary
    described: dict[str, Any] = {
        "@id": f"{page}#{entry.anchor}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{town.slug}-{dataset.slug}",
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dct:license": {"@id": LICENCE_URL},
        "dcat:landingPage": {"@id": f"{page}#{entry.anchor}"},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:format": kind.label,
                "dcat:mediaType": kind.content_type.split(";")[0],
                "dcat:downloadURL": {
                    "@id": absolute_url(
                        reverse("opendata:download", args=[town.slug, dataset.slug, kind.extension])
                    )
                },
                "dct:license": {"@id": LICENCE_URL},
            }
            for kind in dataset.formats
        ],
    }
    if summary.updated_at is not None:
        described["dct:modified"] = summary.updated_at.isoformat()
    schema = dataset.schema
    if schema is not None:
        described["dct:conformsTo"] = {
            "@id": schema.page,
            "dct:title": schema.title,
            "dct:identifier": schema.name,
            "owl:versionInfo": schema.version,
        }
    else:
        described["dct:conformsTo"] = {
            "@id": absolute_url(reverse("opendata:table_schema", args=[town.slug, dataset.slug])),
        }
    return described
