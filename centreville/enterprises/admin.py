"""The platform's staff see every enterprise, and choose which producers a town or a territory shows."""

from django.contrib import admin
from django.db import models

from .models import Enterprise, EnterpriseMember, PickupPlace, SpaceProducer


class EnterpriseMemberInline(admin.TabularInline):
    model = EnterpriseMember
    extra = 0
    raw_id_fields = ["user"]


class PickupPlaceInline(admin.StackedInline):
    model = PickupPlace
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "city", "is_producer", "is_buyer", "vat_regime", "is_active"]
    list_filter = ["is_producer", "is_buyer", "vat_regime", "is_active"]
    search_fields = ["name", "siret", "city", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["shop"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [EnterpriseMemberInline, PickupPlaceInline]


@admin.register(SpaceProducer)
class SpaceProducerAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "town", "territory", "added_by", "created_at"]
    list_filter = ["town", "territory"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "town", "territory", "added_by"]
    raw_id_fields = ["enterprise", "town", "territory", "added_by"]
