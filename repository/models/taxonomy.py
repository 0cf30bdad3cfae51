"""Taxonomies practices are tagged with: stakeholders, crisis types, regions, countries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderQuerySet(models.QuerySet):
    def with_children(self):
        """These stakeholders plus the children of any parent among them."""
        return Stakeholder.objects.filter(models.Q(pk__in=self) | models.Q(parent__in=self))


class Stakeholder(models.Model):
    """A type of actor implementing a practice, in a two-level tree (States → host State)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A stakeholder cannot be its own parent.")})
            if self.parent.parent_id is not None:
                raise ValidationError(
                    {"parent": _("Stakeholders form a two-level tree: choose a top-level parent.")}
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("This stakeholder has children, so it must stay top-level.")}
                )


class CrisisType(models.Model):
    """A kind of crisis: conflict, natural disaster, health emergency, other."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("crisis type")
        verbose_name_plural = _("crisis types")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A world region; every country belongs to exactly one."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Country(models.Model):
    """A country or territory, keyed by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"
            )
        ]

    def __str__(self):
        return self.name
