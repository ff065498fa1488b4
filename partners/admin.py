from django.contrib import admin

from .models import Coverage, Membership, NeedDomain, Offer, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school_level", "postcode", "active"]
    list_filter = ["kind", "school_level", "active"]
    search_fields = ["name", "school_number"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ["school", "bridge_figure"]
    autocomplete_fields = ["school"]


@admin.register(NeedDomain)
class NeedDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "label_nl", "label_fr", "label_en", "order"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "capacity", "verified_at", "active"]
    list_filter = ["kind", "capacity", "active"]
    search_fields = ["name", "organisation__name"]
    filter_horizontal = ["need_domains"]
