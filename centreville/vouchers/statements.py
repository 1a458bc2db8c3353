"""Merchants' monthly reimbursement statements and the treasury's export.

A statement gathers every spend (and spend given back) of one shop not yet on a statement and dated before
the end of the month: a refund after its spend's month lowers the next statement. A shop whose month nets to
zero or less gets none, and its movements wait for the next month. Statements are made under a lock on the
programme, so that a month is stated once; each movement is on one statement at most.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from centreville.core.spreadsheets import spreadsheet_amount, spreadsheet_text, spreadsheet_writer

from .ledger import VoucherRefused
from .models import Movement, MovementKind, Participation, Programme, Statement, StatementStatus


def _amount(cents: int) -> str:
    return spreadsheet_amount(Decimal(cents) / 100)


def statements_make(
    *, programme: Programme, month: date, month_end: datetime, at: datetime
) -> list[Statement]:
    """The statements of `month` (its first day), for movements dated before `month_end` (the next month's
    start on the town's clock); safe to run twice."""
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        unstated = Movement.objects.filter(
            programme=programme,
            kind__in=[MovementKind.SPEND, MovementKind.SPEND_REFUND],
            statement__isnull=True,
            at__lt=month_end,
        )
        per_shop = unstated.values("shop_id").annotate(
            total=Sum("paid_cents") + Sum("town_cents"), spends=Count("pk")
        )
        accounts = dict(Participation.objects.filter(programme=programme).values_list("shop_id", "iban"))
        made = []
        for row in per_shop.order_by("shop_id"):
            amount = -row["total"]
            if (
                amount <= 0
                or Statement.objects.filter(programme=programme, shop_id=row["shop_id"], month=month).exists()
            ):
                continue
            statement = Statement.objects.create(
                programme=programme,
                shop_id=row["shop_id"],
                month=month,
                number=f"R{programme.pk}-{month:%Y%m}-{row['shop_id']}",
                amount_cents=amount,
                spends=row["spends"],
                iban=accounts.get(row["shop_id"], ""),
                made_at=at,
            )
            unstated.filter(shop_id=row["shop_id"]).update(statement=statement)
            made.append(statement)
        return made


def statement_mark_paid(
    *, statement: Statement, transfer_reference: str, at: datetime, by: Any = None
) -> None:
    """The programme's holder paid the statement (its transfer's reference); written once."""
    reference = transfer_reference.strip()
    if not reference:
        raise VoucherRefused(_("Indiquez la référence du virement."), code="no_reference")
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.status == StatementStatus.PAID:
            raise VoucherRefused(_("Ce relevé est déjà marqué remboursé."), code="already_paid")
        locked.status, locked.paid_at, locked.transfer_reference, locked.paid_by = (
            StatementStatus.PAID,
            at,
            reference,
            by,
        )
        locked.save(update_fields=["status", "paid_at", "transfer_reference", "paid_by", "updated_at"])
    statement.refresh_from_db()


def statement_csv(statement: Statement) -> str:
    """Every spend of a statement, one line each, for the merchant's accounts."""
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow([_("Date"), _("Opération"), _("Bon"), _("Nature"), _("Montant (€)"), _("Référence")])
    for movement in statement.movements.select_related("voucher").order_by("at", "pk"):
        writer.writerow(
            [
                localtime(movement.at).strftime("%Y-%m-%d %H:%M"),
                spreadsheet_text(statement.programme.name),
                "…" + movement.voucher.code[-4:],
                movement.get_kind_display(),
                _amount(-movement.amount_cents),
                spreadsheet_text(movement.reference),
            ]
        )
    writer.writerow([_("Total"), "", "", "", _amount(statement.amount_cents), statement.number])
    return out.getvalue()


def treasury_export_csv(*, programme: Programme, statements: list[Statement]) -> str:
    """One line per reimbursement, as a municipal treasury takes them: payee, SIRET, IBAN, amount, dates,
    references."""
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(
        [
            _("Numéro du relevé"),
            _("Opération"),
            _("Bénéficiaire"),
            _("SIRET"),
            _("IBAN"),
            _("Mois"),
            _("Montant (€)"),
            _("Nombre d'achats"),
            _("Établi le"),
            _("Remboursé le"),
            _("Référence du virement"),
        ]
    )
    for statement in statements:
        writer.writerow(
            [
                statement.number,
                spreadsheet_text(programme.name),
                spreadsheet_text(statement.shop.name),
                statement.shop.siret,
                statement.iban,
                f"{statement.month:%Y-%m}",
                _amount(statement.amount_cents),
                statement.spends,
                localtime(statement.made_at).date().isoformat(),
                localtime(statement.paid_at).date().isoformat() if statement.paid_at else "",
                spreadsheet_text(statement.transfer_reference),
            ]
        )
    return out.getvalue()
