"""How long a backup and its restore take for a large town, on PostgreSQL.

    python -m bench.backup [--shops 1000] [--products-per-shop 100] [--photos 300] [--postgres-url URL]

Generates one bench town (`bench.dataset`, kept between runs when its size is the same) in its own database
and `--photos` uploaded files, runs `manage.py backup`, then `manage.py restore` in a new process into a
database created empty beside it (the same name with `_restore`), which checks every table's row count
and checksum against the manifest. The last line reads `bench=backup db=postgresql rows=… backup_seconds=…
restore_seconds=… verified=yes tables=… media_files=… bytes=…`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.run import BASE_DIR, setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_backup"
PHOTO_BYTES = 40_000  # about a product photo's medium rendition


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.backup", description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=1000)
    parser.add_argument("--products-per-shop", type=int, default=100)
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_BACKUP_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def restore_url(url: str) -> str:
    """The address of the database the archive is restored into: the same name with `_restore`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_restore"))


def recreate_database(url: str) -> None:
    """Drop the database named by `url` if it exists, and create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, connect_timeout=3, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def write_photos(root: Path, count: int, seed: int = 0) -> None:
    """`count` files standing for uploaded photos (their bytes do not compress, as JPEG's do not)."""
    rng = random.Random(seed)
    for number in range(count):
        path = root / "photos" / "2026" / f"{number % 12 + 1:02d}" / f"photo-{number:05d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(PHOTO_BYTES))


def summary_of(line: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in line.split()[1:])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    os.environ["CENTREVILLE_VAR_DIR"] = str(workdir / "source")  # its media folder is the one saved
    try:
        if not setup_django_on("postgresql", args.postgres_url):
            return 2
        from django.core.management import call_command

        from bench import dataset
        from bench.generate import migrate_if_needed

        migrate_if_needed()
        result = dataset.generate(dataset.Size(1, args.shops, args.products_per_shop))
        print(
            f"town {result.first_town_slug}: {result.counts.shops} shops, {result.counts.products} products "
            f"({'kept' if result.reused else f'generated in {result.seconds:.1f} s'})",
            flush=True,
        )
        write_photos(workdir / "source" / "media", args.photos)

        out = StringIO()
        call_command("backup", "--to", str(workdir / "archives"), stdout=out)
        backup_line = out.getvalue().strip().splitlines()[-1]
        print(backup_line, flush=True)
        backup = summary_of(backup_line)

        target = restore_url(args.postgres_url)
        recreate_database(target)
        env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        env |= {"DATABASE_URL": target, "CENTREVILLE_VAR_DIR": str(workdir / "restored")}
        restored = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), "restore", backup["path"]],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if restored.returncode != 0:
            print(restored.stderr, file=sys.stderr)
            return 1
        restore_line = restored.stdout.strip().splitlines()[-1]
        print(restore_line, flush=True)
        restore = summary_of(restore_line)
        print(
            f"bench=backup db=postgresql rows={backup['rows']} backup_seconds={backup['seconds']} "
            f"restore_seconds={restore['seconds']} verified={restore['verified']} tables={backup['tables']} "
            f"media_files={restore['media_files']} bytes={backup['bytes']}"
        )
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
