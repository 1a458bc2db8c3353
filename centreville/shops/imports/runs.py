"""An import as the town sees it: an `ImportRun` row that records progress while it runs, then the summary.

`import_run_execute()` is synchronous (the command and the tests call it directly); the web page hands it
to a background thread with `import_run_launch()`, for want of a task queue.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.accounts.models import User
from centreville.shops.models import ImportRun, ImportStatus, ShopSource
from centreville.towns.models import Town

from .common import ImportReport, SourceReader, import_shops
from .osm import OsmReader
from .sirene import SireneReader

logger = logging.getLogger(__name__)

# Progress is written to the database at most this often: enough for a page refreshing every 2 s. It is
# also the run's heartbeat: an import writes it at least every few seconds while it lives.
PROGRESS_EVERY_SECONDS = 0.5
# A run whose heartbeat has stopped for this long died with its process (a killed worker, a restarted
# server): it is closed, and the manager can start the import again at once.
STALE_AFTER = timedelta(seconds=60)


class ImportFailed(Exception):
    """The file could not be read; the message is French and meant for the person who sent it."""


def reader_for(source: str, stream: IO[bytes], *, town: Town, file_name: str = "") -> SourceReader:
    """The reader of `source` over `stream`; raises ImportFailed, in French, when the file is not of that
    kind or cannot be read at all."""
    try:
        if source == ShopSource.OSM:
            return OsmReader(stream, town=town, file_name=file_name)
        if source == ShopSource.SIRENE:
            return SireneReader(stream, town=town, file_name=file_name)
    except ValueError as error:
        raise ImportFailed(str(error)) from error
    except Exception as error:  # a damaged file can fail in many ways; none is worth a 500
        logger.warning("Shop import: unreadable %s file %r", source, file_name, exc_info=True)
        raise ImportFailed(
            _("Ce fichier est illisible (abîmé, ou d'un autre format que celui choisi).")
        ) from error
    raise ImportFailed(_("Origine d'import inconnue : %(source)s") % {"source": source})


INTERRUPTED = gettext_lazy(
    "Import interrompu (le processus qui le menait s'est arrêté) : relancez-le, rien ne sera créé deux fois."
)


def run_is_dead(run: ImportRun, *, now: datetime) -> bool:
    """A run said to be under way whose heartbeat stopped: its process was killed."""
    return not run.is_finished and run.updated_at < now - STALE_AFTER


def recent_runs(town: Town, *, limit: int) -> QuerySet[ImportRun]:
    """The town's latest imports, newest first, with who started them."""
    return ImportRun.objects.for_town(town).select_related("started_by")[:limit]


def town_run(town: Town, run_id: int) -> ImportRun | None:
    """An import of `town` by id, with who started it; None for another town's."""
    return ImportRun.objects.for_town(town).select_related("started_by").filter(pk=run_id).first()


def _close_stale_runs(town: Town, now: datetime) -> None:
    ImportRun.objects.for_town(town).filter(
        status__in=(ImportStatus.PENDING, ImportStatus.RUNNING), updated_at__lt=now - STALE_AFTER
    ).update(status=ImportStatus.FAILED, error=str(INTERRUPTED), finished_at=now)


@transaction.atomic
def import_run_start(
    *, town: Town, source: str, file_name: str, actor: User | None, now: datetime | None = None
) -> ImportRun:
    """A new pending import for the town; refused while another one is alive there (a run whose heartbeat
    stopped is closed as interrupted)."""
    now = now or timezone.now()
    Town.objects.select_for_update().filter(pk=town.pk).first()  # one start at a time per town
    _close_stale_runs(town, now)
    busy = (
        ImportRun.objects.for_town(town)
        .filter(status__in=(ImportStatus.PENDING, ImportStatus.RUNNING))
        .exists()
    )
    if busy:
        raise ValidationError(_("Un import est déjà en cours pour cette ville : attendez qu'il se termine."))
    run = ImportRun(town=town, source=source, file_name=file_name[:255], started_by=actor)
    run.full_clean()
    run.save()
    return run


