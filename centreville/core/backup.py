"""Backups that restore: one .tar file holding a consistent snapshot of the database, the uploaded media and
a manifest; `manage.py backup` and `manage.py restore` are its command lines.

The manifest (`manifest.json`, the archive's last member, so a truncated archive has none) gives the time,
the platform's version, the database vendor, the applied migrations, each table's row count and checksum,
and the sha256 of every other file. PostgreSQL is dumped by `pg_dump --format=custom` inside a REPEATABLE
READ transaction whose snapshot the dump shares, so the counts and checksums describe exactly what was
dumped; SQLite is copied with its online backup API and described from the copy.

A restore checks every file of the archive before it writes anything, refuses a database holding rows
(unless forced), then counts and checksums the restored tables again and compares them with the manifest.
A table's checksum is computed the same way on both databases: each row's values are written in one
canonical text form and hashed, and the rows' hashes are added up (modulo 2**256), so the order the
database returns rows in does not matter.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
# The manifest's own sha256, in `sha256sum`'s format: the archive's last member.
MANIFEST_SUM = "manifest.sha256"
DUMP_NAMES = {"postgresql": "database/postgresql.dump", "sqlite": "database/sqlite3.db"}
MEDIA_PREFIX = "media/"
FETCH_ROWS = 5000
CHUNK = 1024 * 1024
# The ORM's own flags: SQLite hands back the same Python values (booleans, dates, decimals) to the backup,
# which reads the copy, as to the restore, which reads through Django's connection.
SQLITE_DETECT_TYPES = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES


class BackupError(Exception):
    """A backup that cannot be made or an archive that cannot be restored; the message is for the operator."""


@dataclass(frozen=True)
class TableSummary:
    rows: int
    checksum: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    media_files: int
    bytes: int


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    pending_migrations: int


# --- Describing a database: tables, row counts, checksums, migrations ---------------------------------------


def _datetime_text(value: datetime) -> str:
    return (value.astimezone(UTC) if value.tzinfo else value).isoformat()


def _bytes_text(value: bytes | bytearray | memoryview) -> str:
    return "\\x" + bytes(value).hex()


def _structure_text(value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


# The text of each type a driver hands back, looked up by exact type: a checksum reads every value of the
# database, and a chain of isinstance() would be most of its time.
_TEXT_OF_TYPE: dict[type, Any] = {
    str: lambda value: value,
    int: str,
    bool: lambda value: "t" if value else "f",
    float: repr,
    Decimal: str,
    datetime: _datetime_text,
    date: str,
    time: str,
    timedelta: str,
    UUID: str,
    bytes: _bytes_text,
    bytearray: _bytes_text,
    memoryview: _bytes_text,
    dict: _structure_text,
    list: _structure_text,
    tuple: _structure_text,
}


def canonical(value: Any) -> str | None:
    """One text form per value, whatever the driver: what a table's checksum hashes."""
    if value is None:
        return None
    text_of = _TEXT_OF_TYPE.get(type(value))
    if text_of is not None:
        return str(text_of(value))
    for kind, text_of in _TEXT_OF_TYPE.items():  # a subclass (an enum, a driver's own type)
        if kind is not str and isinstance(value, kind):
            return str(text_of(value))
    return str(value)


