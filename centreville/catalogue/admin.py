from django.contrib import admin

from .models import Product, ProductCategory, ProductVariant


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "shop", "town", "price", "stock", "is_visible"]
    list_filter = ["is_visible", "town", "category"]
    search_fields = ["title", "reference", "shop__name"]
    list_select_related = ["shop", "town"]
    raw_id_fields = ["shop"]
    autocomplete_fields = ["town"]
    inlines = [ProductVariantInline]
