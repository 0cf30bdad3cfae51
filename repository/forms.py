"""Forms for submitting and moderating practices. They validate; workflow.py acts."""

import time

from django import forms
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core import signing
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from guidelines.models import Phase

from .models import Practice, Region, Stakeholder
from .workflow import TAG_FIELDS

LANGUAGE_CHOICES = sorted(
    {(code, name) for code, name in ALL_LANGUAGES if len(code) == 2}, key=lambda c: str(c[1])
)
PRACTICE_FIELDS = [
    "title",
    "summary",
    "body",
    "phases",
    "stakeholders",
    "crisis_types",
    "guidelines",
    "principles",
    "countries",
    "year",
    "year_end",
    "organizations",
    "source_title",
    "source_url",
    "language",
]
TIMESTAMP_SALT = "repository.submission.started"


def stakeholder_groups():
    """Stakeholders grouped under their parent, the parent itself offered first."""
    groups = []
    parents = Stakeholder.objects.filter(parent__isnull=True).prefetch_related("children")
    for parent in parents:
        options = [(parent.pk, _("%(name)s in general") % {"name": parent.name})]
        options += [(child.pk, child.name) for child in parent.children.all()]
        groups.append((parent.name, options))
    return groups


def guideline_groups():
    groups = []
    for phase in Phase.objects.prefetch_related("guidelines"):
        options = [(g.pk, f"{g.number}. {g.title}") for g in phase.guidelines.all()]
        groups.append((phase.name, options))
    return groups


def country_groups():
    groups = []
    for region in Region.objects.prefetch_related("countries"):
        groups.append((region.name, [(c.pk, c.name) for c in region.countries.all()]))
    return groups


class FormRenderer(TemplatesSetting):
    """The site's templates for form fields: every input under its own label, checkboxes
    before their label, "(optional)" on every field that may be left empty."""

    field_template_name = "forms/field.html"


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in named groups, each group a fieldset with a legend."""

    template_name = "forms/widgets/grouped_checkboxes.html"


class CountryCheckboxes(GroupedCheckboxes):
    """Countries by region, each region a panel that opens; a script adds a box that
    filters the list as one types (forms/widgets/country_checkboxes.html, js/choices.js)."""

    template_name = "forms/widgets/country_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A region with a ticked country starts open.
        context["widget"]["groups"] = [
            (group, options, any(option["selected"] for option in options))
            for group, options, _index in context["widget"]["optgroups"]
        ]
        return context


class SiteForm(forms.Form):
    default_renderer = FormRenderer


class PracticeForm(forms.ModelForm):
    """The practice fields, with tags shown the way people think of them."""

    default_renderer = FormRenderer

    class Meta:
        model = Practice
        fields = PRACTICE_FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 300}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "phases": forms.CheckboxSelectMultiple,
            "stakeholders": GroupedCheckboxes,
            "crisis_types": forms.CheckboxSelectMultiple,
            "guidelines": GroupedCheckboxes,
            "principles": forms.CheckboxSelectMultiple,
            "countries": CountryCheckboxes,
            "year": forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"}),
            "year_end": forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"}),
            "organizations": forms.TextInput,
            "source_url": forms.URLInput(attrs={"placeholder": "https://"}),
            "language": forms.Select(choices=LANGUAGE_CHOICES),
        }
        labels = {
            "title": _("Name of the practice"),
            "summary": _("Short summary"),
            "body": _("Description"),
            "phases": _("Crisis phases it applies to"),
            "stakeholders": _("Who implements it"),
            "crisis_types": _("Types of crisis"),
            "guidelines": _("MICIC Guidelines it implements"),
            "principles": _("MICIC Principles it reflects"),
            "countries": _("Countries"),
            "year": _("Year it started"),
            "year_end": _("Year it ended"),
            "organizations": _("Organisations involved"),
            "source_title": _("Source (report, web page, law…)"),
            "source_url": _("Link to the source"),
            "language": _("Language of this description"),
        }
        help_texts = {
            "title": _(
                "A short, specific name, e.g. “Consular registration app for nationals abroad”."
            ),
            "summary": _(
                "Two or three sentences: what was done, by whom, for which migrants. Plain text."
            ),
            "body": _(
                "Optional. More detail: context, results, lessons. Formatting: **bold**, *italic*, "
                "“- ” at the start of a line for a list, [link text](https://…)."
            ),
            "phases": _("Tick every phase the practice covers."),
            "stakeholders": _("Tick every type of actor that carries it out."),
            "guidelines": _("Tick the guidelines the practice helps to put into effect."),
            "countries": _(
                "Where it took place: tick every country, under its region. Leave them all "
                "unticked if the practice is global."
            ),
            "organizations": _("Separate several with commas."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["stakeholders"].widget.choices = stakeholder_groups()
        fields["guidelines"].widget.choices = guideline_groups()
        fields["countries"].widget.choices = country_groups()
        fields["principles"].label_from_instance = lambda p: f"{p.number}. {p.title}"
        # Required as in the API (repository/api/submissions.py): the rest may stay empty.
        for name in ("phases", "stakeholders", "guidelines"):
            fields[name].required = True
        fields["language"].required = False
        fields["phases"].error_messages["required"] = _("Tick at least one crisis phase.")
        fields["stakeholders"].error_messages["required"] = _("Tick at least one stakeholder.")
        fields["guidelines"].error_messages["required"] = _("Tick at least one guideline.")

    def clean_language(self):
        return self.cleaned_data.get("language") or "en"

    def practice_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PRACTICE_FIELDS if name not in TAG_FIELDS}

    def tags(self) -> dict:
        return {name: self.cleaned_data[name] for name in TAG_FIELDS}


class LanguageSelect(forms.Select):
    """Options named in their own language, each marked with it (lang) for screen readers."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


