from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Country, CrisisType, ModerationEvent, Practice, Region, Stakeholder


class CountryInline(TranslationTabularInline):
    model = Country
    extra = 0
    fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "country_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CountryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(country_count=Count("countries"))

    @admin.display(description=_("countries"), ordering="country_count")
    def country_count(self, obj):
        return obj.country_count


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(Stakeholder)
class StakeholderAdmin(TranslationAdmin):
    list_display = ["name", "slug", "parent", "order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CrisisType)
class CrisisTypeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "year", "published_at", "updated_at"]
    list_filter = [
        "status",
        "phases",
        "guidelines",
        "crisis_types",
        "stakeholders",
        ("countries__region", admin.RelatedOnlyFieldListFilter),
        "language",
    ]
    search_fields = ["title", "summary", "body", "organizations", "source_title", "countries__name"]
    date_hierarchy = "published_at"
    filter_horizontal = ["phases", "stakeholders", "crisis_types", "guidelines", "principles"]
    autocomplete_fields = ["countries"]
    readonly_fields = ["status", "created_at", "updated_at", "published_at", "content_key"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModerationEventInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "language"]}),
        (
            _("Tags"),
            {"fields": ["phases", "guidelines", "principles", "stakeholders", "crisis_types"]},
        ),
        (_("Where and when"), {"fields": ["countries", "year", "year_end"]}),
        (_("Who and source"), {"fields": ["organizations", "source_title", "source_url"]}),
        (
            _("Submitter (never public)"),
            {"fields": ["submitter_name", "submitter_email", "submitter_organization"]},
        ),
        (
            _("Status"),
            {"fields": ["status", "published_at", "created_at", "updated_at", "content_key"]},
        ),
    ]
