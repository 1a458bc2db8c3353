"""The town's agenda: its events, the shops' offers, Sunday openings and braderie declarations."""

from .events import *  # noqa: F403
from .imports import *  # noqa: F403
from .rules import *  # noqa: F403
from .settings import *  # noqa: F403
