"""Parking's tables, one module per feature: car parks, their live feeds, the readings of their free
spaces."""

from .car_parks import *  # noqa: F403
from .feeds import *  # noqa: F403
from .readings import *  # noqa: F403