def validate_interface_language(code: str) -> None:
    if code not in dict(settings.LANGUAGES):
        raise forms.ValidationError(
            _("Choose one of the languages offered: English, French, Spanish or Arabic."),
            code="language",
        )


class SubmissionForm(PracticeForm):
    """The public form: practice fields, who is submitting, consent, spam defences."""

    submitter_name = forms.CharField(label=_("Your name"), max_length=200)
    submitter_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send you a receipt and the moderators' decision. Never published."),
    )
    submitter_organization = forms.CharField(
        label=_("Your organisation"), max_length=300, required=False
    )
    credit_organization = forms.BooleanField(
        label=_("Say on the practice page that my organisation shared it"),
        required=False,
        help_text=_("Otherwise your organisation is not shown. Your name and e-mail never are."),
    )
    consent = forms.BooleanField(
        label=_("I agree that this practice may be published in the repository once reviewed"),
        error_messages={"required": _("Please agree to publication, or do not submit.")},
    )
    # Spam defences: a field people never see, and a signed start time.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The public form takes practices in the site's four languages, each named in itself.
        language = self.fields["language"]
        language.widget = LanguageSelect()
        language.widget.choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        language.validators.append(validate_interface_language)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=TIMESTAMP_SALT)
            self.initial.setdefault("language", get_language())
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        cleaned = super().clean()
        # The honeypot and the start time are fields no one sees: their problems are told
        # about the form as a whole, never under a field's name.
        if cleaned.get("website"):
            self.add_error(
                None,
                forms.ValidationError(
                    _("The form could not be accepted. Please send it again."), code="spam"
                ),
            )
        try:
            started = signing.loads(
                cleaned.get("started") or "", salt=TIMESTAMP_SALT, max_age=24 * 3600
            )
        except signing.BadSignature:
            self.add_error(
                None,
                forms.ValidationError(
                    _("The form has expired. Please check your entries and send it again."),
                    code="expired",
                ),
            )
        else:
            if time.time() - float(started) < settings.SUBMISSION_MIN_SECONDS:
                self.add_error(
                    None,
                    forms.ValidationError(
                        _("That was very fast. Please check your entries and send the form again."),
                        code="too_fast",
                    ),
                )
        return cleaned

    def submitter_fields(self) -> dict:
        return {
            "submitter_name": self.cleaned_data["submitter_name"],
            "submitter_email": self.cleaned_data["submitter_email"],
            "submitter_organization": self.cleaned_data["submitter_organization"],
            "credit_organization": self.cleaned_data["credit_organization"],
        }


class DecisionForm(SiteForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve and publish")),
            ("request_changes", _("Ask the submitter for changes")),
            ("reject", _("Reject")),
            ("withdraw", _("Withdraw from publication")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the submitter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mailed to the submitter and shown on their status page."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by moderators only."),
    )

    def __init__(self, *args, allowed=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field = self.fields["decision"]
            field.choices = [(k, v) for k, v in field.choices if k in allowed]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("request_changes", "reject") and not cleaned.get("note"):
            self.add_error("note", _("Tell the submitter why, in a note."))
        return cleaned


class QueueFilterForm(SiteForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Waiting for review")),
            ("changes_requested", _("Changes requested")),
            ("approved", _("Approved")),
            ("rejected", _("Rejected")),
            ("withdrawn", _("Withdrawn")),
            ("all", _("All")),
        ],
    )
    older_than = forms.IntegerField(
        label=_("Waiting more than (days)"), required=False, min_value=0, max_value=3650
    )
