"""repository/content.py: the curated practices and the idempotent loader."""

import json

import pytest
from django.core.management import CommandError, call_command

from repository.content import FIXTURES_DIR, ContentError, load_content
from repository.models import Country, CrisisType, Practice, Region, Stakeholder, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def curated():
    return Practice.objects.filter(content_key__isnull=False)


def test_at_least_100_real_practices_all_published():
    assert curated().count() >= 100
    assert curated().exclude(status=Status.APPROVED).count() == 0
    assert curated().filter(published_at__isnull=True).count() == 0


def test_every_practice_has_phase_stakeholder_guideline_crisis_type_and_source():
    practices = curated().prefetch_related("phases", "stakeholders", "guidelines", "crisis_types")
    for practice in practices:
        assert practice.phases.all(), practice.title
        assert practice.stakeholders.all(), practice.title
        assert practice.guidelines.all(), practice.title
        assert practice.crisis_types.all(), practice.title
        assert practice.source_title.strip(), practice.title


def test_the_48_reference_practices_are_all_loaded():
    reference = json.loads((FIXTURES_DIR / "practices" / "micic-reference.json").read_text())
    assert len(reference) == 48
    titles = set(curated().values_list("title", flat=True))
    assert {row["title"] for row in reference} <= titles


def test_practice_titles_are_unique():
    titles = list(curated().values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_every_guideline_has_practices():
    from guidelines.models import Guideline

    for guideline in Guideline.objects.all():
        assert guideline.practices.exists(), guideline.number


def test_taxonomies_are_loaded():
    assert set(CrisisType.objects.values_list("slug", flat=True)) == {
        "conflict",
        "natural-disaster",
        "health-emergency",
        "other",
    }
    states = Stakeholder.objects.get(slug="states")
    assert {"host-state", "state-of-origin", "state-of-transit"} <= set(
        states.children.values_list("slug", flat=True)
    )
    # Two levels only: no child has children.
    assert not Stakeholder.objects.filter(parent__parent__isnull=False).exists()
    assert Region.objects.count() == 6
    assert Country.objects.count() >= 249
    assert Country.objects.get(code="TR").name == "Türkiye"
    assert Country.objects.get(code="TR").region.slug == "europe-central-asia"
    assert Country.objects.get(code="LY").region.slug == "middle-east-north-africa"


def test_regions_are_derived_from_countries():
    practice = make_practice(countries=["TR", "SY", "LY"])
    assert [r.slug for r in practice.regions] == ["middle-east-north-africa", "europe-central-asia"]


def test_loading_again_changes_nothing():
    before = Practice.objects.count()
    report = load_content()
    assert report.created == {}
    assert report.updated == {}
    assert Practice.objects.count() == before


def test_loading_again_keeps_curator_edits_and_submissions():
    practice = curated().first()
    practice.title = "Edited by a curator"
    practice.save()
    submitted = make_practice(status=Status.SUBMITTED, title="A submission")
    call_command("load_micic")
    practice.refresh_from_db()
    assert practice.title == "Edited by a curator"
    assert Practice.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def fixtures_copy(tmp_path, change=None):
    """The fixtures in tmp_path, with ``change(record)`` applied to every practice record."""
    for name in ("micic.json", "taxonomy.json", "regions.json"):
        (tmp_path / name).write_text((FIXTURES_DIR / name).read_text())
    (tmp_path / "practices").mkdir(exist_ok=True)
    for path in (FIXTURES_DIR / "practices").glob("*.json"):
        records = json.loads(path.read_text())
        for record in records:
            if change:
                change(record)
        (tmp_path / "practices" / path.name).write_text(json.dumps(records))
    return tmp_path


def test_refresh_applies_corrections_but_keeps_curators_edits(tmp_path):
    practice = curated().order_by("pk").first()
    key = practice.content_key
    practice.title = "Edited by a curator"
    practice.save()
    submitted = make_practice(status=Status.SUBMITTED, title="A submission")

    def correct(record):
        if record["key"] == key:
            record["title"] = "Corrected title from the fixture"
            record["summary"] = "Corrected summary from the fixture."
            record["year"] = 2011

    report = load_content(fixtures_dir=fixtures_copy(tmp_path, correct), refresh=True)
    practice.refresh_from_db()
    assert practice.title == "Edited by a curator"  # the curator's edit stays
    assert practice.summary == "Corrected summary from the fixture."  # the correction lands
    assert practice.year == 2011
    assert f"{key}: title" in report.kept_edits
    assert Practice.objects.get(pk=submitted.pk).title == "A submission"


def test_refresh_restores_a_field_nobody_edited_and_tags(tmp_path):
    practice = curated().filter(guidelines__isnull=False).order_by("pk").first()
    expected = sorted(practice.guidelines.values_list("number", flat=True))
    load_content(fixtures_dir=fixtures_copy(tmp_path), refresh=True)  # unchanged: no-op
    practice.refresh_from_db()
    assert sorted(practice.guidelines.values_list("number", flat=True)) == expected


def test_loaded_practices_are_dated_by_their_source_never_the_load_time():
    from repository.content import CONTENT_RELEASE

    dates = set(curated().values_list("published_at", flat=True))
    assert dates and all(d.year <= CONTENT_RELEASE.year for d in dates)
    assert max(dates) <= CONTENT_RELEASE


def test_unknown_tag_in_a_fixture_is_a_clear_error(tmp_path):
    for name in ("micic.json", "taxonomy.json", "regions.json"):
        (tmp_path / name).write_text((FIXTURES_DIR / name).read_text())
    (tmp_path / "practices").mkdir()
    bad = {
        "key": "bad",
        "title": "Bad",
        "summary": "Bad.",
        "phases": ["wartime"],
        "stakeholders": ["ngo"],
        "guidelines": [1],
    }
    (tmp_path / "practices" / "bad.json").write_text(json.dumps([bad]))
    with pytest.raises(
        ContentError, match=r"bad.json, record 0 \(bad\): unknown phases: \['wartime'\]"
    ):
        load_content(fixtures_dir=tmp_path)


def test_command_reports_content_errors_without_traceback(monkeypatch):
    def broken(**kwargs):
        raise ContentError("micic.json is broken")

    monkeypatch.setattr("repository.management.commands.load_micic.load_content", broken)
    with pytest.raises(CommandError, match="micic.json is broken"):
        call_command("load_micic")
