"""The public submission form, its receipt, and the submitter's status page."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.throttling import BaseThrottle

from .. import references, workflow
from ..forms import PracticeForm, SubmissionForm
from ..models import EmailKind, Practice, Status

RATE_WINDOW_SECONDS = 3600


def client_ip(request) -> str:
    """The client's address, read as the API's throttles read it: behind a load balancer,
    from X-Forwarded-For past DJANGO_API_NUM_PROXIES trusted proxies."""
    return BaseThrottle().get_ident(request)


def over_rate_limit(request) -> bool:
    """Count this submission against the client's hourly allowance (shared cache)."""
    key = f"submission-rate:{client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.SUBMISSION_RATE_LIMIT


class SubmitView(View):
    """Anyone may submit; nothing is public before a moderator approves it."""

    template_name = "repository/submit.html"

    def get(self, request):
        return render(request, self.template_name, {"form": SubmissionForm()})

    def post(self, request):
        form = SubmissionForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        if over_rate_limit(request):
            form.add_error(
                None,
                _("Too many submissions from your network in the last hour. Your text is kept "
                  "below: please send it again later."),
            )  # fmt: skip
            return render(request, self.template_name, {"form": form}, status=429)
        practice = Practice(**form.practice_fields(), **form.submitter_fields())
        practice = workflow.submit(practice=practice, tags=form.tags(), actor=request.user)
        return redirect("repository:submission-status", reference=practice.reference)


class SubmissionStatusView(View):
    """What the holder of a reference sees: status, decision notes, a revision form."""

    template_name = "repository/submission_status.html"

    def get_practice(self, reference):
        return get_object_or_404(
            Practice.objects.for_detail().prefetch_related("events"), reference=reference
        )

    def dispatch(self, request, *args, reference, **kwargs):
        # A reference typed in another case or with look-alike characters goes to its page.
        if not Practice.objects.filter(reference=reference).exists():
            issued = references.canonical(reference)
            if issued and Practice.objects.filter(reference=issued).exists():
                if request.method in ("GET", "HEAD"):
                    return redirect("repository:submission-status", reference=issued)
                reference = issued
        return super().dispatch(request, *args, reference=reference, **kwargs)

    def get(self, request, reference):
        practice = self.get_practice(reference)
        form = None
        if practice.status == Status.CHANGES_REQUESTED:
            form = PracticeForm(instance=practice, prefix="revise")
        return self.render(request, practice, form)

    def post(self, request, reference):
        practice = self.get_practice(reference)
        if practice.status != Status.CHANGES_REQUESTED:
            return self.render(request, practice, None, status=409)
        form = PracticeForm(request.POST, instance=practice, prefix="revise")
        if not form.is_valid():
            return self.render(request, practice, form)
        workflow.resubmit(
            practice=practice, actor=request.user, fields=form.practice_fields(), tags=form.tags()
        )
        return redirect("repository:submission-status", reference=reference)

    def render(self, request, practice, form, status=200):
        events = [e for e in practice.events.all() if e.note or e.from_status != e.to_status]
        # What the page says about the receipt is what happened to it (repository/tasks.py).
        receipt = practice.emails.filter(kind=EmailKind.RECEIPT).order_by("-created_at").first()
        context = {"practice": practice, "form": form, "events": events, "receipt": receipt}
        response = render(request, self.template_name, context, status=status)
        response["X-Robots-Tag"] = "noindex"
        return response
