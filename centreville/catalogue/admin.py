from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "shop", "town", "price", "stock", "is_visible"]
    list_filter = ["is_visible", "town"]
    search_fields = ["title", "shop__name"]
    list_select_related = ["shop", "town"]
    raw_id_fields = ["shop"]
    autocomplete_fields = ["town"]
