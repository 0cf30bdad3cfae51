"""Machine-readable citations of a published practice: CSL-JSON and RIS downloads."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import citation
from ..models import Practice

FORMATS = {
    "csl": (citation.csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
    "ris": (citation.ris, "application/x-research-info-systems; charset=utf-8", "ris"),
}


@require_safe
def practice_citation(request, pk, kind):
    """The citation of one published practice, as a file for a reference manager."""
    practice = get_object_or_404(Practice.objects.published(), pk=pk)
    render, content_type, extension = FORMATS[kind]
    response = HttpResponse(render(practice, citation.stable_url(request, practice)), content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="micic-practice-{practice.pk}.{extension}"'
    )
    return response
