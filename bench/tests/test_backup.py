"""The backup benchmark's parts: where it restores, the uploads it writes, its defaults."""

from __future__ import annotations

from pathlib import Path

from bench.backup import PHOTO_BYTES, parse_args, restore_url, summary_of, write_photos


def test_the_archive_is_restored_beside_the_source_database() -> None:
    assert (
        restore_url("postgres://postgres@127.0.0.1:5432/centreville_bench_backup")
        == "postgres://postgres@127.0.0.1:5432/centreville_bench_backup_restore"
    )


def test_the_uploads_stand_for_photos_in_monthly_folders(tmp_path: Path) -> None:
    write_photos(tmp_path, 14)

    files = sorted(tmp_path.rglob("*.jpg"))
    assert len(files) == 14
    assert {path.parent.name for path in files} == {f"{month:02d}" for month in range(1, 13)}
    assert all(path.stat().st_size == PHOTO_BYTES for path in files)


def test_a_command_summary_reads_as_pairs() -> None:
    assert summary_of("restore tables=68 rows=101487 verified=yes seconds=8.8") == {
        "tables": "68",
        "rows": "101487",
        "verified": "yes",
        "seconds": "8.8",
    }


def test_the_defaults_make_a_town_of_100000_products() -> None:
    args = parse_args([])

    assert args.shops * args.products_per_shop == 100_000
    assert args.postgres_url.endswith("/centreville_bench_backup")
