from django.contrib import admin

from .models import (
    DeliveryRound,
    DrivePoint,
    StandingOrder,
    StandingOrderLine,
    StandingOrderRun,
    WholesaleLine,
    WholesaleOrder,
)


@admin.register(DrivePoint)
class DrivePointAdmin(admin.ModelAdmin[DrivePoint]):
    list_display = ("name", "city", "opening_hours", "slot_minutes", "capacity_per_slot", "is_active")
    search_fields = ("name", "city")
    filter_horizontal = ("producers", "shops")


@admin.register(DeliveryRound)
class DeliveryRoundAdmin(admin.ModelAdmin[DeliveryRound]):
    list_display = ("name", "enterprise", "cutoff_days_before", "cutoff_time", "minimum_order", "is_active")
    search_fields = ("name", "enterprise__name")
    raw_id_fields = ("enterprise",)


class WholesaleLineInline(admin.TabularInline[WholesaleLine, WholesaleOrder]):
    model = WholesaleLine
    extra = 0
    raw_id_fields = ("lot",)


@admin.register(WholesaleOrder)
class WholesaleOrderAdmin(admin.ModelAdmin[WholesaleOrder]):
    list_display = (
        "reference",
        "group_reference",
        "buyer",
        "producer",
        "status",
        "hand_over",
        "hand_over_at",
    )
    list_filter = ("status", "hand_over")
    search_fields = ("reference", "group_reference", "buyer__name", "producer__name")
    raw_id_fields = (
        "buyer",
        "producer",
        "placed_by",
        "pickup_place",
        "drive_point",
        "delivery_round",
        "standing_order",
    )
    inlines = [WholesaleLineInline]


class StandingOrderLineInline(admin.TabularInline[StandingOrderLine, StandingOrder]):
    model = StandingOrderLine
    extra = 0
    raw_id_fields = ("lot",)


class StandingOrderRunInline(admin.TabularInline[StandingOrderRun, StandingOrder]):
    model = StandingOrderRun
    extra = 0
    raw_id_fields = ("order",)
    readonly_fields = ("hand_over_on", "order", "failure")


@admin.register(StandingOrder)
class StandingOrderAdmin(admin.ModelAdmin[StandingOrder]):
    list_display = ("buyer", "producer", "weekday", "hand_over", "is_active")
    raw_id_fields = ("buyer", "producer", "created_by", "pickup_place", "drive_point", "delivery_round")
    inlines = [StandingOrderLineInline, StandingOrderRunInline]
