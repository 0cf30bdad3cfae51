"""The MICIC Guidelines themselves: crisis phases, the 10 Principles, the 15 Guidelines."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Phase(models.Model):
    """A crisis phase: preparedness, emergency response or post-crisis action."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("crisis phase")
        verbose_name_plural = _("crisis phases")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("repository:phase-detail", kwargs={"slug": self.slug})


class Principle(models.Model):
    """One of the 10 cross-cutting MICIC Principles."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("short title"), max_length=200)
    # The official heading as published; empty where it has not been verified.
    statement = models.TextField(_("official statement"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=10), name="principle_number_1_10"
            )
        ]

    def __str__(self):
        return _("Principle %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("guidelines:principle-detail", kwargs={"number": self.number})


class Guideline(models.Model):
    """One of the 15 MICIC Guidelines, grouped by crisis phase."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    thematic_area = models.CharField(
        _("thematic area"),
        max_length=120,
        blank=True,
        help_text=_("The name of the matching thematic area in the original online repository."),
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="guidelines", verbose_name=_("phase")
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=15), name="guideline_number_1_15"
            )
        ]

    def __str__(self):
        return _("Guideline %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("repository:guideline-detail", kwargs={"number": self.number})
