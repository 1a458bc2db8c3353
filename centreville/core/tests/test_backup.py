"""Backups that restore, on the database the suite runs on (SQLite, or PostgreSQL with `DATABASE_URL`): a
populated town is saved, its database emptied, and restored with identical counts, checksums and pages."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from centreville.catalogue.models import Product
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.backup import (
    MANIFEST,
    MANIFEST_SUM,
    BackupError,
    backup_create,
    backup_restore,
    canonical,
    describe_database,
    manifest_sum,
    rows_checksum,
    tables_with_rows,
)
from centreville.core.tests.samples import valid_upload
from centreville.orders.models import Order
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

AT = datetime(2026, 12, 5, 2, 30, tzinfo=UTC)
BASE_DIR = Path(settings.BASE_DIR)


@dataclass(frozen=True)
class Site:
    town: Town
    shop: Shop
    product: Product
    photo_name: str
    order: Order


@pytest.fixture
def media_root(tmp_path: Path, settings: SettingsWrapper) -> Path:
    """Uploads kept in a local folder, as a real installation keeps them."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


def populate() -> Site:
    town = TownFactory.create(name="Argentan", slug="argentan")
    shop = ShopFactory.create(town=town, name="Fromagerie du Marché")
    ShopFactory.create(town=town, name="Librairie des Halles")
    product = ProductFactory.create(shop=shop, title="Camembert au lait cru", stock=12, price="6.90")
    ProductFactory.create(shop=shop, title="Pont-l'Évêque", stock=None)
    photo = product_photo_add(product=product, upload=valid_upload(), alt_text="Un camembert sur la planche")
    order = order_place(
        shop=shop,
        wanted=[Wanted(product.pk, 2)],
        customer=None,
        customer_name="Jeanne Martin",
        customer_contact="06 12 34 56 78",
    )
    return Site(town=town, shop=shop, product=product, photo_name=photo.large.name, order=order)


def empty_database() -> None:
    """Leave the test database as a newly created one: no table at all."""
    connection.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        connection.ensure_connection()
        sqlite3.connect(":memory:").backup(connection.connection)


@pytest.fixture
def database_rebuilt_after() -> Iterator[None]:
    """A test that empties the database gives it back its tables, even when it fails half-way."""
    yield
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    if "django_migrations" not in names:
        call_command("migrate", verbosity=0)


def last_line(output: str) -> dict[str, str]:
    name, *pairs = output.strip().splitlines()[-1].split()
    return {"command": name} | dict(pair.split("=", 1) for pair in pairs)


