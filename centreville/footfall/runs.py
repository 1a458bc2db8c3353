"""An import of counts as the town sees it: a `CountImport` row that records progress while it runs, then its
report; the import history of the town.

`count_import_execute()` is synchronous (the command and the tests call it); the import page stores the
uploaded files with the run and hands the run to the worker (`count_import_launch()`, django-tasks).

While the files are read, progress is saved every half second (in its own autocommitted updates: the page
reads it); the writing is one transaction, so the page then says « enregistrement » until it is done.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.accounts.models import User
from centreville.towns.models import Town

from .importing import ImportFailed, ImportReport, SourceFile, counts_import
from .models import CountImport, CountImportFile, CountingSite, ImportStatus, MobilityKind

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
# Reading the files is this share of the bar; writing them (one transaction, no progress) the rest.
READING_SHARE = 90
# A run not finished and silent this long died with its process (or was never picked up by a worker): it
# is closed, and the town can import again. Writing five years of counts takes well under a minute.
STALE_AFTER = timedelta(minutes=15)

INTERRUPTED = gettext_lazy(
    "Import interrompu (le processus qui le menait s'est arrêté) : relancez-le, rien ne sera compté deux "
    "fois."
)

Progress = Callable[[str, float, ImportReport], None]


def run_is_dead(run: CountImport, *, now: datetime) -> bool:
    return not run.is_finished and run.updated_at < now - STALE_AFTER


def recent_imports(town: Town, *, limit: int) -> QuerySet[CountImport]:
    """The town's latest imports of counts, newest first, with who started them."""
    return CountImport.objects.for_town(town).select_related("started_by")[:limit]


def town_import(town: Town, run_id: int) -> CountImport | None:
    return CountImport.objects.for_town(town).select_related("started_by").filter(pk=run_id).first()


@transaction.atomic
def count_import_start(
    *,
    town: Town,
    file_names: Sequence[str],
    actor: User | None,
    site: CountingSite | None = None,
    kind: str = MobilityKind.PEDESTRIAN,
    files: Sequence[SourceFile] = (),
    now: datetime | None = None,
) -> CountImport:
    """A new pending import for the town, with the `files` the worker will read (the command reads its own);
    refused while another import of counts is under way there."""
    now = now or timezone.now()
    Town.objects.select_for_update().filter(pk=town.pk).first()  # one start at a time per town
    stale = CountImport.objects.for_town(town).filter(
        status__in=(ImportStatus.PENDING, ImportStatus.READING, ImportStatus.WRITING),
        updated_at__lt=now - STALE_AFTER,
    )
    CountImportFile.objects.filter(run__in=stale).delete()
    stale.update(status=ImportStatus.FAILED, error=str(INTERRUPTED), finished_at=now)
    busy = (
        CountImport.objects.for_town(town)
        .filter(status__in=(ImportStatus.PENDING, ImportStatus.READING, ImportStatus.WRITING))
        .exists()
    )
    if busy:
        raise ValidationError(
            _("Un import de comptages est déjà en cours pour cette ville : attendez qu'il se termine.")
        )
    if site is not None and site.town_id != town.pk:
        raise ValidationError(_("Ce site de comptage n'est pas de cette ville."))
    run = CountImport(
        town=town, file_names=[name[:255] for name in file_names], started_by=actor, site=site, kind=kind
    )
    run.full_clean()
    run.save()
    CountImportFile.objects.bulk_create(
        CountImportFile(run=run, position=position, name=source.name[:255], content=source.data)
        for position, source in enumerate(files)
    )
    return run


def count_import_execute(
    *, run: CountImport, sources: Sequence[SourceFile], on_progress: Progress | None = None
) -> ImportReport:
    """Import the files into the run's town, recording progress and then the outcome on the run; raises
    ImportFailed (recorded on the run) when they cannot be imported. The report is written in the
    platform's language, whoever started it: the whole town team reads it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _execute(run=run, sources=sources, on_progress=on_progress)


def _execute(
    *, run: CountImport, sources: Sequence[SourceFile], on_progress: Progress | None
) -> ImportReport:
    CountImport.objects.filter(pk=run.pk).update(status=ImportStatus.READING, updated_at=timezone.now())
    last_saved = 0.0

    def progress(stage: str, fraction: float, report: ImportReport) -> None:
        nonlocal last_saved
        if on_progress is not None:
            on_progress(stage, fraction, report)
        now = time.monotonic()
        if stage == "writing" or now - last_saved >= PROGRESS_EVERY_SECONDS:
            last_saved = now
            writing = stage == "writing"
            CountImport.objects.filter(pk=run.pk).update(
                status=ImportStatus.WRITING if writing else ImportStatus.READING,
                progress=READING_SHARE if writing else int(fraction * READING_SHARE),
                rows=report.rows,
                rejected=report.rejected,
                updated_at=timezone.now(),
            )

    try:
        report = counts_import(
            town=run.town, sources=sources, site=run.site, kind=run.kind, on_progress=progress
        )
    except ImportFailed as error:
        _finish(run, status=ImportStatus.FAILED, error=str(error))
        raise
    except Exception as error:
        logger.exception("Import of counts %s failed", run.pk)
        message = _(
            "L'import s'est arrêté sur une erreur inattendue, signalée à l'équipe technique ; aucun comptage "
            "n'a été enregistré."
        )
        _finish(run, status=ImportStatus.FAILED, error=message)
        raise ImportFailed(message) from error
    _finish(run, status=ImportStatus.DONE, report=report)
    return report


def _finish(run: CountImport, *, status: str, error: str = "", report: ImportReport | None = None) -> None:
    run.refresh_from_db()
    run.status, run.error, run.finished_at = status, error, timezone.now()
    if report is not None:
        run.progress = 100
        run.rows, run.imported, run.updated = report.rows, report.imported, report.updated
        run.unchanged, run.rejected, run.channels = report.unchanged, report.rejected, report.channels
        run.total, run.first, run.last = report.total, report.first, report.last
        run.report = report.as_json()
    run.save()
    CountImportFile.objects.filter(run=run).delete()


def count_import_launch(*, run: CountImport) -> None:
    """Hand the run (its files stored with it) to the worker once it is committed."""
    run_id = run.pk

    def enqueue() -> None:
        try:
            _tasks().import_counts.enqueue(run_id)
        except Exception:
            logger.exception("Could not queue the import of counts %s", run_id)
            CountImport.objects.filter(pk=run_id, status=ImportStatus.PENDING).update(
                status=ImportStatus.FAILED,
                error=str(_("L'import n'a pas pu être confié au serveur de tâches : relancez-le plus tard.")),
                finished_at=timezone.now(),
            )

    transaction.on_commit(enqueue)


def count_import_run_stored(run_id: int) -> None:
    """The worker's part: import the files stored with a pending run (a run already closed is left)."""
    run = CountImport.objects.select_related("town", "site", "started_by").filter(pk=run_id).first()
    if run is None or run.status != ImportStatus.PENDING:
        return
    sources = [SourceFile(file.name, bytes(file.content)) for file in run.files.order_by("position")]
    with contextlib.suppress(ImportFailed):  # recorded on the run, which the page shows
        count_import_execute(run=run, sources=sources)


def _tasks() -> Any:
    # The tasks module imports this one; imported when first needed.
    from . import tasks

    return tasks
