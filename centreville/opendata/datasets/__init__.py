"""The datasets every town publishes, in the order of its open-data page.

To publish another: write its module here (records and summary functions, fields or national schema: see
`base.Dataset` and `shops.py`), and add its `Dataset` to `DATASETS`.
"""

from __future__ import annotations

from .base import Dataset
from .footfall import FOOTFALL_CHANNELS, FOOTFALL_MEASURES, FOOTFALL_SITES
from .parking import PARKING
from .shops import SHOPS
from .vacancy import VACANCY_BY_MONTH, VACANCY_BY_STREET

DATASETS: tuple[Dataset, ...] = (
    SHOPS,
    VACANCY_BY_STREET,
    VACANCY_BY_MONTH,
    FOOTFALL_SITES,
    FOOTFALL_CHANNELS,
    FOOTFALL_MEASURES,
    PARKING,
)


def dataset_by_slug(slug: str) -> Dataset | None:
    return next((dataset for dataset in DATASETS if dataset.slug == slug), None)
