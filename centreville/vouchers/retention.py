"""How long vouchers keep the names and contacts of the people they were issued or sold to:
`PERSONAL_DATA_RETENTION_MONTHS` after the voucher is over (cancelled, spent out, or past the last day of
both its shares), counted from its last movement.

The vouchers, their movements and the sales stay, with their amounts and dates: they are the programme's
accounts, which must close at any date. What names or reaches a person is erased: a voucher's beneficiary
name and key (the key then names the voucher itself, so that caps still count it once), and a person's sale's
name, e-mail and postcode once none of its vouchers is alive. A company's sale keeps its identity: it is on
an invoice, which the law keeps ten years. Invitations go with their voucher's programme's end.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from centreville.accounts.retention import BATCH_SIZE, in_months, retention_cutoff

from .models import Sale, SaleBuyerKind, Voucher, VoucherStatus

ERASED = "Bénéficiaire effacé"


def vouchers_retention_period() -> str:
    return _("%(period)s après la fin du bon (épuisé, annulé ou expiré)") % {
        "period": in_months(settings.PERSONAL_DATA_RETENTION_MONTHS)
    }


def _over(*, at: datetime) -> Q:
    """Vouchers that can never be spent again at `at`."""
    return (
        Q(status=VoucherStatus.CANCELLED)
        | Q(paid_balance_cents=0, town_balance_cents=0)
        | Q(paid_expires_at__lte=at, town_expires_at__lte=at)
    )


def vouchers_personal_data_due(*, at: datetime) -> QuerySet[Voucher]:
    cutoff = retention_cutoff(at, months=settings.PERSONAL_DATA_RETENTION_MONTHS)
    return Voucher.objects.filter(_over(at=at), moved_at__lt=cutoff).exclude(beneficiary_name=ERASED)


def sales_personal_data_due(*, at: datetime) -> QuerySet[Sale]:
    cutoff = retention_cutoff(at, months=settings.PERSONAL_DATA_RETENTION_MONTHS)
    alive = Voucher.objects.filter(origin=OuterRef("reference")).exclude(_over(at=at))
    return (
        Sale.objects.filter(buyer_kind=SaleBuyerKind.PERSON, created_at__lt=cutoff)
        .exclude(buyer_name=ERASED)
        .exclude(Exists(alive))
    )


def vouchers_personal_data_purge(*, at: datetime, dry_run: bool = False) -> int:
    """Erase who vouchers and persons' sales were for, past the retention period at `at`, in batches; how
    many rows were (with `dry_run`: would be) made anonymous. Safe to run again."""
    if dry_run:
        return vouchers_personal_data_due(at=at).count() + sales_personal_data_due(at=at).count()
    erased = 0
    for model, due, fields in (
        (
            Voucher,
            vouchers_personal_data_due,
            {
                "beneficiary_name": Value(ERASED),
                "beneficiary_key": Concat(Value("voucher-"), Cast("pk", CharField())),
            },
        ),
        (
            Sale,
            sales_personal_data_due,
            {"buyer_name": Value(ERASED), "email": Value(""), "postcode": Value("")},
        ),
    ):
        while ids := list(due(at=at).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
            with transaction.atomic():
                erased += model.objects.filter(pk__in=ids).update(**fields)
    return erased
