"""Fields of the MICIC content kept in every interface language (django-modeltranslation).

Each gets ``<field>_en``, ``_fr``, ``_es``, ``_ar`` columns; reading ``<field>`` gives the
active language's value, or the English one where that language has none. Titles of
guidelines and principles are filled in another language only from a published MICIC
translation (fixtures/micic.json says where each comes from); otherwise the English title
is shown, marked ``lang="en"``.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Guideline, Phase, Principle


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Principle)
class PrincipleTranslation(TranslationOptions):
    fields = ("title", "statement", "summary", "body")


@register(Guideline)
class GuidelineTranslation(TranslationOptions):
    fields = ("title", "short_title", "summary", "body")
