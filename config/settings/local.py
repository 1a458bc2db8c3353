"""Profile for a developer's machine and the demo served by `make run`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
