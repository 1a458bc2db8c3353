"""An import of events as the town team sees it: an `EventImport` row, queued by the import page and run by
the worker, or run at once by `manage.py import_events`; the last runs of the town, with their outcome.

The events and the run's outcome are written in one transaction: a run is done with all its events written,
or failed with none. Reading (and downloading an address) happens before it, outside any transaction. Runs of
one town are written one at a time (the town's row is locked), so that two imports of the same calendar never
race to create the same event. A run found queued or running after `STALE_AFTER` died with its process.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.accounts.models import User
from centreville.accounts.retention import delete_in_batches, in_days, retention_cutoff
from centreville.towns.models import Town

from .importing.base import FORMATS, SKIPPED, ImportFailed, ImportReport, SourceFile
from .importing.fetching import fetch
from .importing.storing import read_file, store_events
from .models import EventImport, ImportSourceKind, ImportState

logger = logging.getLogger(__name__)

# The items left out kept with their reason on a run: enough to act on, never a whole calendar.
REMARKS_KEPT = 100
RECENT_RUNS = 10
# Reading and writing a town's calendar takes seconds; a run silent this long has died with its process.
STALE_AFTER = timedelta(minutes=15)
# The record of a run (who sent which file or address) is kept this long.
RETENTION_DAYS = 365

INTERRUPTED = gettext_lazy(
    "Import interrompu (le processus qui le menait s'est arrêté) : relancez-le, rien ne sera créé deux fois."
)
UNEXPECTED = gettext_lazy(
    "L'import s'est arrêté sur une erreur inattendue, signalée à l'équipe technique ; aucun événement n'a "
    "été enregistré."
)

# Tests replace the network here (an httpx transport); None is the network.
FETCH_TRANSPORT: httpx.BaseTransport | None = None


def is_address(location: str) -> bool:
    """Whether `location` is an address to download (https://, http:// or webcal://) rather than a file."""
    return location.strip().lower().startswith(("http://", "https://", "webcal://"))


@transaction.atomic
def import_run_queue(
    *,
    town: Town,
    actor: User | None,
    at: datetime,
    file_format: str,
    default_kind: str,
    upload: SourceFile | None = None,
    address: str = "",
    keep_file: bool = True,
) -> EventImport:
    """A new queued run of the town, with the file it imports (`upload`, kept with the run until the worker
    has read it, unless `keep_file` is false: the caller then runs it with the file) or the `address` to
    download. Runs of the town left unfinished too long are closed as interrupted."""
    _close_stale(town=town, at=at)
    if upload is not None:
        kind, name = ImportSourceKind.FILE, upload.name or _("fichier")
        content = upload.data if keep_file else None
    else:
        kind, name, content = ImportSourceKind.ADDRESS, address.strip(), None
    run = EventImport(
        town=town,
        started_by=actor,
        source_kind=kind,
        source_name=name[:500],
        requested_format=file_format,
        default_kind=default_kind,
        content=content,
        queued_at=at,
    )
    run.full_clean(exclude=["content"])
    run.save()
    return run


def _close_stale(*, town: Town, at: datetime) -> None:
    unfinished = EventImport.objects.for_town(town).filter(
        state__in=(ImportState.QUEUED, ImportState.RUNNING)
    )
    unfinished.filter(
        Q(started_at__lt=at - STALE_AFTER) | Q(started_at__isnull=True, queued_at__lt=at - STALE_AFTER)
    ).update(state=ImportState.FAILED, error=str(INTERRUPTED), content=None, finished_at=at)


def import_run_launch(*, run: EventImport) -> None:
    """Hand the run to the worker once it is committed; a queue that cannot be reached fails the run."""
    run_id = run.pk

    def enqueue() -> None:
        from .tasks import run_event_import  # the tasks module imports this one

        try:
            run_event_import.enqueue(run_id)
        except Exception:
            logger.exception("Could not queue the import of events %s", run_id)
            EventImport.objects.filter(pk=run_id, state=ImportState.QUEUED).update(
                state=ImportState.FAILED,
                error=str(_("L'import n'a pas pu être confié au serveur de tâches : relancez-le plus tard.")),
                content=None,
            )

    transaction.on_commit(enqueue)


def import_run_perform(run_id: int, *, at: datetime) -> None:
    """The worker's part: run a queued run (a run already taken, or gone, is left: safe to run twice)."""
    if not EventImport.objects.filter(pk=run_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, started_at=at
    ):
        return
    run = EventImport.objects.select_related("town", "started_by").get(pk=run_id)
    with contextlib.suppress(ImportFailed):  # recorded on the run, which the import page shows
        import_run_execute(run=run, at=at)


def import_run_execute(*, run: EventImport, at: datetime, source: SourceFile | None = None) -> ImportReport:
    """Import the run's file (`source`, else the one stored with it, else its address downloaded) into its
    town, and record the outcome on the run; ImportFailed (recorded on the run, nothing written) when it
    cannot be imported. The report is in the platform's language, whoever started it: the whole team reads
    it."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return _execute(run=run, at=at, source=source)
        except ImportFailed as error:
            _record_failure(run, at=at, error=str(error))
            raise
        except Exception as error:
            logger.exception("Import of events %s failed", run.pk)
            _record_failure(run, at=at, error=str(UNEXPECTED))
            raise ImportFailed(str(UNEXPECTED)) from error


def _execute(*, run: EventImport, at: datetime, source: SourceFile | None) -> ImportReport:
    if run.state == ImportState.QUEUED:
        EventImport.objects.filter(pk=run.pk).update(state=ImportState.RUNNING, started_at=at)
    if source is None:
        if run.content is not None:
            source = SourceFile(run.source_name, bytes(run.content))
        else:
            source = fetch(run.source_name, transport=FETCH_TRANSPORT)
    detected, items = read_file(
        town=run.town, source=source, file_format=run.requested_format, default_kind=run.default_kind
    )
    report = ImportReport(file_name=source.name, format=detected)
    with transaction.atomic():
        Town.objects.select_for_update().filter(pk=run.town_id).first()  # one import per town at a time
        store_events(town=run.town, items=items, source=detected, actor=run.started_by, at=at, report=report)
        remarks = [
            {
                "title": item.title,
                "uid": item.uid,
                "outcome": item.outcome,
                # A skipped item says why; an imported one only what could not be kept of it.
                "reason": " ".join([item.reason, *item.notes] if item.outcome == SKIPPED else item.notes),
            }
            for item in report.items
            if item.outcome == SKIPPED or item.notes
        ]
        EventImport.objects.filter(pk=run.pk).update(
            state=ImportState.DONE,
            format=detected,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            skipped=report.skipped,
            remarks=remarks[:REMARKS_KEPT],
            remarks_count=len(remarks),
            content=None,
            error="",
            finished_at=at,
        )
    return report


def _record_failure(run: EventImport, *, at: datetime, error: str) -> None:
    EventImport.objects.filter(pk=run.pk).update(
        state=ImportState.FAILED, error=error, content=None, finished_at=at
    )


# --- The import page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunLine:
    """A run as the import page shows it."""

    run: EventImport
    is_stale: bool  # queued or running for too long: its process died

    @property
    def in_progress(self) -> bool:
        return not self.run.is_finished and not self.is_stale

    @property
    def format_label(self) -> str:
        return FORMATS.get(self.run.format, self.run.format)


def recent_import_runs(*, town: Town, at: datetime, limit: int = RECENT_RUNS) -> list[RunLine]:
    """The town's latest runs, newest first, with who started them: one query, the files left unread."""
    runs = (
        EventImport.objects.for_town(town)
        .select_related("started_by")
        .defer("content")
        .order_by("-queued_at", "-pk")[:limit]
    )
    return [
        RunLine(run, is_stale=not run.is_finished and run.last_heard_at < at - STALE_AFTER) for run in runs
    ]


# --- Retention --------------------------------------------------------------------------------------------


def import_runs_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Delete the runs recorded more than `RETENTION_DAYS` days before `at` (who sent what), in batches."""
    due = EventImport.objects.filter(queued_at__lt=retention_cutoff(at, days=RETENTION_DAYS))
    return delete_in_batches(due, "queued_at", "pk", dry_run=dry_run)


def import_runs_period() -> str:
    return in_days(RETENTION_DAYS)
