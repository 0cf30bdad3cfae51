"""Marking text whose language is not the page's (WCAG 3.1.2), and naming languages.

``{% lang_attrs guideline "title" %}`` gives ``lang="en" dir="ltr"`` where a translated
field shows its English text on a page in another language (no translation yet), nothing
where the page's language has its own. ``{{ "fr"|language_name }}`` names a language in the
page's language, from CLDR.
"""

from babel import Locale, UnknownLocaleError
from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


def has_translation(obj, field: str, language: str) -> bool:
    """Whether ``obj.<field>`` has its own text in ``language`` (not the English fallback)."""
    if language == settings.LANGUAGE_CODE:
        return True
    try:
        fields = translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        return False
    if field not in fields:
        return False
    return bool(getattr(obj, build_localized_fieldname(field, language), None))


@register.simple_tag
def lang_attrs(obj, field: str):
    """`` lang="en" dir="ltr"`` where the field is shown in English on another language's page."""
    if has_translation(obj, field, get_language() or settings.LANGUAGE_CODE):
        return ""
    return format_html(' lang="{}" dir="ltr"', settings.LANGUAGE_CODE)


@register.filter
def language_name(code: str) -> str:
    """The name of the language ``code`` (ISO 639-1) in the page's language; else the code."""
    try:
        name = Locale.parse(get_language() or settings.LANGUAGE_CODE).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


@register.simple_tag
def lang_text(obj, field: str):
    """The field's text, in ``<span lang="en" dir="ltr">`` where it is the English fallback.

    For use inside a translated sentence: ``{% lang_text g "title" as title %}``.
    """
    value = getattr(obj, field)
    if has_translation(obj, field, get_language() or settings.LANGUAGE_CODE):
        return conditional_escape(value)
    return format_html('<span lang="{}" dir="ltr">{}</span>', settings.LANGUAGE_CODE, value)
