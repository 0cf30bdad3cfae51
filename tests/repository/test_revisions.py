"""repository/revisions.py, through the workflow and the moderation pages: a resubmission is
flagged "revised" in the queue, and its review page shows what changed."""

import pytest
from django.contrib.auth.models import User

from repository import revisions, workflow
from repository.models import Country, Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return User.objects.create_superuser("boss", "boss@example.org", "pw")


@pytest.fixture
def revised(moderator):
    practice = make_practice(
        status=Status.SUBMITTED,
        title="Storm alerts for seafarers",
        summary="A union sends storm alerts by SMS to crews in port.",
        countries=["PH"],
        year=2014,
        reference="P-TEST-0000-0001",
    )
    workflow.decide(
        practice=practice, decision="request_changes", actor=moderator, note="Which language?"
    )
    return workflow.resubmit(
        practice=practice,
        actor=None,
        fields={
            "title": "Storm alerts in Tagalog for seafarers",
            "summary": "A union sends storm alerts by SMS to crews in port.",
            "year": 2015,
        },
        tags={"countries": [Country.objects.get(code="PH"), Country.objects.get(code="LB")]},
    )


def test_the_resubmission_event_records_what_changed(revised):
    event = revised.events.last()
    assert event.from_status == Status.CHANGES_REQUESTED and event.to_status == Status.SUBMITTED
    assert event.changes["title"] == [
        "Storm alerts for seafarers",
        "Storm alerts in Tagalog for seafarers",
    ]
    assert event.changes["year"] == [2014, 2015]
    assert event.changes["countries"] == [["Philippines"], ["Lebanon", "Philippines"]]
    assert "summary" not in event.changes  # unchanged fields are not listed


def test_a_moderators_edit_records_what_changed(moderator):
    practice = make_practice(status=Status.SUBMITTED, title="Old title")
    workflow.edit(practice=practice, fields={"title": "New title"}, tags={}, actor=moderator)
    assert practice.events.last().changes == {"title": ["Old title", "New title"]}


def test_word_diff_marks_removed_and_added_words_and_escapes_text():
    html = revisions.word_diff(
        "Alerts for <b>seafarers</b>", "Alerts in Tagalog for <b>seafarers</b>"
    )
    assert html == "Alerts <ins>in Tagalog </ins>for &lt;b&gt;seafarers&lt;/b&gt;"
    assert revisions.word_diff("a b c", "a c") == "a <del>b </del>c"


def test_the_queue_flags_revised_practices(client, moderator, revised):
    other = make_practice(status=Status.SUBMITTED, title="Never sent back")
    client.force_login(moderator)
    content = client.get("/moderation/").content.decode()
    row = content[content.index(revised.title) :]
    row = row[: row.index("</tr>")]
    assert '<span class="status status-revised">Revised</span>' in row
    other_row = content[content.index(other.title) :]
    assert "status-revised" not in other_row[: other_row.index("</tr>")]


def test_the_review_page_shows_the_diff_of_the_revision(client, moderator, revised):
    client.force_login(moderator)
    content = client.get(f"/moderation/{revised.pk}/").content.decode()
    section = content[content.index('id="revision-title"') :]
    section = section[: section.index("</section>")]
    assert "what changed" in section
    assert "<ins>in Tagalog </ins>" in section
    assert "<del>2014</del><ins>2015</ins>" in section
    assert "<ins>Lebanon</ins>" in section
    assert "Summary" not in section
