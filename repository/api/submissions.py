"""Submissions through the API: partner tools submit practices, follow them, revise them
when changes are asked; moderators decide. Every status change goes through workflow.py.

A submission is a practice in a non-public status; its id is the practice's id and the
token's user is the submitter. Submitter contact details and internal notes never appear.
"""

import json

from django.db.models import IntegerField, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from guidelines.models import Guideline, Phase, Principle
from micic.api import ErrorSerializer

from .. import workflow
from ..models import Country, CrisisType, ModerationEvent, Practice, Stakeholder, Status
from ..models.practice import single_line, year_errors
from ..permissions import is_moderator
from .serializers import PracticeSerializer


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The submission's status does not allow this.")
    default_code = "conflict"


class TagField(serializers.SlugRelatedField):
    """A tag given by slug, number or code; an unknown one names itself.

    Types are strict: numbers are JSON integers (not `true`, `9.5` or `"9"`), slugs and
    codes JSON strings, so that nothing is coerced into another tag than the one meant.
    """

    def __init__(self, kind, *, value_type=str, normalize=None, **kwargs):
        self.normalize = normalize
        self.value_type = value_type
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _("“{value}” is not a known %(kind)s.") % {"kind": kind},
                "invalid": _("“{value}” is not a known %(kind)s.") % {"kind": kind},
                "not_a_number": _("Give each %(kind)s as a whole number, not {value}.")
                % {"kind": kind},
                "null_characters": _("Null characters are not allowed."),
                "not_a_string": _("Give each %(kind)s as a string, not {value}.") % {"kind": kind},
            },
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if self.value_type is int and (not isinstance(data, int) or isinstance(data, bool)):
            self.fail("not_a_number", value=json.dumps(data))
        if self.value_type is str and not isinstance(data, str):
            self.fail("not_a_string", value=json.dumps(data))
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")  # PostgreSQL refuses them in text
        if self.normalize:
            data = self.normalize(data)
        try:
            return self.get_queryset().get(**{self.slug_field: data})
        except (TypeError, ValueError):
            self.fail("invalid", value=data)
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", value=data)


def tags(kind, model, field, *, required=False, normalize=None):
    value_type = int if isinstance(model._meta.get_field(field), IntegerField) else str
    child = TagField(
        kind,
        queryset=model.objects.all(),
        slug_field=field,
        value_type=value_type,
        normalize=normalize,
    )
    return serializers.ListField(
        child=child,
        required=required,
        allow_empty=not required,
        error_messages={"empty": _("Give at least one %(kind)s.") % {"kind": kind}},
    )


class SourceInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, allow_null=True)


class SubmissionWriteSerializer(serializers.Serializer):
    """What a partner tool sends. It validates; workflow.py saves."""

    title = serializers.CharField(max_length=300, validators=[single_line])
    summary = serializers.CharField()
    body = serializers.CharField(required=False, allow_blank=True, default="")
    phases = tags(_("phase"), Phase, "slug", required=True)
    stakeholders = tags(_("stakeholder"), Stakeholder, "slug", required=True)
    guidelines = tags(_("guideline number"), Guideline, "number", required=True)
    crisis_types = tags(_("crisis type"), CrisisType, "slug")
    principles = tags(_("principle number"), Principle, "number")
    countries = tags(_("ISO 3166-1 alpha-2 country code"), Country, "code", normalize=str.upper)
    year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True, default=None
    )
    year_end = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True, default=None
    )
    organizations = serializers.CharField(required=False, allow_blank=True, default="")
    source = SourceInputSerializer(required=False)
    language = serializers.RegexField(
        r"^[a-z]{2}$",
        required=False,
        default="en",
        error_messages={"invalid": _("Use a two-letter ISO 639-1 code, such as “en”.")},
    )

    def validate(self, data):
        year = data.get("year", getattr(self.instance, "year", None))
        year_end = data.get("year_end", getattr(self.instance, "year_end", None))
        errors = year_errors(year, year_end)
        if errors:
            raise serializers.ValidationError({k: [v] for k, v in errors.items()})
        return data

    def split(self) -> tuple[dict, dict]:
        """(practice fields, tags) from the validated data."""
        data = dict(self.validated_data)
        tag_values = {name: data.pop(name) for name in workflow.TAG_FIELDS if name in data}
        source = data.pop("source", None)
        if source is not None:
            data["source_title"] = source.get("title", "")
            data["source_url"] = source.get("url") or ""
        return data, tag_values


