"""Profile for the test suite: fast hashing, mail kept in memory, one cache per test worker."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = False
DEBUG = False

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if REDIS_URL:
    # One Redis database per test worker (counting up from the one in REDIS_URL), so that clearing
    # the cache never touches another worker's.
    _base, _, _db = REDIS_URL.rpartition("/")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"{_base}/{int(_db or 0) + int(_worker.removeprefix('gw') or 0)}",
            "KEY_PREFIX": "centreville-test",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Counts are written at once, so that tests can read them.
ACTIVITY_FLUSH_SECONDS = 0
ACTIVITY_FLUSH_EVENTS = 1
PAGE_CACHE_SECONDS = 600
# The host Django's test client sends: links built on the public address resolve in tests.
PUBLIC_BASE_URL = "http://testserver"

# Tasks run at once, inside the test that enqueues them; text messages are kept in memory.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMS_BACKEND = "centreville.notifications.sms.MemorySmsBackend"
# Payments go through the local fake provider unless a test chooses Stripe.
PAYMENT_FAKE_ALLOWED = True
PAYMENT_PROVIDER = "fake"

_database = DATABASES["default"]
if _database["ENGINE"].endswith("sqlite3"):
    # A test database kept in a file (copied from a migrated one) instead of built in memory for each run.
    if _test_file := os.environ.get("TEST_SQLITE_FILE"):
        _database["TEST"] = {"NAME": _test_file}
else:
    # A test's commit need not wait for the disk: its data is thrown away anyway.
    _database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