_ROW_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def rows_checksum(rows: Iterable[tuple[Any, ...]]) -> TableSummary:
    """The row count and the order-free checksum of `rows`."""
    count = 0
    total = 0
    for row in rows:
        values = [value if type(value) is str else canonical(value) for value in row]
        digest = hashlib.sha256(_ROW_TEXT(values).encode()).digest()
        total += int.from_bytes(digest, "big")
        count += 1
    return TableSummary(rows=count, checksum=f"{total % 2**256:064x}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.relname"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def _fetched(cursor: Any) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(FETCH_ROWS):
        yield from rows


def _applied_migrations(cursor: Any, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


@dataclass(frozen=True)
class DatabaseDescription:
    tables: dict[str, TableSummary]
    migrations: list[str]


def _describe(open_cursor: Any, vendor: str) -> DatabaseDescription:
    """Every table's summary and the applied migrations; `open_cursor()` gives a cursor that may stream."""
    cursor = open_cursor()
    names = _table_names(cursor, vendor)
    migrations = _applied_migrations(cursor, names)
    cursor.close()
    tables = {}
    for name in names:
        cursor = open_cursor()
        cursor.execute(f"SELECT * FROM {_quoted(name)}")  # the name comes from the catalogue
        tables[name] = rows_checksum(_fetched(cursor))
        cursor.close()
    return DatabaseDescription(tables=tables, migrations=migrations)


def _describe_postgresql_in_snapshot(connection: BaseDatabaseWrapper) -> DatabaseDescription:
    """To be called as the first statements of a transaction: one snapshot for every table."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return _describe(connection.chunked_cursor, "postgresql")


def describe_database(using: str = DEFAULT_DB_ALIAS) -> DatabaseDescription:
    """The summaries of the database `using` as it stands, read in one snapshot."""
    connection = connections[using]
    _outside_transactions(connection)
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            return _describe_postgresql_in_snapshot(connection)
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN")  # one read snapshot for every table
    try:
        return _describe(raw.cursor, connection.vendor)
    finally:
        raw.execute("ROLLBACK")


def tables_with_rows(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables of `using` that hold at least one row."""
    connection = connections[using]
    occupied = []
    with connection.cursor() as cursor:
        for name in _table_names(cursor, connection.vendor):
            cursor.execute(f"SELECT 1 FROM {_quoted(name)} LIMIT 1")
            if cursor.fetchone() is not None:
                occupied.append(name)
    return occupied


def _outside_transactions(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(
            _("Les sauvegardes ne savent traiter que PostgreSQL et SQLite, pas %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    if connection.in_atomic_block:
        # A snapshot needs a transaction of its own, and a restore must not wait on our own locks.
        raise RuntimeError("backups and restores run outside any transaction")


# --- Files: media, hashing, the archive ---------------------------------------------------------------------


def local_media_root() -> Path | None:
    """The folder uploads are kept in, or None when the default storage is not a local folder."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


class _HashingReader:
    """Reads a file into the archive and hashes what it read, in one pass."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path, at: datetime) -> dict[str, Any]:
    with path.open("rb") as file:
        info = tar.gettarinfo(arcname=name, fileobj=file)
        info.mtime = int(at.timestamp())
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "bytes": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, at: datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(at.timestamp())
    tar.addfile(info, io.BytesIO(data))


def manifest_sum(data: bytes) -> bytes:
    """The line `sha256sum -c` checks the manifest with, once both are extracted."""
    return f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode()


def _platform_version() -> str:
    try:
        return importlib.metadata.version("centreville")
    except importlib.metadata.PackageNotFoundError:
        return "inconnue"


# --- Backing up ---------------------------------------------------------------------------------------------


def _postgres_command(program: str, connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            _("%(program)s est introuvable : installez le client PostgreSQL (paquet postgresql-client).")
            % {"program": program}
        )
    settings_dict = connection.settings_dict
    args = [executable]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    _args, env = PostgresClient.settings_to_cmd_args_env(settings_dict, [])
    return args, {**os.environ, **(env or {})}


def _run(args: list[str], env: dict[str, str], program: str) -> None:
    finished = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if finished.returncode == 0:
        return
    error = finished.stderr.strip() or str(finished.returncode)
    if "version mismatch" in error:
        raise BackupError(
            _(
                "%(program)s est plus ancien que le serveur PostgreSQL : installez un client PostgreSQL "
                "de la version du serveur ou plus récent (%(error)s)."
            )
            % {"program": program, "error": error}
        )
    raise BackupError(_("%(program)s a échoué : %(error)s") % {"program": program, "error": error})


def _snapshot_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> DatabaseDescription:
    args, env = _postgres_command("pg_dump", connection)
    with transaction.atomic(using=connection.alias):
        description = _describe_postgresql_in_snapshot(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # The dump reads the very snapshot the summaries were read in, while this transaction holds it.
        args += [
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={dump}",
            connection.settings_dict["NAME"],
        ]
        _run(args, env, "pg_dump")
    return description


def _snapshot_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> DatabaseDescription:
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    reader = sqlite3.connect(copy, detect_types=SQLITE_DETECT_TYPES)
    try:
        return _describe(reader.cursor, "sqlite")
    finally:
        reader.close()


def backup_create(*, to: Path, at: datetime, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write `centreville-<time>-<vendor>.tar` into `to`: the database, the local media and the manifest.
    The archive appears under its name only once complete."""
    connection = connections[using]
    _outside_transactions(connection)
    vendor = connection.vendor
    path = to / f"centreville-{at.astimezone(UTC):%Y%m%d-%H%M%S}-{vendor}.tar"
    partial = path.with_name(path.name + ".part")
    try:
        to.mkdir(parents=True, exist_ok=True)
        if path.exists():
            raise BackupError(_("Une sauvegarde porte déjà ce nom : %(path)s.") % {"path": path})
        with tempfile.TemporaryDirectory(dir=to, prefix=".sauvegarde-") as staging:
            dump = Path(staging) / "database"
            if vendor == "postgresql":
                description = _snapshot_postgresql(connection, dump)
            else:
                description = _snapshot_sqlite(connection, dump)
            media_root = local_media_root()
            manifest = _write_archive(partial, dump, description, vendor, media_root, at)
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise BackupError(
            _("L'archive n'a pas pu être écrite dans %(folder)s : %(error)s.")
            % {"folder": to, "error": error}
        ) from error
    return BackupResult(
        path=path,
        tables=len(description.tables),
        rows=sum(summary.rows for summary in description.tables.values()),
        media_files=manifest["media"]["files"],
        bytes=path.stat().st_size,
    )


def _write_archive(
    partial: Path,
    dump: Path,
    description: DatabaseDescription,
    vendor: str,
    media_root: Path | None,
    at: datetime,
) -> dict[str, Any]:
    """Write the dump, the media and the manifest (last) into `partial`, flushed to disk; return the
    manifest."""
    files: dict[str, dict[str, Any]] = {}
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        files[DUMP_NAMES[vendor]] = _add_file(tar, DUMP_NAMES[vendor], dump, at)
        for name, media_path in _media_files(media_root) if media_root else []:
            try:
                files[name] = _add_file(tar, name, media_path, at)
            except FileNotFoundError:
                continue  # deleted since the folder was listed
        manifest = {
            "format": FORMAT,
            "created_at": at.astimezone(UTC).isoformat(),
            "platform_version": _platform_version(),
            "database": {"vendor": vendor, "file": DUMP_NAMES[vendor]},
            "migrations": description.migrations,
            "tables": {
                name: {"rows": summary.rows, "checksum": summary.checksum}
                for name, summary in description.tables.items()
            },
            "media": {"local": media_root is not None, "files": len(files) - 1},
            "files": files,
        }
        data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        _add_bytes(tar, MANIFEST, data, at)
        _add_bytes(tar, MANIFEST_SUM, manifest_sum(data), at)
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    return manifest


# --- Restoring ----------------------------------------------------------------------------------------------


def _unreadable(archive: Path, reason: str) -> BackupError:
    return BackupError(
        _("L'archive %(archive)s est tronquée ou abîmée : %(reason)s. Rien n'a été restauré.")
        % {"archive": archive.name, "reason": reason}
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def archive_unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Check every file of `archive` against its manifest while copying it into `into`; return the manifest.
    Raises BackupError, naming what is wrong, on a truncated, altered or foreign archive."""
    if not archive.is_file():
        raise BackupError(_("L'archive %(archive)s n'existe pas.") % {"archive": archive})
    try:
        with tarfile.open(archive, mode="r:") as tar:
            members = {member.name: member for member in tar.getmembers()}
            if MANIFEST not in members or MANIFEST_SUM not in members:
                raise _unreadable(archive, _("le manifeste manque"))
            manifest_data = _member_bytes(tar, members[MANIFEST])
            if _member_bytes(tar, members[MANIFEST_SUM]) != manifest_sum(manifest_data):
                raise _unreadable(archive, _("la somme de contrôle du manifeste diffère"))
            manifest = json.loads(manifest_data)
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _unreadable(archive, _("ce n'est pas une sauvegarde de la plateforme"))
            expected: dict[str, dict[str, Any]] = manifest["files"]
            unexpected = set(members) - set(expected) - {MANIFEST, MANIFEST_SUM}
            missing = set(expected) - set(members)
            if unexpected or missing:
                raise _unreadable(
                    archive,
                    _("fichiers en trop ou manquants : %(names)s") % {"names": _few(unexpected | missing)},
                )
            for name, facts in expected.items():
                member = members[name]
                if not _safe_name(name) or not member.isfile():
                    raise _unreadable(archive, _("nom de fichier refusé : %(name)s") % {"name": name})
                source = tar.extractfile(member)
                assert source is not None
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as copy:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        copy.write(chunk)
                if digest.hexdigest() != facts["sha256"] or size != facts["bytes"]:
                    raise _unreadable(archive, _("la somme de contrôle de %(name)s diffère") % {"name": name})
    except OSError as error:
        raise BackupError(
            _("L'archive %(archive)s n'a pas pu être lue ou dépliée : %(error)s. Rien n'a été restauré.")
            % {"archive": archive.name, "error": error}
        ) from error
    except (tarfile.TarError, EOFError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        detail = _("fichier incomplet ou illisible (%(error)s)") % {
            "error": str(error) or type(error).__name__
        }
        raise _unreadable(archive, detail) from error
    return manifest


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    content = tar.extractfile(member)
    if content is None:
        raise tarfile.ReadError(member.name)
    return content.read()


def _few(names: Iterable[str], shown: int = 5) -> str:
    ordered = sorted(names)
    more = len(ordered) - shown
    return ", ".join(ordered[:shown]) + (f" (+{more})" if more > 0 else "")


def _check_restorable(manifest: dict[str, Any], connection: BaseDatabaseWrapper, force: bool) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "Cette archive vient d'une base %(archive)s ; elle ne se restaure que dans une base "
                "%(archive)s, pas %(target)s."
            )
            % {"archive": vendor, "target": connection.vendor}
        )
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    # Records of apps this configuration leaves out (the Redis queue's, say) are ignored, as Django does.
    installed = {f"{config.label}." for config in apps.get_app_configs()}
    unknown = {name for name in manifest["migrations"] if name.startswith(tuple(installed))} - known
    if unknown:
        raise BackupError(
            _(
                "Cette archive a été faite par une version plus récente de la plateforme (%(version)s), "
                "dont ces migrations manquent ici : %(names)s. Installez cette version avant de restaurer."
            )
            % {"version": manifest["platform_version"], "names": _few(unknown)}
        )
    occupied = tables_with_rows(connection.alias)
    if occupied and not force:
        raise BackupError(
            _(
                "La base %(name)s contient déjà des données (%(tables)s) : une restauration se fait dans une "
                "base vide. Ajoutez --force pour la remplacer."
            )
            % {"name": connection.settings_dict["NAME"], "tables": _few(occupied)}
        )


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    args, env = _postgres_command("pg_restore", connection)
    with connection.cursor() as cursor:
        has_tables = bool(_table_names(cursor, "postgresql"))
    connection.close()  # pg_restore must not wait on this session
    args += ["--dbname", connection.settings_dict["NAME"], "--no-owner", "--no-privileges"]
    args += ["--exit-on-error", "--single-transaction"]
    if has_tables:
        args += ["--clean", "--if-exists"]
    _run([*args, str(dump)], env, "pg_restore")


def _restore_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_media(staging: Path, names: Iterable[str], media_root: Path) -> int:
    restored = 0
    for name in names:
        target = media_root / name.removeprefix(MEDIA_PREFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / name, target)
        restored += 1
    return restored


def _mismatches(manifest: dict[str, Any], found: DatabaseDescription) -> list[str]:
    problems = []
    for name, facts in manifest["tables"].items():
        summary = found.tables.get(name)
        if summary is None:
            problems.append(_("%(table)s absente") % {"table": name})
        elif summary.rows != facts["rows"]:
            problems.append(
                _("%(table)s : %(found)s lignes au lieu de %(expected)s")
                % {"table": name, "found": summary.rows, "expected": facts["rows"]}
            )
        elif summary.checksum != facts["checksum"]:
            problems.append(_("%(table)s : contenu différent") % {"table": name})
    for name in sorted(set(found.tables) - set(manifest["tables"])):
        if found.tables[name].rows:
            problems.append(_("%(table)s : table en trop, non vide") % {"table": name})
    return problems


def _pending_migrations(connection: BaseDatabaseWrapper) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def backup_restore(*, archive: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False) -> RestoreResult:
    """Restore `archive` into the database `using` (empty, unless `force`) and the local media folder, then
    check every table's row count and checksum against the manifest. Raises BackupError on any refusal
    (nothing written) or mismatch (the restored database differs from the archive)."""
    connection = connections[using]
    _outside_transactions(connection)
    media_root = local_media_root()
    with tempfile.TemporaryDirectory(prefix="centreville-restauration-") as folder:
        staging = Path(folder)
        manifest = archive_unpack(archive, staging)
        _check_restorable(manifest, connection, force)
        media = [name for name in manifest["files"] if name.startswith(MEDIA_PREFIX)]
        if media and media_root is None:
            raise BackupError(
                _(
                    "L'archive contient %(count)s fichiers envoyés, mais les fichiers de la plateforme ne "
                    "sont pas rangés dans un dossier local : copiez-les vers leur stockage à la main."
                )
                % {"count": len(media)}
            )
        dump = staging / manifest["database"]["file"]
        if connection.vendor == "postgresql":
            _restore_postgresql(connection, dump)
        else:
            _restore_sqlite(connection, dump)
        media_files = _restore_media(staging, media, media_root) if media_root else 0
    found = describe_database(using)
    problems = _mismatches(manifest, found)
    if problems:
        raise BackupError(
            _("La base restaurée ne correspond pas à l'archive : %(problems)s.")
            % {"problems": "; ".join(problems)}
        )
    ContentType.objects.db_manager(using).clear_cache()  # ids cached from the database replaced
    return RestoreResult(
        tables=len(manifest["tables"]),
        rows=sum(facts["rows"] for facts in manifest["tables"].values()),
        media_files=media_files,
        pending_migrations=_pending_migrations(connection),
    )
