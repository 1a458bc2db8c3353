"""Erase the personal data kept past its retention period, as the scheduler does at every round.

`manage.py personal_data_purge [--dry-run] [--at 2027-03-28T09:30:00+02:00]`: the last line counts what was
(with `--dry-run`: would be) erased, by kind: `personal_data_purge orders=… baskets=… … dry_run=0`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.accounts.retention import personal_data_purge, summary_line


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; one without offset is on the platform's clock."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("« %(text)s » n'est pas une date ISO 8601 : écrivez par exemple 2027-03-28T09:30:00+02:00.")
            % {"text": text}
        ) from error
    return at if timezone.is_aware(at) else timezone.make_aware(at)


class Command(BaseCommand):
    help = "Erase the personal data kept past its retention period (orders' contacts, baskets, tokens…)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; write nothing.")
        parser.add_argument("--at", help="The time to purge at, ISO 8601 (default: now).")

    def handle(self, *args: Any, dry_run: bool, at: str | None, **options: Any) -> None:
        moment = parse_time(at) if at else timezone.now()
        counts = personal_data_purge(at=moment, dry_run=dry_run)
        self.stdout.write(summary_line(counts, dry_run=dry_run))
