"""Uploads in an S3-compatible object store (django-storages), tested against a local S3 server (moto).

Several app servers share no local directory: when MEDIA_S3_BUCKET is set, photos and logos go to the
bucket, and nothing in the image pipeline may read a local path.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from centreville.core.links import absolute_url
from centreville.core.tests.samples import valid_upload
from centreville.shops.photos import shop_photo_add, shop_photo_remove
from centreville.shops.seo import image_urls
from centreville.shops.tests.factories import ShopFactory

BUCKET = "centreville-media"
KEYS = {"access_key": "test-access", "secret_key": "test-secret", "region_name": "eu-west-3"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server (moto_server), on 127.0.0.1 only, stopped with the module's tests."""
    server = shutil.which("moto_server")
    if server is None:
        pytest.skip("moto[server] (a local S3 server) is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the local S3 server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    )


@pytest.fixture
def object_store(s3_endpoint: str, settings: Any) -> Iterator[str]:
    """Uploads go to a fresh bucket of the local S3 server, as the settings make them with MEDIA_S3_BUCKET."""
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": KEYS["region_name"]})
    # What the operator does once: anyone may read the photos (they are on public pages).
    public_read = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    client.put_bucket_policy(
        Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public_read]})
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "querystring_auth": False,
                        "file_overwrite": False, **KEYS},
        },
    }  # fmt: skip
    yield s3_endpoint
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def bucket_keys(endpoint: str) -> set[str]:
    return {item["Key"] for item in s3_client(endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.django_db
def test_a_photo_goes_to_the_object_store_and_its_addresses_serve_it(
    object_store: str, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    shop = ShopFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        photo = shop_photo_add(shop=shop, upload=valid_upload((1600, 1200)), alt_text="La vitrine")

    assert type(photo.large.storage._wrapped).__name__ == "S3Storage"  # behind its LazyObject
    names = {photo.small.name, photo.medium.name, photo.large.name}
    assert bucket_keys(object_store) == names
    assert (photo.width, photo.height, photo.small_width, photo.small_height) == (1280, 960, 320, 240)
    with urllib.request.urlopen(photo.large.url, timeout=5) as response:  # the address pages give
        assert response.read(12)[8:12] == b"WEBP"
    assert photo.large.url.startswith(f"{object_store}/{BUCKET}/photos/")
    # Search engines are given the store's address as it is, not glued to ours.
    assert image_urls([photo]) == [photo.large.url]

    with django_capture_on_commit_callbacks(execute=True):
        shop_photo_remove(photo=photo)

    assert bucket_keys(object_store) == set()


def test_an_address_already_absolute_is_left_as_it_is(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://centreville.example"

    assert absolute_url("/argentan/") == "https://centreville.example/argentan/"
    assert absolute_url("https://media.example/photos/a.webp") == "https://media.example/photos/a.webp"
