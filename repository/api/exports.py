"""CSV export of published practices: every matching practice, streamed in chunks.

The matching ids come first, in order (``PracticeSearch.ids()``: by relevance from the
search's cached ranked list). Rows are then read CHUNK_SIZE at a time by primary
key (plain values, then one query per tag column for the chunk), so memory stays flat
and the number of queries grows with the chunks, not the practices.
"""

import hashlib
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC

from django.http import StreamingHttpResponse

from micic import csv_safety

from ..models import Practice, Region
from ..models.tags import M2M_TAGS

CSV_COLUMNS = [
    "id",
    "title",
    "summary",
    "phases",
    "stakeholders",
    "crisis_types",
    "guidelines",
    "principles",
    "countries",
    "regions",
    "year",
    "year_end",
    "organizations",
    "source_title",
    "source_url",
    "html_url",
    "published_at",
    "updated_at",
    "kind",
]
CHUNK_SIZE = 1000
SEPARATOR = ";"
# Tag columns: the m2m field of Practice and the value written (slug, number or code).
TAG_VALUES = {tag.field: tag.key for tag in M2M_TAGS}
FIELDS = [
    "pk",
    "slug",
    "title",
    "summary",
    "year",
    "year_end",
    "organizations",
    "source_title",
    "source_url",
    "published_at",
    "updated_at",
    "kind",
]


def _timestamp(value) -> str:
    """As DRF writes it in the JSON: ISO 8601 in UTC, with Z."""
    if value is None:
        return ""
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _blank_if_none(value):
    return "" if value is None else value


def _ordering(prefix: str, model) -> list[str]:
    """The tag model's own ordering, as seen from the through table, as the JSON lists tags."""
    return [
        f"-{prefix}__{name[1:]}" if name.startswith("-") else f"{prefix}__{name}"
        for name in model._meta.ordering
    ]


def tags_of(practice_ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """{column: {practice id: [value, …]}} for a chunk: one query per tag column, no models."""
    tags = {}
    for column, value in TAG_VALUES.items():
        field = Practice._meta.get_field(column)
        target = field.m2m_reverse_field_name()
        rows = (
            field.remote_field.through.objects.filter(
                **{f"{field.m2m_field_name()}_id__in": practice_ids}
            )
            .order_by(*_ordering(target, field.related_model))
            .values_list(f"{field.m2m_field_name()}_id", f"{target}__{value}")
        )
        tags[column] = by_practice = defaultdict(list)
        for practice_id, tag in rows:
            by_practice[practice_id].append(str(tag))
    # A practice's regions are those of its countries (as Practice.regions).
    rows = (
        Practice.countries.through.objects.filter(practice_id__in=practice_ids)
        .order_by(*_ordering("country__region", Region))
        .values_list("practice_id", "country__region__slug")
    )
    tags["regions"] = regions = defaultdict(list)
    for practice_id, slug in rows:
        if slug not in regions[practice_id]:
            regions[practice_id].append(slug)
    return tags


def html_url_maker(absolute_uri):
    """(pk, slug) → the page's absolute URL, from Practice.get_absolute_url() called once."""
    pk, slug = 987654321, "practice-slug-placeholder"
    template = absolute_uri(Practice(pk=pk, slug=slug).get_absolute_url())
    head, _, tail = template.partition(str(pk))
    middle, _, end = tail.partition(slug)

    def html_url(practice_pk: int, practice_slug: str) -> str:
        return f"{head}{practice_pk}{middle}{practice_slug}{end}"

    return html_url


def practice_rows(chunk: list[tuple], html_url) -> Iterator[list]:
    """CSV rows, in CSV_COLUMNS order, for a chunk of FIELDS tuples."""
    tags = tags_of([row[0] for row in chunk])
    for values in chunk:
        row = dict(zip(FIELDS, values, strict=True))
        pk = row["pk"]
        yield [
            pk,
            row["title"],
            row["summary"],
            *(SEPARATOR.join(tags[column].get(pk, ())) for column in TAG_VALUES),
            SEPARATOR.join(tags["regions"].get(pk, ())),
            _blank_if_none(row["year"]),
            _blank_if_none(row["year_end"]),
            row["organizations"],
            row["source_title"],
            row["source_url"],
            html_url(pk, row["slug"]),
            _timestamp(row["published_at"]),
            _timestamp(row["updated_at"]),
            row["kind"],
        ]


def csv_chunks(practice_ids: list[int], absolute_uri) -> Iterator[str]:
    """The header row, then the practices' rows in the order given, CHUNK_SIZE per string.

    Plain values, not model instances: at 100,000 practices building models and their
    prefetch caches would cost far more than the rows themselves. Each chunk is read by
    primary key, and only while still published. Cells are formula-safe (micic.csv_safety).
    """
    buffer = io.StringIO()
    writer = csv_safety.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    html_url = html_url_maker(absolute_uri)
    published = Practice.objects.published().order_by()
    for start in range(0, len(practice_ids), CHUNK_SIZE):
        wanted = practice_ids[start : start + CHUNK_SIZE]
        found = {row[0]: row for row in published.filter(pk__in=wanted).values_list(*FIELDS)}
        chunk = [found[pk] for pk in wanted if pk in found]
        writer.writerows(practice_rows(chunk, html_url))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_etag(request, search) -> str:
    """A weak ETag from the query and the content version, which every change of published
    content bumps (repository.search.version)."""
    key = f"{request.build_absolute_uri()}|{search.version}"
    return f'W/"csv-{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def csv_response(search, request, *, filename: str) -> StreamingHttpResponse:
    """Every practice a search finds, in its order, as a streamed CSV download."""
    response = StreamingHttpResponse(
        csv_chunks(search.ids(), request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = csv_etag(request, search)
    return response
