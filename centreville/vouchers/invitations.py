"""Free vouchers on invitation: the households a town invites, read from a CSV file, then one voucher for
each invitation not used yet, given by the worker.

The file is the town's list of households: a reference, a name, a postcode per line (`;` or `,`, UTF-8 or
Windows-1252, a header line or none). Each line that cannot be kept is reported with its number and a French
reason and skipped; a reference seen twice, in the file or already invited, is reported as a duplicate. The
lines kept are written in one transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .ledger import VoucherRefused
from .models import BeneficiaryKind, Invitation, Programme
from .services import Beneficiary, vouchers_issue

logger = logging.getLogger(__name__)

POSTCODE = re.compile(r"^\d{5}$")
# The header's names of each column, as towns write them (lower case, without accents or spaces).
COLUMNS = {
    "reference": ("reference", "ref", "referencefoyer", "numero", "id", "identifiant"),
    "name": ("nom", "name", "foyer", "nomdufoyer"),
    "postcode": ("codepostal", "cp", "postcode"),
}
# An issue silent this long died with its worker: another may be started (each invitation is used once).
ISSUE_STALE_AFTER = timedelta(minutes=30)
_FOLD = str.maketrans("éèêàç", "eeeac", " _-'.")


@dataclass(frozen=True)
class LineProblem:
    line: int
    reference: str
    reason: str


@dataclass
class InvitationImport:
    invited: int = 0
    skipped: list[LineProblem] = field(default_factory=list)
    duplicates: list[LineProblem] = field(default_factory=list)

    def summary(self) -> str:
        return " ".join(
            [
                ngettext("%(count)d foyer invité,", "%(count)d foyers invités,", self.invited)
                % {"count": self.invited},
                ngettext("%(count)d ligne écartée,", "%(count)d lignes écartées,", len(self.skipped))
                % {"count": len(self.skipped)},
                ngettext("%(count)d doublon.", "%(count)d doublons.", len(self.duplicates))
                % {"count": len(self.duplicates)},
            ]
        )


def _text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header(row: list[str]) -> dict[str, int] | None:
    """The position of each column when `row` is a header line, else None (the columns in order)."""
    folded = [cell.strip().lower().translate(_FOLD) for cell in row]
    found = {}
    for name, spellings in COLUMNS.items():
        for index, cell in enumerate(folded):
            if cell in spellings:
                found[name] = index
    return found if "reference" in found and "name" in found else None


def invitations_import(*, programme: Programme, data: bytes) -> InvitationImport:
    """Invite the households of a CSV file to `programme`; the report says what was kept and why not."""
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    positions = {"reference": 0, "name": 1, "postcode": 2}
    start = 1
    if rows and (header := _header(rows[0])) is not None:
        positions, start = header, 2
        rows = rows[1:]
    report = InvitationImport()
    already = set(Invitation.objects.filter(programme=programme).values_list("reference", flat=True))
    seen: dict[str, int] = {}
    new: list[Invitation] = []
    for number, row in enumerate(rows, start=start):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = positions.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        reference, name, postcode = cell("reference"), cell("name"), cell("postcode").replace(" ", "")
        reason = _refusal(programme, reference, name, postcode)
        if reason:
            report.skipped.append(LineProblem(number, reference, reason))
            continue
        if reference in seen:
            report.duplicates.append(
                LineProblem(
                    number, reference, _("déjà dans le fichier, ligne %(line)d") % {"line": seen[reference]}
                )
            )
            continue
        seen[reference] = number
        if reference in already:
            report.duplicates.append(LineProblem(number, reference, _("foyer déjà invité")))
            continue
        new.append(Invitation(programme=programme, reference=reference, name=name, postcode=postcode))
    with transaction.atomic():
        Invitation.objects.bulk_create(new, batch_size=1000)
    report.invited = len(new)
    return report


def _refusal(programme: Programme, reference: str, name: str, postcode: str) -> str:
    if not reference:
        return _("référence du foyer manquante")
    if len(reference) > 60:
        return _("référence trop longue (60 caractères au plus)")
    if not name:
        return _("nom manquant")
    if len(name) > 160:
        return _("nom trop long (160 caractères au plus)")
    if postcode and not POSTCODE.match(postcode):
        return _("« %(value)s » n'est pas un code postal (5 chiffres)") % {"value": postcode}
    if programme.eligible_postcodes and postcode not in programme.eligible_postcodes:
        return _("code postal « %(value)s » hors de l'opération (%(postcodes)s)") % {
            "value": postcode,
            "postcodes": ", ".join(programme.eligible_postcodes),
        }
    return ""


@dataclass
class InvitationIssue:
    issued: int = 0
    refused: list[LineProblem] = field(default_factory=list)


# Stored on each voucher given (data, one language whatever the page's): the sheets find them by it.
INVITATION_ORIGIN = "Invitation "


def invitation_origin(invitation: Invitation) -> str:
    return INVITATION_ORIGIN + invitation.reference


def invitations_issue_queue(
    *, programme: Programme, face_value_cents: int, at: datetime, by: Any = None
) -> int:
    """Hand the issue to the worker (thousands of households take minutes), once the page's transaction
    commits; the number of households waiting. Refused while an issue of the programme is under way."""
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.invitations_queued_at is not None and locked.invitations_queued_at > at - ISSUE_STALE_AFTER:
            raise VoucherRefused(
                _("Les bons de cette opération sont déjà en cours d'émission : attendez la fin."),
                code="issuing",
            )
        locked.invitations_queued_at = at
        locked.save(update_fields=["invitations_queued_at", "updated_at"])
        waiting = Invitation.objects.filter(programme=locked, used_at__isnull=True).count()
        arguments = (locked.pk, face_value_cents, at.isoformat(), getattr(by, "pk", None))

        def enqueue() -> None:
            from .tasks import issue_invitation_vouchers  # the tasks module imports this one

            try:
                issue_invitation_vouchers.enqueue(*arguments)
            except Exception:  # the queue unreachable: the page offers the issue again at once
                logger.exception("Could not queue the invitations' vouchers of programme %s", arguments[0])
                Programme.objects.filter(pk=arguments[0]).update(invitations_queued_at=None)

        transaction.on_commit(enqueue)
    return waiting


def invitations_issue_perform(
    *, programme_id: int, face_value_cents: int, at: datetime, by_id: int | None
) -> InvitationIssue:
    """The worker's part: issue, then mark the programme's issue as over, whatever happened."""
    programme = Programme.objects.get(pk=programme_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id is not None else None
    try:
        return invitations_issue(programme=programme, face_value_cents=face_value_cents, at=at, by=by)
    finally:
        Programme.objects.filter(pk=programme_id).update(invitations_queued_at=None)


def invitations_issue(
    *, programme: Programme, face_value_cents: int, at: datetime, by: Any = None
) -> InvitationIssue:
    """One voucher of `face_value_cents` for each invitation not used yet, each issued on its own (a
    refusal, the budget spent, stops that household only, and is kept on its invitation for the page);
    safe to run twice."""
    report = InvitationIssue()
    pending = list(Invitation.objects.filter(programme=programme, used_at__isnull=True).order_by("pk"))
    for invitation in pending:
        beneficiary = Beneficiary(
            kind=BeneficiaryKind.HOUSEHOLD,
            key=invitation.reference,
            name=invitation.name,
            postcode=invitation.postcode,
        )
        try:
            vouchers_issue(
                programme=programme,
                beneficiary=beneficiary,
                face_value_cents=face_value_cents,
                at=at,
                by=by,
                origin=invitation_origin(invitation),
                invitation=invitation,
            )
        except VoucherRefused as refused:
            reason = refused.messages[0]
            report.refused.append(LineProblem(0, invitation.reference, reason))
            Invitation.objects.filter(pk=invitation.pk).update(refusal=reason)
        else:
            report.issued += 1
            if invitation.refusal:
                Invitation.objects.filter(pk=invitation.pk).update(refusal="")
    return report
