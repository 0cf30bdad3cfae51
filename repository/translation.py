"""Taxonomy labels in every interface language (django-modeltranslation).

``name_en`` … ``name_ar``; ``name`` reads the active language's label, falling back to
English. Country names come from CLDR through Babel when the content is loaded
(repository/content.py), region, stakeholder and crisis type labels from fixtures/.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Country, CrisisType, Region, Stakeholder


@register([Stakeholder, CrisisType, Region, Country])
class NameTranslation(TranslationOptions):
    fields = ("name",)
