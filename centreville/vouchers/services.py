"""Programmes, the shops taking part, and issuing vouchers under a programme's rules.

Lock order: the programme, then its vouchers (`ledger.py`). Issuing locks the programme's row, so that two
issues cannot both pass the budget or a cap that only one of them fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from stdnum import iban as iban_numbers

from centreville.shops.models import Shop

from .ledger import VoucherRefused, euros, vouchers_create
from .models import (
    BeneficiaryKind,
    Invitation,
    Movement,
    MovementKind,
    Participation,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Voucher,
)


def voucher_shares(programme: Programme, face_value_cents: int) -> tuple[int, int]:
    """How a voucher of this face value splits into what its buyer pays and what the town adds."""
    if programme.kind == ProgrammeKind.TOP_UP:
        return programme.top_up_paid_cents, programme.top_up_value_cents - programme.top_up_paid_cents
    if face_value_cents not in programme.face_values_cents:
        raise VoucherRefused(
            _("Cette valeur n'est pas proposée par l'opération : %(values)s.")
            % {"values": ", ".join(euros(value) for value in programme.face_values_cents)},
            code="face_value",
        )
    if programme.kind == ProgrammeKind.FREE:
        return 0, face_value_cents
    return face_value_cents, 0


def town_share_committed(programme: Programme) -> int:
    """The town's share issued and neither expired nor withdrawn: what its budget still answers for."""
    issued = (
        Voucher.objects.filter(programme=programme).aggregate(total=Sum("town_issued_cents"))["total"] or 0
    )
    released = (
        Movement.objects.filter(
            programme=programme, kind__in=[MovementKind.EXPIRY, MovementKind.CANCELLATION]
        ).aggregate(total=Sum("town_cents"))["total"]
        or 0
    )
    return issued + released


def _cap(programme: Programme, beneficiary_kind: str) -> int | None:
    return {
        BeneficiaryKind.PERSON: programme.cap_per_person_cents,
        BeneficiaryKind.HOUSEHOLD: programme.cap_per_household_cents,
        BeneficiaryKind.COMPANY: programme.cap_per_company_cents,
    }[BeneficiaryKind(beneficiary_kind)]


@dataclass(frozen=True)
class Beneficiary:
    kind: str
    # A person's e-mail, a household's reference, a company's SIREN: what the caps count by.
    key: str
    name: str = ""
    postcode: str = ""


def _refusal_to_issue(
    programme: Programme, beneficiary: Beneficiary, total_cents: int, town_cents: int, at: datetime
) -> str | None:
    today = at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    if programme.status != ProgrammeStatus.OPEN or not programme.starts_on <= today <= programme.ends_on:
        return _("L'opération « %(name)s » n'émet pas de bons en ce moment.") % {"name": programme.name}
    if programme.eligible_postcodes and beneficiary.postcode not in programme.eligible_postcodes:
        return _("L'opération est réservée aux adresses des codes postaux %(postcodes)s.") % {
            "postcodes": ", ".join(programme.eligible_postcodes)
        }
    cap = _cap(programme, beneficiary.kind)
    if cap is not None:
        already = (
            Voucher.objects.filter(programme=programme, beneficiary_key=beneficiary.key).aggregate(
                total=Sum("paid_issued_cents") + Sum("town_issued_cents")
            )["total"]
            or 0
        )
        if already + total_cents > cap:
            return _("Le plafond de %(cap)s par bénéficiaire serait dépassé (déjà émis : %(already)s).") % {
                "cap": euros(cap),
                "already": euros(already),
            }
    if programme.budget_cents is not None and town_cents:
        left = programme.budget_cents - town_share_committed(programme)
        if town_cents > left:
            return _("Le budget de la ville pour cette opération est épuisé (reste %(left)s).") % {
                "left": euros(max(left, 0))
            }
    return None


def check_issue(
    *, programme: Programme, beneficiary: Beneficiary, face_value_cents: int, count: int, at: datetime
) -> tuple[int, int]:
    """What each of `count` vouchers of this face value splits into (paid, town's share) when the programme's
    rules (dates, eligibility, caps, the town's budget; not its invitations) let them be issued now; raises
    VoucherRefused in French. Without a lock on the programme it only foretells: `vouchers_issue` checks
    again under that lock."""
    if count < 1:
        raise VoucherRefused(_("Indiquez au moins un bon."), code="count")
    paid, town = voucher_shares(programme, face_value_cents)
    refusal = _refusal_to_issue(programme, beneficiary, (paid + town) * count, town * count, at)
    if refusal:
        raise VoucherRefused(refusal, code="refused")
    return paid, town


def vouchers_issue(
    *,
    programme: Programme,
    beneficiary: Beneficiary,
    face_value_cents: int,
    at: datetime,
    count: int = 1,
    by: Any = None,
    origin: str = "",
    invitation: Invitation | None = None,
) -> list[Voucher]:
    """Issue `count` vouchers of one face value to one beneficiary, all or none, within the programme's
    rules (dates, eligibility, invitation, caps, the town's budget); raises VoucherRefused in French."""
    if count < 1:
        raise VoucherRefused(_("Indiquez au moins un bon."), code="count")
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        paid, town = voucher_shares(locked, face_value_cents)
        if locked.invitation_only:
            if invitation is None or invitation.programme_id != locked.pk:
                raise VoucherRefused(
                    _("Cette opération est sur invitation : aucune invitation n'est donnée.")
                )
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.used_at is not None:
                raise VoucherRefused(_("Cette invitation a déjà été utilisée."), code="invitation_used")
        check_issue(
            programme=locked, beneficiary=beneficiary, face_value_cents=face_value_cents, count=count, at=at
        )
        if invitation is not None:
            invitation.used_at = at
            invitation.save(update_fields=["used_at", "updated_at"])
        return vouchers_create(
            programme=locked,
            count=count,
            paid_cents=paid,
            town_cents=town,
            beneficiary_kind=beneficiary.kind,
            beneficiary_key=beneficiary.key,
            beneficiary_name=beneficiary.name,
            at=at,
            by=by,
            origin=origin,
        )


def participation_join(
    *, programme: Programme, shop: Shop, iban: str, at: datetime, by: Any = None
) -> Participation:
    """A merchant accepts the programme's rules for their shop and gives the account reimbursed."""
    if programme.status == ProgrammeStatus.CLOSED:
        raise VoucherRefused(_("Cette opération est close."), code="closed")
    in_space = shop.town_id == programme.town_id or (
        programme.territory_id is not None and shop.town.territory_id == programme.territory_id
    )
    if not in_space:
        raise VoucherRefused(_("Ce commerce n'est pas dans le territoire de l'opération."), code="elsewhere")
    if programme.chains_excluded and not shop.is_independent:
        raise VoucherRefused(
            _(
                "L'opération est réservée aux commerces indépendants : "
                "les chaînes et franchises en sont exclues."
            ),
            code="chain",
        )
    try:
        account = iban_numbers.validate(iban)
    except Exception:
        raise VoucherRefused(_("Cet IBAN n'est pas valable : vérifiez-le."), code="iban") from None
    participation, _created = Participation.objects.update_or_create(
        programme=programme,
        shop=shop,
        defaults={"rules_accepted_at": at, "accepted_by": by, "iban": account, "is_active": True},
    )
    return participation


def participation_leave(*, participation: Participation) -> None:
    """The shop stops accepting the vouchers; what it was paid in them is still reimbursed."""
    participation.is_active = False
    participation.save(update_fields=["is_active", "updated_at"])
