"""repository/transfer.py and the export_practices / import_practices commands."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from repository import workflow
from repository.models import ModerationEvent, Practice, Status
from repository.search import matching as search
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def export() -> str:
    out = io.StringIO()
    call_command("export_practices", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def varied(db):
    moderator = User.objects.create_superuser("root", "root@example.org", "pw")
    make_practice(status=Status.SUBMITTED, submitter_email="a@example.org", reference="P-one")
    rejected = make_practice(status=Status.SUBMITTED, title="To reject", countries=["TR"])
    workflow.decide(practice=rejected, decision="reject", actor=moderator, note="Out of scope")
    make_practice(status=Status.WITHDRAWN, principles=[2], year=2020, year_end=2021)
    return moderator


def test_round_trip_is_identical(varied, tmp_path):
    first = export()
    assert len(first.splitlines()) == Practice.objects.count()
    path = tmp_path / "backup.jsonl"
    path.write_text(first)
    Practice.objects.all().delete()
    assert Practice.objects.count() == 0
    call_command("import_practices", str(path), "--no-progress", stdout=io.StringIO())
    assert export() == first
    assert ModerationEvent.objects.filter(note="Out of scope").exists()
    # The search index was rebuilt for the imported rows.
    assert Practice.objects.get(title="To reject") in search(Practice.objects.all(), "reject")


def test_import_is_idempotent(varied, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text(export())
    count = Practice.objects.count()
    out = io.StringIO()
    call_command("import_practices", str(path), "--no-progress", stdout=out)
    assert f"0 created, {count} updated" in out.getvalue()
    assert Practice.objects.count() == count
    assert ModerationEvent.objects.filter(note="Out of scope").count() == 1


def test_new_practices_after_import_get_fresh_ids(varied, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text(export())
    highest = Practice.objects.order_by("-pk").first().pk
    Practice.objects.all().delete()
    call_command("import_practices", str(path), "--no-progress", stdout=io.StringIO())
    assert make_practice().pk > highest


def test_invalid_records_are_reported_with_line_numbers_and_nothing_is_imported(db, tmp_path):
    make_practice(title="Valid one")
    lines = export().splitlines()
    good = json.loads(lines[-1])
    bad_tag = dict(good, id=900001, phases=["wartime"])
    bad_status = dict(good, id=900002, status="published")
    missing = {k: v for k, v in good.items() if k != "title"} | {"id": 900003}
    bad_year = dict(good, id=900004, year=2020, year_end=2010)
    records = [dict(good, id=900000), bad_tag, None, bad_status, missing, bad_year]
    content = "\n".join("{not json" if r is None else json.dumps(r) for r in records)
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 invalid record"):
        call_command("import_practices", str(path), "--no-progress", stderr=err)
    report = err.getvalue()
    assert "line 2: unknown phases: ['wartime']" in report
    assert "line 3: not valid JSON" in report
    assert "line 4: unknown status 'published'" in report
    assert "line 5: 'title' is missing" in report
    assert "line 6:" in report and "end year" in report
    clash = tmp_path / "clash.jsonl"
    curated = json.loads(lines[0])
    clash.write_text(json.dumps(dict(curated, id=900010)))
    with pytest.raises(CommandError):
        call_command("import_practices", str(clash), "--no-progress", stderr=err)
    assert f"content_key '{curated['content_key']}' already belongs to practice" in err.getvalue()
    assert not Practice.objects.filter(pk__gte=900000).exists()

    call_command("import_practices", str(path), "--skip-invalid", "--no-progress",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert list(Practice.objects.filter(pk__gte=900000).values_list("pk", flat=True)) == [900000]


def test_progress_bar_on_long_runs(db, tmp_path):
    practice = make_practice()
    record = json.loads(export().splitlines()[-1])
    lines = [json.dumps(dict(record, id=practice.pk + 1000 + i)) for i in range(120)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines))
    err = io.StringIO()
    call_command("import_practices", str(path), stdout=io.StringIO(), stderr=err)
    assert "[##############################] 120/120" in err.getvalue()


def test_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Cannot read /no/such/file"):
        call_command("import_practices", "/no/such/file")