def member_bytes(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    """The content of one file of the archive (a backup holds files only)."""
    content = tar.extractfile(member)
    assert content is not None, f"{member} is not a file"
    return content.read()


def rewritten(archive: Path, change_manifest: dict[str, object]) -> Path:
    """A copy of `archive` whose manifest has some keys replaced (its files left as they are)."""
    copy = archive.with_name("modifiee.tar")
    written = b""
    with tarfile.open(archive) as source, tarfile.open(copy, "w") as target:
        for member in source.getmembers():
            data = member_bytes(source, member)
            if member.name == MANIFEST:
                data = json.dumps(json.loads(data) | change_manifest).encode()
                written = data
            if member.name == MANIFEST_SUM:
                data = manifest_sum(written)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return copy


def test_a_table_checksum_ignores_row_order_and_sees_any_change() -> None:
    rows = [(1, "Camembert", True, None), (2, "Pont-l'Évêque", False, b"\x00\x01")]

    same = rows_checksum(reversed(rows))
    changed = rows_checksum([(1, "Camembert", True, None), (2, "Pont-l'Évêque", False, b"\x00\x02")])

    assert rows_checksum(rows) == same
    assert same.rows == 2
    assert changed.checksum != same.checksum
    assert rows_checksum([]).rows == 0


def test_each_value_has_one_text_whatever_the_driver_hands_back() -> None:
    paris = ZoneInfo("Europe/Paris")

    assert canonical(datetime(2026, 12, 5, 3, 30, tzinfo=paris)) == "2026-12-05T02:30:00+00:00"
    assert canonical(datetime(2026, 12, 5, 2, 30, tzinfo=UTC)) == "2026-12-05T02:30:00+00:00"
    assert canonical(Decimal("6.90")) == "6.90"
    assert canonical(True) == "t"
    assert canonical(1) == "1"
    assert canonical(memoryview(b"\x00\xff")) == canonical(b"\x00\xff") == "\\x00ff"
    assert canonical({"b": 1, "a": [1, 2]}) == canonical({"a": [1, 2], "b": 1})
    assert canonical(None) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_rebuilt_after")
def test_a_backup_restores_into_an_empty_database_with_the_same_rows_media_and_pages(
    media_root: Path, tmp_path: Path
) -> None:
    site = populate()
    photo_bytes = (media_root / site.photo_name).read_bytes()
    out = io.StringIO()

    call_command("backup", "--to", str(tmp_path / "sauvegardes"), stdout=out)

    summary = last_line(out.getvalue())
    archive = Path(summary["path"])
    assert summary["command"] == "backup"
    assert archive.parent == tmp_path / "sauvegardes"
    assert int(summary["media_files"]) == 3  # the photo's three renditions
    assert int(summary["bytes"]) == archive.stat().st_size
    with tarfile.open(archive) as tar:
        manifest = json.loads(member_bytes(tar, MANIFEST))
        names = tar.getnames()
    saved = describe_database()
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["catalogue_product"]["rows"] == 2
    assert manifest["tables"]["orders_order"]["rows"] == 1
    assert {name: facts["rows"] for name, facts in manifest["tables"].items()} == {
        name: summary.rows for name, summary in saved.tables.items()
    }
    assert int(summary["rows"]) == sum(summary.rows for summary in saved.tables.values())
    assert "core.0001_initial" in manifest["migrations"] or manifest["migrations"]
    assert f"media/{site.photo_name}" in manifest["files"]
    assert names[-2:] == [MANIFEST, MANIFEST_SUM]
    assert set(names) == {*manifest["files"], MANIFEST, MANIFEST_SUM}

    empty_database()
    shutil.rmtree(media_root)
    assert tables_with_rows() == []
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    restored = last_line(out.getvalue())
    assert restored["command"] == "restore"
    assert restored["verified"] == "yes"
    assert restored["rows"] == summary["rows"]
    assert restored["media_files"] == "3"
    assert describe_database().tables == saved.tables
    assert (media_root / site.photo_name).read_bytes() == photo_bytes
    assert Order.objects.get(pk=site.order.pk).customer_name == "Jeanne Martin"
    page = Client().get(f"/{site.town.slug}/commerces/{site.shop.slug}/")
    assert page.status_code == 200
    assert "Camembert au lait cru" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_truncated_or_altered_archive_is_refused_before_anything_is_written(
    media_root: Path, tmp_path: Path
) -> None:
    populate()
    archive = backup_create(to=tmp_path, at=AT).path
    before = describe_database()
    data = archive.read_bytes()
    truncated = tmp_path / "tronquee.tar"
    truncated.write_bytes(data[: len(data) // 2])
    with tarfile.open(archive) as tar:
        dump = next(member for member in tar.getmembers() if member.name.startswith("database/"))
    altered = tmp_path / "alteree.tar"
    middle = dump.offset_data + dump.size // 2
    altered.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])

    figure = data.rindex(b'"rows": ') + len(b'"rows": ')
    counted_again = tmp_path / "recomptee.tar"
    counted_again.write_bytes(
        data[:figure] + str((int(chr(data[figure])) + 1) % 10).encode() + data[figure + 1 :]
    )

    with pytest.raises(BackupError, match="tronquée ou abîmée"):
        backup_restore(archive=truncated, force=True)
    with pytest.raises(CommandError, match="somme de contrôle de database/"):
        call_command("restore", str(altered), "--force")
    with pytest.raises(CommandError, match="somme de contrôle du manifeste"):
        call_command("restore", str(counted_again), "--force")

    assert describe_database() == before


@pytest.mark.django_db(transaction=True)
def test_a_database_holding_rows_is_refused_unless_forced(media_root: Path, tmp_path: Path) -> None:
    site = populate()
    archive = backup_create(to=tmp_path, at=AT).path
    Product.objects.filter(pk=site.product.pk).update(title="Camembert affiné")

    with pytest.raises(CommandError, match=r"contient déjà des données.*--force"):
        call_command("restore", str(archive))
    assert Product.objects.get(pk=site.product.pk).title == "Camembert affiné"

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert last_line(out.getvalue())["verified"] == "yes"
    assert Product.objects.get(pk=site.product.pk).title == "Camembert au lait cru"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_rebuilt_after")
def test_a_restored_database_that_differs_from_its_manifest_fails_naming_the_table(
    media_root: Path, tmp_path: Path
) -> None:
    populate()
    archive = backup_create(to=tmp_path, at=AT).path
    with tarfile.open(archive) as tar:
        tables = json.loads(member_bytes(tar, MANIFEST))["tables"]
    tables["shops_shop"] = {"rows": 3, "checksum": tables["shops_shop"]["checksum"]}
    tables["catalogue_product"] = {**tables["catalogue_product"], "checksum": "0" * 64}
    empty_database()

    with pytest.raises(BackupError) as error:
        backup_restore(archive=rewritten(archive, {"tables": tables}))

    assert "ne correspond pas à l'archive" in str(error.value)
    assert "shops_shop : 2 lignes au lieu de 3" in str(error.value)
    assert "catalogue_product : contenu différent" in str(error.value)


@pytest.mark.django_db(transaction=True)
def test_an_archive_of_the_other_database_is_refused(media_root: Path, tmp_path: Path) -> None:
    archive = backup_create(to=tmp_path, at=AT).path
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    with pytest.raises(BackupError, match=f"vient d'une base {other}"):
        backup_restore(archive=rewritten(archive, {"database": {"vendor": other, "file": "x"}}), force=True)


def manage(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env |= {
        "DATABASE_URL": database_url,
        "CENTREVILLE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PYTHONPATH": str(BASE_DIR),
    }
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The address of a newly created database beside the test one (a new file on SQLite)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restauree.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user, password = quote(settings_dict["USER"] or ""), quote(settings_dict["PASSWORD"] or "")
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    yield f"postgres://{user}:{password}@{host}:{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Static files are not collected here: their plain storage stands in for the manifest the server reads.
SITE_CHECK = """
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
from centreville.shops.models import Shop
setup_test_environment()
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    shop = Shop.objects.get(name="Fromagerie du Marché")
    page = Client().get(f"/{shop.town.slug}/commerces/{shop.slug}/")
print(page.status_code, "Camembert au lait cru" in page.content.decode())
"""


@pytest.mark.django_db(transaction=True)
def test_the_commands_restore_into_a_new_database_that_serves_the_town(
    media_root: Path, tmp_path: Path, fresh_database: str
) -> None:
    site = populate()
    archive = backup_create(to=tmp_path, at=AT).path
    var_dir = tmp_path / "ailleurs"

    restore = manage("restore", str(archive), database_url=fresh_database, var_dir=var_dir)
    check = manage("check", database_url=fresh_database, var_dir=var_dir)
    page = manage("shell", "--verbosity", "0", "-c", SITE_CHECK, database_url=fresh_database, var_dir=var_dir)

    assert restore.returncode == 0, restore.stderr
    assert last_line(restore.stdout)["verified"] == "yes"
    assert check.returncode == 0, check.stderr
    assert page.stdout.split() == ["200", "True"], page.stderr
    assert (var_dir / "media" / site.photo_name).read_bytes() == (media_root / site.photo_name).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_a_folder_that_cannot_be_written_gets_a_french_error_and_no_archive(tmp_path: Path) -> None:
    blocking_file = tmp_path / "pas-un-dossier"
    blocking_file.write_text("")

    with pytest.raises(CommandError, match="n'a pas pu être écrite dans"):
        call_command("backup", "--to", str(blocking_file / "sauvegardes"))

    assert list(tmp_path.iterdir()) == [blocking_file]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
@pytest.mark.usefixtures("database_rebuilt_after")
def test_a_backup_taken_while_orders_come_in_describes_exactly_what_it_dumped(
    media_root: Path, tmp_path: Path
) -> None:
    site = populate()
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                written.append(ProductFactory.create(shop=site.shop, stock=1).pk)
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:  # the backup starts among the writes
            time.sleep(0.01)
        before = len(written)
        archive = backup_create(to=tmp_path, at=AT).path
        after = len(written)
    finally:
        stop.set()
        writer.join()
    empty_database()

    backup_restore(archive=archive)  # raises unless every table matches its manifest

    assert after > before  # products were written while the backup ran
    assert 2 + before <= Product.objects.count() <= 2 + after
