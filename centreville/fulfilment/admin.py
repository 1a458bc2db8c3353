from django.contrib import admin

from .models import DeliveryZone, Locker, RelayPoint, ShopFulfilment, TownFulfilment, TownOrderSettings


@admin.register(TownFulfilment)
class TownFulfilmentAdmin(admin.ModelAdmin):
    list_display = [
        "town",
        "pickup_enabled",
        "relay_enabled",
        "locker_enabled",
        "delivery_enabled",
        "delivery_base_fee",
        "subsidy_percent",
        "subsidy_cap",
    ]
    list_select_related = ["town"]
    raw_id_fields = ["town"]


@admin.register(ShopFulfilment)
class ShopFulfilmentAdmin(admin.ModelAdmin):
    list_display = [
        "shop",
        "pickup_enabled",
        "relay_enabled",
        "locker_enabled",
        "delivery_enabled",
        "preparation_minutes",
        "slot_minutes",
        "slot_capacity",
    ]
    list_filter = ["shop__town"]
    search_fields = ["shop__name"]
    list_select_related = ["shop"]
    raw_id_fields = ["shop"]


class PickupPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "street_address", "opening_hours", "is_active"]
    list_filter = ["is_active", "town"]
    search_fields = ["name", "street_address"]
    list_select_related = ["town"]


@admin.register(RelayPoint)
class RelayPointAdmin(PickupPlaceAdmin):
    pass


@admin.register(Locker)
class LockerAdmin(PickupPlaceAdmin):
    list_display = [*PickupPlaceAdmin.list_display, "compartments"]


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "postcodes", "radius_km", "extra_fee", "is_active"]
    list_filter = ["is_active", "town"]
    search_fields = ["name"]
    list_select_related = ["town"]


@admin.register(TownOrderSettings)
class TownOrderSettingsAdmin(admin.ModelAdmin):
    list_display = ["town", "accept_within_hours", "collect_within_days", "online_payment_enabled"]
