from django.contrib import admin
from django.http import HttpRequest

from .models import Movement, Participation, Programme, Statement, Voucher


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "territory", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["shop", "programme", "is_active", "rules_accepted_at"]
    raw_id_fields = ["shop", "accepted_by"]


# The ledger is written by `ledger.py` only: the admin shows it and never changes it.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "programme",
        "beneficiary_name",
        "paid_balance_cents",
        "town_balance_cents",
        "status",
    ]
    search_fields = ["code", "beneficiary_name", "beneficiary_key"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "voucher", "kind", "paid_cents", "town_cents", "shop"]
    list_filter = ["kind"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "shop", "month", "amount_cents", "status", "paid_at"]
    list_filter = ["status"]
