from django.contrib import admin

from centreville.shops.admin import import_shops

from .models import Territory, Town


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "insee_code", "territory", "is_published"]
    list_filter = ["is_published", "territory"]
    search_fields = ["name", "slug", "insee_code"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [import_shops]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
