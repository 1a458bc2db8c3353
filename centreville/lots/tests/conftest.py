from __future__ import annotations

import pytest

from centreville.catalogue.models import ProductCategory
from centreville.catalogue.services import product_categories_ensure


@pytest.fixture
def platform_categories(db: None) -> dict[str, ProductCategory]:
    """The platform's product categories, which files name: a test after a flushed database still has them."""
    return product_categories_ensure()
