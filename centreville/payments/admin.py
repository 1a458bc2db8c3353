from django.contrib import admin
from django.http import HttpRequest

from .models import Payment, PaymentShare, Refund, ShopPaymentAccount, WebhookEvent


@admin.register(ShopPaymentAccount)
class ShopPaymentAccountAdmin(admin.ModelAdmin):
    list_display = ["shop", "provider", "account_id", "charges_enabled", "details_submitted"]
    list_filter = ["provider", "charges_enabled"]
    search_fields = ["shop__name", "account_id"]
    raw_id_fields = ["shop"]
    # Merchants open their account from their back-office; what the provider says is not typed here.
    readonly_fields = [
        "charges_enabled",
        "details_submitted",
        "requirements_due",
        "pending_verification",
        "disabled_reason",
        "status_checked_at",
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PaymentShareInline(ReadOnlyInline):
    model = PaymentShare
    fields = ("order", "amount", "transfer_reference")
    readonly_fields = fields


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ("order", "amount", "provider_reference", "created_at")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Money is moved by the services only; here it is looked at."""

    list_display = [
        "basket_reference",
        "town",
        "provider",
        "amount",
        "amount_refunded",
        "status",
        "created_at",
    ]
    list_filter = ["status", "provider", "town"]
    search_fields = ["basket_reference", "provider_reference", "charge_reference"]
    list_select_related = ["town"]
    inlines = [PaymentShareInline, RefundInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "provider",
        "type",
        "event_id",
        "provider_reference",
        "processed",
        "problem",
    ]
    list_filter = ["provider", "processed", ("problem", admin.EmptyFieldListFilter), "type"]
    search_fields = ["event_id", "provider_reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
