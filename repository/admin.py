from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from . import tasks
from .models import (
    ApiToken,
    Country,
    CrisisType,
    Email,
    ModerationEvent,
    Practice,
    Region,
    Stakeholder,
)


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


class EmailInline(admin.TabularInline):
    model = Email
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """Every e-mail about a submission and what became of it; failed ones can be sent again."""

    list_display = ["created_at", "practice", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "practice__title"]
    list_select_related = ["practice"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "practice",
        "kind",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed, or waiting far past their next attempt)"))
    def send_again(self, request, queryset):
        count = tasks.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


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
    inlines = [ModerationEventInline, EmailInline]
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by the first characters of their key: the key itself is shown once, when the
    token is added, and never stored. Deleting a token revokes it."""

    list_display = ["prefix_shown", "name", "user", "created_at", "expires_at", "last_used_at"]
    list_filter = ["created_at", "expires_at"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "expires_at", "prefix_shown", "created_at", "last_used_at"]
    readonly_fields = ["prefix_shown", "created_at", "last_used_at"]

    @admin.display(description=_("key"), ordering="prefix")
    def prefix_shown(self, token):
        return f"{token.prefix}…" if token.prefix else "—"

    def get_readonly_fields(self, request, token=None):
        # The owner of an existing token does not change.
        return [*self.readonly_fields, "user"] if token else self.readonly_fields

    def save_model(self, request, token, form, change):
        key = None if change else token.set_new_key()
        super().save_model(request, token, form, change)
        if key:
            self.message_user(
                request,
                _("The new key is %(key)s. Copy it now: it is stored hashed, never shown again.")
                % {"key": key},
                messages.WARNING,
            )