@extend_schema_serializer(component_name="Submission")
class SubmissionSerializer(PracticeSerializer):
    """A submission as its submitter and moderators see it: the practice, its status and
    the moderators' latest note to the submitter."""

    url = serializers.HyperlinkedIdentityField(view_name="api:submission-detail")
    status = serializers.CharField(read_only=True)
    decision_note = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "status", "decision_note", "submitted_at"]

    def get_decision_note(self, practice) -> str:
        """The latest note to the submitter (events are prefetched)."""
        notes = [event.note for event in practice.events.all() if event.note]
        return notes[-1] if notes else ""


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(workflow.DECISIONS))
    note = serializers.CharField(required=False, allow_blank=True, default="")


ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=text)
    for code, text in {
        400: _("A field is invalid or a tag unknown: `errors` names each one."),
        401: _("No token, or a bad one."),
        403: _("Only moderators may decide."),
        404: _("No such submission, or not yours."),
        409: _("The submission's status does not allow this."),
    }.items()
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Your submissions (moderators: all)"),
        responses={200: SubmissionSerializer(many=True), 401: ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary=_("One submission, with its status and the moderators' note"),
        responses={200: SubmissionSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary=_("Submit a practice for moderation"),
        request=SubmissionWriteSerializer,
        responses={201: SubmissionSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    ),
    partial_update=extend_schema(
        summary=_("Revise a submission whose changes were requested; it returns to review"),
        request=SubmissionWriteSerializer,
        responses={
            200: SubmissionSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            404: ERRORS[404],
            409: ERRORS[409],
        },
    ),
)
class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Practices submitted through the API or the site, as their submitter sees them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SubmissionSerializer
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Practice.objects.none()
        queryset = Practice.objects.submissions()
        if not is_moderator(self.request.user):
            queryset = queryset.filter(submitted_by=self.request.user)
        events = ModerationEvent.objects.order_by("created_at", "pk")
        return (
            queryset.for_detail()
            .prefetch_related(Prefetch("events", queryset=events))
            .order_by("-created_at", "-pk")
        )

    def filter_queryset(self, queryset):
        return queryset  # no public filters here: the practice FilterSet is for published ones

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return SubmissionWriteSerializer
        if self.action == "decision":
            return DecisionSerializer
        return SubmissionSerializer

    def respond(self, practice, status_code=status.HTTP_200_OK):
        """The submission as stored, reloaded with everything its representation shows."""
        practice = self.get_queryset().get(pk=practice.pk)
        data = SubmissionSerializer(practice, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = SubmissionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, tag_values = serializer.split()
        user = request.user
        practice = Practice(
            **fields,
            submitter_name=user.get_full_name() or user.get_username(),
            submitter_email=user.email,
        )
        practice = workflow.submit(practice=practice, tags=tag_values, actor=user)
        return self.respond(practice, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        practice = self.get_object()
        if practice.submitted_by_id != request.user.pk:
            raise exceptions.PermissionDenied(_("Only the submitter may revise a submission."))
        if practice.status != Status.CHANGES_REQUESTED:
            raise Conflict(
                {"status": [_("Only a submission whose changes were requested can be revised.")]}
            )
        serializer = SubmissionWriteSerializer(practice, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, tag_values = serializer.split()
        practice = workflow.resubmit(
            practice=practice, actor=request.user, fields=fields, tags=tag_values
        )
        return self.respond(practice)

    @extend_schema(
        summary=_("A moderator's decision: approve, reject, request_changes or withdraw"),
        request=DecisionSerializer,
        responses={
            200: SubmissionSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
            404: ERRORS[404],
            409: ERRORS[409],
        },
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        if not is_moderator(request.user):
            raise exceptions.PermissionDenied(_("Only moderators may decide on submissions."))
        practice = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            practice = workflow.decide(
                practice=practice,
                decision=serializer.validated_data["decision"],
                actor=request.user,
                note=serializer.validated_data["note"],
            )
        except workflow.IllegalTransition as error:
            raise Conflict({"decision": [str(error)]}) from error
        return self.respond(practice)
