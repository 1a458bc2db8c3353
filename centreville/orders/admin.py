from django.contrib import admin

from .models import Order, OrderEvent, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product", "variant"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "actor", "reason")
    fields = readonly_fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "shop", "town", "status", "customer_name", "created_at"]
    list_filter = ["status", "town"]
    search_fields = ["reference", "basket_reference", "customer_name", "customer_contact"]
    list_select_related = ["shop", "town"]
    raw_id_fields = ["shop", "customer"]
    inlines = [OrderLineInline, OrderEventInline]
