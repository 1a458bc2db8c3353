"""Programmes, the shops taking part, and issuing vouchers under a programme's rules.

Lock order: the programme, then its vouchers (`ledger.py`). Issuing locks the programme's row, so that two
issues cannot both pass the budget or a cap that only one of them fits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from stdnum import iban as iban_numbers

from centreville.shops.models import Shop, validate_siret
from centreville.towns.models import Town

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
    Statement,
    Voucher,
)
from .months import month_span
from .statements import statements_make


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


# --- The town team's programmes: writing one, opening and closing it, selling at the town hall ---

POSTCODE = re.compile(r"^\d{5}$")
# The states a programme moves through: it is prepared, opened (vouchers issued and spent), then closed.
PROGRAMME_TRANSITIONS = {
    ProgrammeStatus.DRAFT: (ProgrammeStatus.OPEN,),
    ProgrammeStatus.OPEN: (ProgrammeStatus.CLOSED,),
    ProgrammeStatus.CLOSED: (),
}


@dataclass(frozen=True)
class ProgrammeFields:
    """Everything the town team sets on a programme; amounts in cents."""

    kind: str
    name: str
    slug: str
    holder_name: str
    holder_siret: str
    face_values_cents: list[int]
    top_up_paid_cents: int
    top_up_value_cents: int
    starts_on: date
    ends_on: date
    town_share_valid_until: date | None
    paid_share_validity_months: int
    budget_cents: int | None
    cap_per_person_cents: int | None
    cap_per_household_cents: int | None
    cap_per_company_cents: int | None
    eligible_postcodes: list[str]
    invitation_only: bool
    chains_excluded: bool
    rules: str


# What stops changing once a programme has issued a voucher: its vouchers were priced with it.
_FIXED_ONCE_ISSUED = ("kind", "top_up_paid_cents", "top_up_value_cents")


def _programme_errors(
    town: Town, fields: ProgrammeFields, programme: Programme | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if fields.kind == ProgrammeKind.TOP_UP:
        if fields.top_up_paid_cents <= 0:
            add("top_up_paid_cents", _("Indiquez ce que paie le bénéficiaire, plus de 0 €."))
        if fields.top_up_value_cents <= fields.top_up_paid_cents:
            add(
                "top_up_value_cents",
                _("Le bon doit valoir plus que ce qui est payé (%(paid)s) : sinon la ville n'ajoute rien.")
                % {"paid": euros(fields.top_up_paid_cents)},
            )
    else:
        if not fields.face_values_cents:
            add("face_values_cents", _("Indiquez au moins une valeur de bon."))
        elif any(value <= 0 for value in fields.face_values_cents):
            add("face_values_cents", _("Une valeur de bon doit être supérieure à 0 €."))
    if fields.ends_on < fields.starts_on:
        add("ends_on", _("La fin des émissions ne peut pas précéder leur début."))
    if fields.town_share_valid_until is not None and fields.town_share_valid_until < fields.ends_on:
        add(
            "town_share_valid_until",
            _("La part de la ville doit rester valable au moins jusqu'à la fin des émissions."),
        )
    for postcode in fields.eligible_postcodes:
        if not POSTCODE.match(postcode):
            add(
                "eligible_postcodes",
                _("« %(value)s » n'est pas un code postal français (5 chiffres).") % {"value": postcode},
            )
    if fields.holder_siret:
        try:
            validate_siret(fields.holder_siret)
        except ValidationError as error:
            add("holder_siret", error.messages[0])
    same_slug = Programme.objects.filter(town=town, slug=fields.slug)
    if programme is not None:
        same_slug = same_slug.exclude(pk=programme.pk)
    if same_slug.exists():
        add("slug", _("Une autre opération de la ville a déjà cette adresse."))
    if programme is not None:
        if programme.status == ProgrammeStatus.CLOSED:
            add("__all__", _("Cette opération est close : elle ne change plus."))
        elif programme.vouchers.exists():
            changed = [
                name for name in _FIXED_ONCE_ISSUED if getattr(fields, name) != getattr(programme, name)
            ]
            dropped = set(programme.face_values_cents) - set(fields.face_values_cents)
            if changed or (fields.kind != ProgrammeKind.TOP_UP and dropped):
                add(
                    "__all__",
                    _(
                        "L'opération a déjà émis des bons : sa nature, ses montants abondés et ses valeurs "
                        "proposées ne changent plus (on peut ajouter une valeur)."
                    ),
                )
    return errors


def programme_save(*, town: Town, fields: ProgrammeFields, programme: Programme | None = None) -> Programme:
    """Create (as a draft) or update a town's programme; raises ValidationError with a French message per
    field, and writes nothing then."""
    errors = _programme_errors(town, fields, programme)
    if errors:
        raise ValidationError(errors)
    values = asdict(fields)
    values["face_values_cents"] = sorted(set(fields.face_values_cents))
    values["eligible_postcodes"] = sorted(set(fields.eligible_postcodes))
    # Each kind keeps only its own amounts: a top-up has no face values, the others no top-up.
    if fields.kind == ProgrammeKind.TOP_UP:
        values["face_values_cents"] = []
    else:
        values["top_up_paid_cents"] = values["top_up_value_cents"] = 0
    with transaction.atomic():
        if programme is None:
            programme = Programme(town=town, status=ProgrammeStatus.DRAFT)
        else:
            programme = Programme.objects.select_for_update().get(pk=programme.pk)
        changed = [name for name, value in values.items() if getattr(programme, name) != value]
        for name in changed:
            setattr(programme, name, values[name])
        programme.full_clean()
        if programme.pk is None:
            programme.save()
        elif changed:
            programme.save(update_fields=[*changed, "updated_at"])
    return programme


def _programme_move(programme: Programme, to: str) -> Programme:
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if to not in PROGRAMME_TRANSITIONS[ProgrammeStatus(locked.status)]:
            raise VoucherRefused(
                _("Une opération « %(state)s » ne peut pas passer à « %(to)s ».")
                % {"state": locked.get_status_display(), "to": ProgrammeStatus(to).label},
                code="transition",
            )
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
    programme.refresh_from_db()
    return programme


def programme_open(*, programme: Programme, at: datetime) -> Programme:
    """Open a prepared programme: its vouchers can be issued from its first day, and spent."""
    today = at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    if programme.ends_on < today:
        raise VoucherRefused(
            _("La période d'émission de cette opération est passée : modifiez ses dates avant de l'ouvrir."),
            code="ended",
        )
    return _programme_move(programme, ProgrammeStatus.OPEN)


def programme_close(*, programme: Programme) -> Programme:
    """Close a programme: no voucher is issued or spent any more; statements and accounts go on."""
    return _programme_move(programme, ProgrammeStatus.CLOSED)


# Stored on each voucher sold (data, in one language whatever the page's): a payment issues vouchers once.
SALE_ORIGIN = "Vente en mairie — "


def gift_cards_sell(
    *,
    programme: Programme,
    beneficiary: Beneficiary,
    face_value_cents: int,
    count: int,
    payment_reference: str,
    at: datetime,
    by: Any = None,
) -> list[Voucher]:
    """Vouchers sold at the town hall, paid at its till: issued under the programme's rules, once per
    payment (the same reference twice is refused, so a form sent twice issues nothing more)."""
    reference = payment_reference.strip()
    if not reference:
        raise VoucherRefused(_("Indiquez la référence du paiement."), code="no_reference")
    origin = SALE_ORIGIN + reference
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        if Voucher.objects.filter(programme=programme, origin=origin).exists():
            raise VoucherRefused(
                _("Des bons ont déjà été émis pour le paiement « %(reference)s ».")
                % {"reference": reference},
                code="paid_twice",
            )
        return vouchers_issue(
            programme=programme,
            beneficiary=beneficiary,
            face_value_cents=face_value_cents,
            at=at,
            count=count,
            by=by,
            origin=origin,
        )


def month_statements_make(*, programme: Programme, month: date, at: datetime) -> list[Statement]:
    """The statements of a month that is over (`month` is its first day, on the town's clock): a month
    stated before its end would leave its last spends to the next one."""
    first_day = month.replace(day=1)
    _start, end = month_span(first_day)
    if at < end:
        raise VoucherRefused(
            _("Ce mois n'est pas terminé : ses relevés s'établissent à partir du %(day)s.")
            % {"day": formats.date_format(end.date(), "j F Y")},
            code="month_not_over",
        )
    return statements_make(programme=programme, month=first_day, month_end=end, at=at)
