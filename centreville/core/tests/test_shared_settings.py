"""What several app servers share: with REDIS_URL, the cache, sessions and the task queue are in Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
READ_SETTINGS = """
import json
from config.settings import base
print(json.dumps({
    "cache": base.CACHES["default"]["BACKEND"],
    "sessions": getattr(base, "SESSION_ENGINE", "django.contrib.sessions.backends.db"),
    "tasks": base.TASKS["default"]["BACKEND"],
    "storage": base.STORAGES["default"],
}))
"""


def settings_with(tmp_path: Path, **environment: str) -> dict[str, Any]:
    """The base settings as a server started with these environment variables reads them."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "DATABASE_", "MEDIA_", "S3_", "AWS_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        env={**kept, "CENTREVILLE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/3"])
def test_servers_share_cache_sessions_and_tasks_in_redis_when_it_is_named(
    tmp_path: Path, redis_url: str
) -> None:
    found = settings_with(tmp_path, REDIS_URL=redis_url)

    if redis_url:
        assert found["cache"] == "django_redis.cache.RedisCache"
        assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
        assert found["tasks"] == "django_tasks_rq.RQBackend"
    else:
        assert found["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
        assert found["sessions"] == "django.contrib.sessions.backends.db"
        assert found["tasks"] == "django_tasks_db.DatabaseBackend"


def test_uploads_stay_in_a_local_directory_unless_a_bucket_is_named(tmp_path: Path) -> None:
    assert settings_with(tmp_path)["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    found = settings_with(
        tmp_path,
        MEDIA_S3_BUCKET="photos-centreville",
        MEDIA_S3_ENDPOINT_URL="https://s3.fr-par.example",
        MEDIA_S3_PUBLIC_URL="https://photos.centreville.example/media",
    )["storage"]

    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["OPTIONS"]["bucket_name"] == "photos-centreville"
    assert found["OPTIONS"]["endpoint_url"] == "https://s3.fr-par.example"
    assert found["OPTIONS"]["custom_domain"] == "photos.centreville.example/media"
    assert found["OPTIONS"]["querystring_auth"] is False


def test_pages_may_show_photos_from_the_object_store(tmp_path: Path) -> None:
    script = (
        "from config.settings import base; "
        "print(' '.join(base.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "CENTREVILLE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT),
             "MEDIA_S3_BUCKET": "photos", "MEDIA_S3_PUBLIC_URL": "https://photos.centreville.example/media"},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip

    assert result.stdout.split() == ["'self'", "data:", "https://photos.centreville.example"]
