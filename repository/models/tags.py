"""The tag dimensions of a practice, declared once.

Every list of "the tags of a practice" derives from ``TAGS``: the FilterSet's filters, the
facet index, the chips of the search page, the CSV columns, the search documents, the
content loader, backup and restore, the submission form and API, the cache and index
signals, and the test factories. A new dimension is one entry here (plus its field and a
migration).

A dimension is either a many-to-many field to a tag model (phases, stakeholders…), found
by a natural key (slug, number, code), or a plain choice field of Practice (kind).
``region`` is derived: a practice's regions are those of its countries.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PRACTICE = "practice", _("Implemented practice")
    RECOMMENDATION = "recommendation", _("Recommendation")
    RESOURCE = "resource", _("Resource")


@dataclass(frozen=True)
class Tag:
    """One dimension of a practice's tags."""

    param: str  # URL parameter and facet name: ?phase=emergency
    field: str  # field on Practice: phases
    label: Promise  # the facet's heading
    unknown: Promise  # "… is not a known {unknown}"
    model_label: str = ""  # the tag model, "app.Model"; empty for a choice field
    key: str = "slug"  # natural key of a tag: in URLs, fixtures, CSV, the API
    name_attr: str = "name"  # a tag's label
    integer: bool = False  # the key is a number
    hierarchical: bool = False  # a parent stands for its children
    upper: bool = False  # keys are upper case, matched case-insensitively (country codes)
    choices: type[models.TextChoices] | None = None  # for a choice field
    help: Promise | str = ""  # what the parameter takes, for the API's documentation

    @property
    def many(self) -> bool:
        """A many-to-many field to a tag model (else a choice field of Practice)."""
        return self.choices is None

    @cached_property
    def model(self) -> type[models.Model] | None:
        return apps.get_model(self.model_label) if self.model_label else None

    @property
    def through(self):
        from .practice import Practice

        return getattr(Practice, self.field).through

    def normalize(self, value):
        return value.upper() if self.upper and isinstance(value, str) else value

    def label_of(self, tag) -> str:
        return getattr(tag, self.name_attr)


TAGS: tuple[Tag, ...] = (
    Tag(
        "phase",
        "phases",
        _("Crisis phase"),
        _("phase"),
        "guidelines.Phase",
        help=_("Crisis phase slug; repeat the parameter for any of several."),
    ),
    Tag(
        "stakeholder",
        "stakeholders",
        _("Stakeholder"),
        _("stakeholder"),
        "repository.Stakeholder",
        hierarchical=True,
        help=_("Stakeholder slug; a parent includes its children."),
    ),
    Tag(
        "crisis_type",
        "crisis_types",
        _("Crisis type"),
        _("crisis type"),
        "repository.CrisisType",
        help=_("Crisis type slug."),
    ),
    Tag(
        "guideline",
        "guidelines",
        _("Guideline"),
        _("guideline number"),
        "guidelines.Guideline",
        key="number",
        name_attr="title",
        integer=True,
        help=_("Guideline number, 1–15."),
    ),
    Tag(
        "principle",
        "principles",
        _("Principle"),
        _("principle number"),
        "guidelines.Principle",
        key="number",
        name_attr="title",
        integer=True,
        help=_("Principle number, 1–10."),
    ),
    Tag(
        "country",
        "countries",
        _("Country"),
        _("ISO 3166-1 alpha-2 country code"),
        "repository.Country",
        key="code",
        upper=True,
        help=_(
            "ISO 3166-1 alpha-2 country code, case-insensitive. A code that is not "
            "ISO 3166-1 is a 400; a valid code with no practices, an empty result."
        ),
    ),
    Tag(
        "kind",
        "kind",
        _("Kind of record"),
        _("kind of record"),
        key="value",
        choices=Kind,
        help=_(
            "practice: something an actor did, somewhere; recommendation: a suggested "
            "practice; resource: a tool, guide, training or study."
        ),
    ),
)
BY_PARAM = {tag.param: tag for tag in TAGS}
BY_FIELD = {tag.field: tag for tag in TAGS}
M2M_TAGS = tuple(tag for tag in TAGS if tag.many)
M2M_FIELDS = tuple(tag.field for tag in M2M_TAGS)


def natural_keys() -> dict[str, tuple]:
    """{field: (model, natural key)} of the many-to-many tags: for loaders and factories."""
    return {tag.field: (tag.model, tag.key) for tag in M2M_TAGS}
