"""/data/: the open dataset's downloads (written by ``manage.py publish_dataset``)."""

import datetime as dt

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import condition
from django.views.generic import TemplateView

from .. import dataset

CONTENT_TYPES = {
    dataset.CSV_NAME: "text/csv; charset=utf-8",
    dataset.JSONL_NAME: "application/jsonl; charset=utf-8",
    dataset.DESCRIPTOR_NAME: "application/json",
}
FORMATS = {
    dataset.CSV_NAME: "CSV",
    dataset.JSONL_NAME: "JSON Lines",
    dataset.DESCRIPTOR_NAME: "Data Package",
}


class DataView(TemplateView):
    """The downloads, each with its size, row count, SHA-256 and date."""

    template_name = "repository/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manifest = dataset.manifest()
        if manifest:
            files = []
            for facts in manifest["files"]:
                files.append(
                    {**facts, "format": FORMATS[facts["name"]], "when": _when(facts["date"])}
                )
            context.update(
                files=files,
                published=_when(manifest["published"]),
                version_name=manifest["version"],
                changed_since=manifest.get("content") != dataset.content_signature(),
            )
        context["license"] = settings.DATASET_LICENSE
        context["columns"] = dataset.COLUMNS
        return context


def _when(text: str) -> dt.datetime | None:
    return parse_datetime(text.replace("Z", "+00:00")) if text else None


def _etag(request, name):
    manifest = dataset.manifest()
    for facts in (manifest or {}).get("files", []):
        if facts["name"] == name:
            return f'"{facts["sha256"]}"'
    return None


@method_decorator(condition(etag_func=_etag), name="get")
class DataFileView(View):
    """One file of the current publication; a 404 before the first one."""

    def get(self, request, name):
        path = dataset.file_path(name)
        if path is None:
            raise Http404
        response = FileResponse(
            path.open("rb"),
            content_type=CONTENT_TYPES[name],
            as_attachment=name != dataset.DESCRIPTOR_NAME,
            filename=name,
        )
        response["Cache-Control"] = "public, max-age=300"
        response["Access-Control-Allow-Origin"] = "*"
        return response
