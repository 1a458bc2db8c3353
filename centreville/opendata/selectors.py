"""Reads for the open-data page and catalogue: each dataset of a town with its size and last update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats

from centreville.towns.models import Town

from . import datasets
from .datasets.base import Dataset, Summary


@dataclass(frozen=True)
class PublishedDataset:
    dataset: Dataset
    summary: Summary

    @property
    def shown_records(self) -> str:
        """The number of records as the page's language writes it: « 12 345 », "12,345"."""
        return formats.number_format(self.summary.records, 0, use_l10n=True, force_grouping=True)

    @property
    def anchor(self) -> str:
        """The id of the dataset's section on the page."""
        return f"jeu-{self.dataset.slug}"


def town_datasets(town: Town, *, at: datetime) -> list[PublishedDataset]:
    """Every dataset the town publishes, in the page's order, with what the page says of it (a query or two
    each, whatever the size of the town)."""
    return [PublishedDataset(dataset, dataset.summary(town, at=at)) for dataset in datasets.DATASETS]
