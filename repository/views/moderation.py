"""Moderation pages: the review queue and the review of one practice."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from .. import revisions, workflow
from ..duplicates import possible_duplicates
from ..forms import DecisionForm, PracticeForm, QueueFilterForm
from ..models import EmailStatus, ModerationEvent, Practice, Status
from ..permissions import is_moderator


class ModeratorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; other users get a 403."""

    def test_func(self):
        return is_moderator(self.request.user)


class QueueView(ModeratorRequiredMixin, ListView):
    template_name = "repository/moderation/queue.html"
    context_object_name = "practices"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = QueueFilterForm(self.request.GET or None)
        queryset = Practice.objects.submissions().order_by("created_at", "pk")
        status = Status.SUBMITTED
        older_than = None
        if self.filter_form.is_valid():
            status = self.filter_form.cleaned_data["status"] or Status.SUBMITTED
            older_than = self.filter_form.cleaned_data["older_than"]
        if status != "all":
            queryset = queryset.in_status(status)
        if older_than:
            queryset = queryset.filter(
                created_at__lte=timezone.now() - dt.timedelta(days=older_than)
            )
        # "Revised": sent back by the submitter after the moderators asked for changes.
        resubmitted = ModerationEvent.objects.filter(
            practice=OuterRef("pk"),
            from_status=Status.CHANGES_REQUESTED,
            to_status=Status.SUBMITTED,
        )
        return queryset.prefetch_related("stakeholders", "guidelines").annotate(
            revised=Exists(resubmitted),
            emails_failed=Count("emails", filter=Q(emails__status=EmailStatus.FAILED)),
            emails_pending=Count("emails", filter=Q(emails__status=EmailStatus.PENDING)),
            emails_sent=Count("emails", filter=Q(emails__status=EmailStatus.SENT)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class ReviewView(ModeratorRequiredMixin, TemplateView):
    template_name = "repository/moderation/review.html"

    def dispatch(self, request, *args, **kwargs):
        self.practice = get_object_or_404(
            Practice.objects.for_detail().prefetch_related(
                Prefetch("events", queryset=ModerationEvent.objects.select_related("actor"))
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, edit_form=None, decision_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.practice
        allowed = workflow.allowed_decisions(practice)
        context.update(
            practice=practice,
            events=practice.events.all(),
            emails=practice.emails.all(),
            allowed=allowed,
            similar=possible_duplicates(practice),
            revision=self.latest_revision(),
            edit_form=edit_form or PracticeForm(instance=practice, prefix="edit"),
            decision_form=decision_form or DecisionForm(allowed=allowed, prefix="decide"),
            editable=practice.status in (Status.SUBMITTED, Status.CHANGES_REQUESTED),
        )
        return context

    def latest_revision(self):
        """The submitter's latest revision and what it changed, if any."""
        for event in reversed(self.practice.events.all()):
            if (
                event.from_status == Status.CHANGES_REQUESTED
                and event.to_status == Status.SUBMITTED
            ):
                return {"event": event, "rows": revisions.rows(event.changes)}
        return None

    def post(self, request, *args, **kwargs):
        practice = self.practice
        if request.POST.get("action") == "edit":
            form = PracticeForm(request.POST, instance=practice, prefix="edit")
            if practice.status not in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
                messages.error(request, _("Only practices under review can be edited here."))
                return self.render_to_response(self.get_context_data(edit_form=form), status=409)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(edit_form=form), status=400)
            workflow.edit(
                practice=practice,
                fields=form.practice_fields(),
                tags=form.tags(),
                actor=request.user,
            )
            messages.success(request, _("Your changes are saved."))
            return redirect("moderation:review", pk=practice.pk)

        allowed = workflow.allowed_decisions(practice)
        form = DecisionForm(request.POST, allowed=allowed, prefix="decide")
        if not form.is_valid():
            status = 409 if request.POST.get("decide-decision") not in allowed else 400
            if status == 409:
                messages.error(request, _("That decision is not possible for this practice now."))
            return self.render_to_response(self.get_context_data(decision_form=form), status=status)
        try:
            workflow.decide(
                practice=practice,
                decision=form.cleaned_data["decision"],
                actor=request.user,
                note=form.cleaned_data["note"],
                internal_note=form.cleaned_data["internal_note"],
            )
        except workflow.IllegalTransition as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(decision_form=form), status=409)
        messages.success(
            request, _("Decision recorded; the e-mail to the submitter is queued (see E-mails).")
        )
        return redirect("moderation:review", pk=practice.pk)
