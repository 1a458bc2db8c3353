from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import Town

from .models import ImportRun, Shop, ShopClaim, ShopClosure, ShopMembership, ShopStatusChange, TradeCategory


@admin.register(TradeCategory)
class TradeCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ShopMembershipInline(admin.TabularInline):
    model = ShopMembership
    extra = 0
    autocomplete_fields = ["user"]


class ShopStatusChangeInline(admin.TabularInline):
    model = ShopStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    fields = ("created_at", "from_status", "to_status", "actor", "reason")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ShopClosureInline(admin.TabularInline):
    model = ShopClosure
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "category", "status", "source"]
    list_filter = ["status", "source", "town", "category"]
    search_fields = ["name", "street_address", "siret", "osm_id"]
    list_select_related = ["town", "category"]
    autocomplete_fields = ["town", "category"]
    # The status moves only through the workflow (the town's "Commerces à valider" page), which records it.
    readonly_fields = ["status", "rejection_reason", "source", "osm_id"]
    inlines = [ShopMembershipInline, ShopClosureInline, ShopStatusChangeInline]


@admin.action(description=_("Importer des commerces…"))
def import_shops(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Town]
) -> HttpResponse | None:
    """Town admin action: open the town's import page (the same upload form as the town manager's)."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choisissez une seule ville à la fois."), level=messages.WARNING)
        return None
    town = queryset.get()
    return redirect("shops_imports:index", town_slug=town.slug)


# An action of the town's admin page (towns, installed before shops, registers it first), added from here
# since towns comes below shops.
_town_admin = admin.site.get_model_admin(Town)
_town_admin.actions = [*(_town_admin.actions or ()), import_shops]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "town", "source", "file_name", "status", "created", "updated", "skipped"]
    list_filter = ["status", "source", "town"]
    list_select_related = ["town"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ShopClaim)
class ShopClaimAdmin(admin.ModelAdmin):
    list_display = ["created_at", "shop", "user", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["shop", "user", "decided_by"]
    search_fields = ["shop__name", "user__email"]
    raw_id_fields = ["shop", "user", "decided_by"]
