from django.contrib import admin

from .models import Shop, ShopMembership, TradeCategory


@admin.register(TradeCategory)
class TradeCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ShopMembershipInline(admin.TabularInline):
    model = ShopMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "category", "status"]
    list_filter = ["status", "town", "category"]
    search_fields = ["name", "street_address"]
    list_select_related = ["town", "category"]
    autocomplete_fields = ["town", "category"]
    inlines = [ShopMembershipInline]
