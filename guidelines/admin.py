from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Guideline, Phase, Principle


@admin.register(Phase)
class PhaseAdmin(TranslationAdmin):
    list_display = ["order", "name", "slug"]
    list_display_links = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Principle)
class PrincipleAdmin(TranslationAdmin):
    list_display = ["number", "title", "has_statement"]
    list_display_links = ["title"]
    search_fields = ["title", "statement", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(boolean=True, description=_("official statement"))
    def has_statement(self, obj):
        return bool(obj.statement)


@admin.register(Guideline)
class GuidelineAdmin(TranslationAdmin):
    list_display = ["number", "title", "phase", "thematic_area"]
    list_display_links = ["title"]
    list_filter = ["phase"]
    search_fields = ["title", "short_title", "thematic_area", "summary", "body"]
    list_select_related = ["phase"]
    prepopulated_fields = {"slug": ["short_title"]}
