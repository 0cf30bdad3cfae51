"""repository/feeds.py: the Atom feed of published practices."""

import feedparser
import pytest

from repository.models import Status
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def test_feed_lists_published_practices_newest_first(client):
    make_practice(title="Older feed item")
    make_practice(title="Newest feed item", summary="Feed summary <b>bold</b>.")
    response = client.get("/feeds/practices/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    content = response.content.decode()
    assert content.index("Newest feed item") < content.index("Older feed item")
    assert "Feed summary &lt;b&gt;bold&lt;/b&gt;." in content


def test_feed_accepts_the_list_filters(client):
    make_practice(
        title="Earthquake drill", phases=["preparedness"], crisis_types=["natural-disaster"]
    )
    make_practice(title="Border relief", phases=["emergency"])
    content = client.get("/feeds/practices/?phase=preparedness&q=earthquake").content.decode()
    assert "Earthquake drill" in content
    assert "Border relief" not in content


def test_feed_bad_filter_is_a_400_naming_it(client):
    response = client.get("/feeds/practices/?phase=wartime")
    assert response.status_code == 400
    assert "phase: “wartime” is not a known phase." in response.content.decode()


def test_feed_leaves_out_unpublished(client):
    make_practice(title="Unpublished feed item", status=Status.SUBMITTED)
    assert b"Unpublished feed item" not in client.get("/feeds/practices/").content


MARKUP_SUMMARY = "<b onmouseover=alert('fs')>x</b>"


def test_summaries_are_plain_text_for_a_feed_reader(client):
    """Through a real feed parser: the summary arrives as text, its markup as characters."""
    make_practice(title="<i>Tagged</i> title", summary=MARKUP_SUMMARY)
    response = client.get("/feeds/practices/")
    assert 'type="html"' not in response.content.decode()
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    [entry] = [e for e in feed.entries if e.title == "<i>Tagged</i> title"]
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == MARKUP_SUMMARY
    assert entry.title_detail.type == "text/plain"
