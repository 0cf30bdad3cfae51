"""Forms for submitting and moderating practices. They validate; workflow.py acts."""

import time

from django import forms
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core import signing
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


class PracticeForm(forms.ModelForm):
    """The practice fields, with tags shown the way people think of them."""

    class Meta:
        model = Practice
        fields = PRACTICE_FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 300}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "phases": forms.CheckboxSelectMultiple,
            "stakeholders": forms.CheckboxSelectMultiple,
            "crisis_types": forms.CheckboxSelectMultiple,
            "guidelines": forms.CheckboxSelectMultiple,
            "principles": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 10}),
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
            "principles": _("MICIC Principles it reflects (optional)"),
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
                "Where it took place. Hold Ctrl (Cmd on a Mac) to choose several; "
                "leave empty if it is global."
            ),
            "year": _("Leave empty if you do not know."),
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
        for name in ("phases", "stakeholders", "guidelines", "crisis_types"):
            fields[name].required = name != "crisis_types"
        fields["phases"].error_messages["required"] = _("Tick at least one crisis phase.")
        fields["stakeholders"].error_messages["required"] = _("Tick at least one stakeholder.")
        fields["guidelines"].error_messages["required"] = _("Tick at least one guideline.")

    def clean(self):
        cleaned = super().clean()
        year, year_end = cleaned.get("year"), cleaned.get("year_end")
        if year_end and not year:
            self.add_error("year", _("Give the start year too, or leave the end year empty."))
        elif year and year_end and year_end < year:
            self.add_error("year_end", _("The end year cannot be before the start year."))
        return cleaned

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

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must be left empty."), code="spam")
        return ""

    def clean_started(self):
        value = self.cleaned_data.get("started")
        try:
            started = signing.loads(value, salt=TIMESTAMP_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The form has expired. Please check your entries and send it again."),
                code="expired",
            ) from None
        if time.time() - float(started) < settings.SUBMISSION_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very fast. Please check your entries and send the form again."),
                code="too_fast",
            )
        return value

    def submitter_fields(self) -> dict:
        return {
            "submitter_name": self.cleaned_data["submitter_name"],
            "submitter_email": self.cleaned_data["submitter_email"],
            "submitter_organization": self.cleaned_data["submitter_organization"],
            "credit_organization": self.cleaned_data["credit_organization"],
        }


class DecisionForm(forms.Form):
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


class QueueFilterForm(forms.Form):
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
