"""repository/transfer.py and the export_practices / import_practices commands."""

import io
import json

import pytest
from django.contrib.auth.models import Group, User
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


@pytest.fixture
def people(db):
    """Practices submitted by a partner and decided by a moderator (not a superuser)."""
    Practice.objects.all().delete()
    partner = User.objects.create_user("partner", "partner@example.org", "pw")
    moderator = User.objects.create_user("mod", "mod@example.org", "pw")
    moderator.groups.add(Group.objects.get(name="moderators"))
    submitted = make_practice(status=Status.SUBMITTED, title="From a partner")
    submitted.submitted_by = partner
    submitted.save()
    workflow.decide(practice=submitted, decision="approve", actor=moderator, note="Fine")
    return partner, moderator


def test_the_export_names_the_people_with_their_moderator_membership(people):
    [record] = [json.loads(line) for line in export().splitlines()]
    assert record["submitted_by"] == "partner"
    assert [e["actor"] for e in record["events"]] == ["mod"]
    assert record["users"] == {
        "partner": {"email": "partner@example.org", "moderator": False},
        "mod": {"email": "mod@example.org", "moderator": True},
    }


def test_import_without_the_accounts_refuses_naming_them(people, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text(export())
    Practice.objects.all().delete()
    User.objects.all().delete()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 invalid record"):
        call_command("import_practices", str(path), "--no-progress", stderr=err)
    assert (
        "line 1: no user account 'partner', 'mod' in this database: create them first, "
        "or import with --create-missing-users" in err.getvalue()
    )
    assert not Practice.objects.exists()
    assert not User.objects.exists()


def test_import_matches_existing_accounts_by_username(people, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text(export())
    Practice.objects.all().delete()
    User.objects.all().delete()
    partner = User.objects.create_user("partner", "new-address@example.org", "pw")
    moderator = User.objects.create_user("mod", "", "pw")
    call_command("import_practices", str(path), "--no-progress", stdout=io.StringIO())
    practice = Practice.objects.get(title="From a partner")
    assert practice.submitted_by == partner
    assert [e.actor for e in practice.events.all()] == [moderator]
    assert partner.email == "new-address@example.org"  # existing accounts are left alone


def test_import_can_create_the_missing_accounts_inactive(people, tmp_path):
    path = tmp_path / "backup.jsonl"
    first = export()
    path.write_text(first)
    Practice.objects.all().delete()
    User.objects.all().delete()
    out = io.StringIO()
    call_command(
        "import_practices", str(path), "--no-progress", "--create-missing-users", stdout=out
    )
    assert (
        "Created 2 inactive user account(s), without a usable password: mod, partner."
        in out.getvalue()
    )
    assert export() == first  # field for field, people included
    partner, moderator = User.objects.get(username="partner"), User.objects.get(username="mod")
    for user in (partner, moderator):
        assert not user.is_active
        assert not user.has_usable_password()
    assert moderator.groups.filter(name="moderators").exists()
    assert not partner.groups.exists()
    assert moderator.email == "mod@example.org"
    # Nobody can log in with an imported account until an administrator activates it.
    from django.test import Client

    assert Client().post("/accounts/login/", {"username": "mod", "password": ""}).status_code == 200


def test_import_refuses_tags_of_the_wrong_type(db, tmp_path):
    make_practice(title="Typed", guidelines=[1])
    good = json.loads(export().splitlines()[-1])
    path = tmp_path / "typed.jsonl"
    path.write_text(json.dumps(dict(good, id=900100, guidelines=[True])))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_practices", str(path), "--no-progress", stderr=err)
    assert "line 1: unknown guidelines: [True]" in err.getvalue()


def test_import_refuses_null_characters(db, tmp_path):
    make_practice(title="Plain")
    good = json.loads(export().splitlines()[-1])
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps(dict(good, id=900200, title="Bad\x00title")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_practices", str(path), "--no-progress", stderr=err)
    assert "line 1: null characters are not allowed" in err.getvalue()
    assert not Practice.objects.filter(pk=900200).exists()
