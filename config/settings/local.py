"""Profile for a developer's machine and the demo served by `make run`."""

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, LOGGING, OSM_TILE_URL, SELF, env, tile_sources

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Logs a person reads in the terminal, unless told otherwise.
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="text")

# The demo shows OpenStreetMap's tiles unless told otherwise.
MAP_TILE_URL = env.str("MAP_TILE_URL", default=OSM_TILE_URL)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [SELF, "data:", *tile_sources(MAP_TILE_URL)]

# The demo pays on a local page where no money moves; no real deployment may (see payments.checks).
PAYMENT_FAKE_ALLOWED = True
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="fake")
