"""Practice: a real example of implementing the MICIC Guidelines, and its moderation status."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from guidelines.models import Guideline, Phase, Principle

from ..markdown import render_markdown
from .tags import Kind
from .taxonomy import Country, CrisisType, Stakeholder


def single_line(value: str) -> None:
    """No line breaks: the title is the subject of the e-mails about a practice, where a line
    break would be a header injection (and makes Django refuse to send the message)."""
    if "\r" in value or "\n" in value:
        raise ValidationError(_("Use a single line, without line breaks."), code="line_break")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def year_errors(year, year_end) -> dict[str, str]:
    """The year rule of a practice, {field: message}: the model, the submission form and the
    API all check it here."""
    if year_end is not None and year is None:
        return {"year": _("Give the start year too, or leave the end year empty.")}
    if year is not None and year_end is not None and year_end < year:
        return {"year_end": _("The end year cannot be before the start year.")}
    return {}


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """The practices the public may see: approved ones. The only definition of it."""
        return self.filter(status=Status.APPROVED)

    def submissions(self):
        """Practices that came in through a submission, not the curated MICIC content."""
        return self.filter(content_key__isnull=True)

    def in_status(self, status: str):
        """Practices in one moderation status (for moderators, never for the public)."""
        return self.filter(status=status)

    def for_list(self):
        """Everything a list row shows, in a fixed number of queries whatever the length."""
        return self.prefetch_related(
            "phases",
            "stakeholders",
            "crisis_types",
            Prefetch("guidelines", queryset=Guideline.objects.only("id", "number", "title")),
            Prefetch("countries", queryset=Country.objects.select_related("region")),
        )

    def for_detail(self):
        """Everything the detail page and detail API show."""
        return self.for_list().prefetch_related(
            Prefetch("principles", queryset=Principle.objects.only("id", "number", "title")),
        )

    def recent(self):
        return self.order_by("-published_at", "-pk")


class Practice(models.Model):
    """A practice of a State, organisation, civil society or private actor, tagged for search."""

    title = models.CharField(_("title"), max_length=300, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False, blank=True)
    summary = models.TextField(
        _("summary"), help_text=_("Plain text: a few sentences on what was done and for whom.")
    )
    body = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    kind = models.CharField(
        _("kind of record"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.PRACTICE,
        db_index=True,
        help_text=_(
            "Implemented practice: something an actor did, somewhere. Recommendation: a "
            "suggested practice. Resource: a tool, guide, training or study."
        ),
    )

    phases = models.ManyToManyField(
        Phase, related_name="practices", blank=True, verbose_name=_("crisis phases")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, related_name="practices", blank=True, verbose_name=_("stakeholders")
    )
    crisis_types = models.ManyToManyField(
        CrisisType, related_name="practices", blank=True, verbose_name=_("crisis types")
    )
    guidelines = models.ManyToManyField(
        Guideline, related_name="practices", blank=True, verbose_name=_("guidelines")
    )
    principles = models.ManyToManyField(
        Principle, related_name="practices", blank=True, verbose_name=_("principles")
    )
    countries = models.ManyToManyField(
        Country, related_name="practices", blank=True, verbose_name=_("countries")
    )

    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the practice started, when known."),
    )
    year_end = models.PositiveSmallIntegerField(
        _("end year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    organizations = models.TextField(
        _("organisations"), blank=True, help_text=_("Who implemented it, comma-separated.")
    )
    source_title = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        default="en",
        validators=[RegexValidator(r"^[a-z]{2}$", _("Use a two-letter ISO 639-1 code."))],
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    # Full-text vector, maintained by repository.search on PostgreSQL (unused on SQLite,
    # which keeps an FTS5 table instead).
    search_vector = SearchVectorField(null=True, editable=False)

    # Curated content loaded from fixtures/ carries a stable key; submissions have none.
    content_key = models.CharField(
        _("content key"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    # The fields and tags of curated content as last loaded from fixtures/: a later
    # ``load_micic --refresh`` changes only what a curator has not edited since.
    content_snapshot = models.JSONField(null=True, blank=True, editable=False)

    # Submission: the reference a submitter follows it by, and who they are. The
    # contact details are never shown publicly and never in the API.
    reference = models.CharField(
        _("reference"), max_length=24, unique=True, null=True, blank=True, editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_practices",
        verbose_name=_("submitted by (account)"),
    )
    submitter_name = models.CharField(_("submitter name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("submitter e-mail"), blank=True)
    submitter_organization = models.CharField(
        _("submitter organisation"), max_length=300, blank=True
    )
    credit_organization = models.BooleanField(
        _("credit the submitting organisation publicly"),
        default=False,
        help_text=_("If set, the practice page says which organisation shared it."),
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        indexes = [
            # The public list, newest first: read in order, stopping after a page.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status=Status.APPROVED),  # published(), as an index can hold it
                name="practice_published_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_end__isnull=True)
                | models.Q(year__isnull=False, year_end__gte=models.F("year")),
                name="practice_year_end_after_year",
                violation_error_message=_("The end year cannot be before the start year."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200].strip("-") or "practice"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("repository:practice-detail", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self):
        super().clean()
        errors = year_errors(self.year, self.year_end)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, *args, **kwargs):
        practice = super().from_db(*args, **kwargs)
        # What the public saw before any change in memory (repository.search.version).
        practice._loaded_status = practice.__dict__.get("status")
        return practice

    @property
    def is_published(self):
        return self.status == Status.APPROVED

    @property
    def body_html(self):
        """The description rendered from Markdown and sanitised."""
        return render_markdown(self.body)

    @property
    def regions(self):
        """The regions of the practice's countries, derived, in region order."""
        regions = {country.region.pk: country.region for country in self.countries.all()}
        return sorted(regions.values(), key=lambda region: (region.order, region.name))

    @property
    def years(self):
        if self.year and self.year_end and self.year_end != self.year:
            return f"{self.year}–{self.year_end}"
        return str(self.year) if self.year else ""