def _save_progress(run: ImportRun, report: ImportReport, reader: SourceReader) -> None:
    fraction = reader.fraction
    ImportRun.objects.filter(pk=run.pk).update(
        rows_read=reader.rows_read,
        progress=min(99, int((fraction or 0) * 100)),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        merged=report.merged,
        skipped=report.skipped_total,
        warnings=report.warnings_total,
        updated_at=timezone.now(),
    )


def import_run_execute(
    *,
    run: ImportRun,
    stream: IO[bytes],
    on_progress: Callable[[ImportReport, SourceReader], None] | None = None,
) -> ImportReport:
    """Import the file into the run's town (see `_execute`). The report is stored in the platform's
    language, whoever started it: it is data the whole town team reads, like the file's own text."""
    with translation.override(settings.LANGUAGE_CODE):
        return _execute(run=run, stream=stream, on_progress=on_progress)


def _execute(
    *,
    run: ImportRun,
    stream: IO[bytes],
    on_progress: Callable[[ImportReport, SourceReader], None] | None = None,
) -> ImportReport:
    """Import the file into the run's town, recording progress on the run; raises ImportFailed on a bad file.

    Shops saved before a failure stay saved: running the import again completes it without duplicates.
    """
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING, updated_at=timezone.now())
    last_saved = 0.0

    def progress(report: ImportReport, reader: SourceReader) -> None:
        nonlocal last_saved
        if on_progress is not None:
            on_progress(report, reader)
        now = time.monotonic()
        if now - last_saved >= PROGRESS_EVERY_SECONDS:
            last_saved = now
            _save_progress(run, report, reader)

    try:
        reader = reader_for(run.source, stream, town=run.town, file_name=run.file_name)
        report = import_shops(
            town=run.town, reader=reader, actor=run.started_by, run=run, on_progress=progress
        )
    except ImportFailed as error:
        _finish(run, status=ImportStatus.FAILED, error=str(error))
        raise
    except Exception as error:
        logger.exception("Shop import %s failed", run.pk)
        message = _(
            "L'import s'est arrêté sur une erreur inattendue, signalée à l'équipe technique ; les commerces "
            "enregistrés avant l'erreur sont conservés."
        )
        _finish(run, status=ImportStatus.FAILED, error=message)
        raise ImportFailed(message) from error
    status = ImportStatus.INCOMPLETE if report.truncated else ImportStatus.DONE
    _finish(run, status=status, report=report, rows_read=reader.rows_read)
    return report


def import_dry_run(*, town: Town, source: str, stream: IO[bytes], file_name: str = "") -> ImportReport:
    """What an import of this file would do, computed in full and then rolled back: nothing is written."""
    reader = reader_for(source, stream, town=town, file_name=file_name)
    outcome: list[ImportReport] = []
    with transaction.atomic():
        outcome.append(import_shops(town=town, reader=reader))
        transaction.set_rollback(True)
    report = outcome[0]
    report.dry_run = True
    return report


def _finish(
    run: ImportRun, *, status: str, error: str = "", report: ImportReport | None = None, rows_read: int = 0
) -> None:
    run.refresh_from_db()
    run.status, run.error, run.finished_at = status, error, timezone.now()
    if report is not None:
        run.rows_read, run.progress = rows_read, 100
        run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
        run.merged, run.warnings = report.merged, report.warnings_total
        run.skipped, run.report = report.skipped_total, report.as_json()
        if report.truncated:
            run.error = report.truncated
    run.save()


def _start_thread(target: Callable[[], Any]) -> threading.Thread:
    thread = threading.Thread(target=target, name="shop-import", daemon=True)
    thread.start()
    return thread


def import_run_launch(*, run: ImportRun, path: Path) -> None:
    """Run the import of the file at `path` in a background thread once the run is committed; the file is
    deleted afterwards."""

    def work() -> None:
        in_thread = threading.current_thread() is not threading.main_thread()
        if in_thread:
            close_old_connections()
        try:
            with path.open("rb") as stream:
                import_run_execute(run=ImportRun.objects.select_related("town", "started_by").get(pk=run.pk),
                                   stream=stream)  # fmt: skip
        except ImportFailed:
            pass  # recorded on the run, which the page shows
        finally:
            if path.exists():
                os.unlink(path)
            if in_thread:
                connection.close()

    transaction.on_commit(lambda: _start_thread(work))
