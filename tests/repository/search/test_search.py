"""repository/search/: the same behaviour on SQLite (FTS5) and PostgreSQL (tsvector).

CI runs this module on both databases.
"""

import pytest
from django.http import QueryDict

from repository import search
from repository.filters import PracticeFilterSet
from repository.models import Practice, Status
from repository.search.query import parse_query
from tests.factories import make_practice


def practice_search(query: str) -> search.PracticeSearch:
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    assert filterset.is_valid(), filterset.errors
    return search.PracticeSearch(filterset)


def snippets(practices, text):
    practices = list(practices)
    practice_search(QueryDict.fromkeys(["q"], text).urlencode()).snippets(practices)
    return {p.pk: p.snippet for p in practices if p.snippet}


def suggest(text):
    return practice_search(QueryDict.fromkeys(["q"], text).urlencode()).correction()


def found(corpus, text):
    by_pk = {p.pk: key for key, p in corpus.items()}
    return {by_pk[p.pk] for p in search.matching(Practice.objects.published(), text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evacuation", {"libya", "app"}),
        ("EVACUATION", {"libya", "app"}),
        ("evacuate", {"libya", "app"}),  # stemming
        ("evacuations", {"libya", "app"}),
        ("workers", {"libya", "hotline"}),
        ("domestic workers", {"hotline"}),
        ("the domestic workers", {"hotline"}),  # stopwords ignored
        ('"text message"', {"japan"}),
        ('"message text"', set()),
        ("libya or japan", {"libya", "japan"}),
        ("libya OR japan", {"libya", "japan"}),
        ("libya or japan earthquake", {"japan"}),  # (libya or japan) and earthquake
        ("libya or japan -charter", {"japan"}),
        ("evacuation -libya", {"app"}),
        ('evacuation -"charter flights"', {"app"}),
        ("lebanon", {"hotline"}),  # country names are indexed as tags
        ("Middle East", {"libya", "hotline"}),  # and region names
        ("diaspora", {"diaspora"}),
        ("Relocate evacuate migrants", {"libya"}),  # guideline titles
        ("-evacuation", {"japan", "diaspora", "hotline"}),
        ("nothing-like-this-anywhere", set()),
        ("", {"libya", "japan", "diaspora", "app", "hotline"}),
    ],
)
def test_web_search_syntax(corpus, text, expected):
    assert found(corpus, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        'a" b "c',
        "AND OR NOT",
        "or or or",
        "- -- ---",
        "*",
        "title:evacuation",
        "{title}: x",
        "NEAR(evacuation libya)",
        "evacuation^2",
        "'; DROP TABLE repository_practice; --",
        '" OR 1=1 --',
        "\\",
        "%_%",
        "\x00\x01",
        "évacuation Türkiye 東京 مهاجر",
        "x" * 500,
        " ".join(["word"] * 200),
    ],
)
def test_malformed_queries_never_raise(corpus, text):
    results = search.matching(Practice.objects.published(), text)
    assert isinstance(list(results), list)
    assert Practice.objects.count() == 6  # nothing was dropped
    query = QueryDict.fromkeys(["q"], text[:500]).urlencode()
    filterset = PracticeFilterSet(QueryDict(query), queryset=Practice.objects.published())
    if "\x00" in text:  # the FilterSet refuses NUL: a 400 naming q, never the backends
        assert not filterset.is_valid() and "q" in filterset.errors
        return
    snippets(Practice.objects.all(), text[:500])
    suggest(text[:500])


def test_title_matches_rank_above_body_matches(corpus):
    ranked = practice_search("q=evacuation").ids()
    assert ranked == [corpus["libya"].pk, corpus["app"].pk]


def test_unapproved_practices_are_not_found(corpus):
    assert "hidden" not in found(corpus, "evacuation review")


def test_snippets_highlight_terms_and_escape_html(db):
    practice = make_practice(
        title="Shelter",
        summary="Food & water <script>alert(1)</script> for migrants during evacuation.",
    )
    snippet = snippets([practice], "evacuation")[practice.pk]
    assert "<mark>evacuation</mark>" in snippet
    assert "<script" not in snippet  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)
    assert "&amp;" in snippet


def test_index_follows_edits_tags_and_deletes(db):
    practice = make_practice(title="Quokkaword support", countries=["TR"])
    queryset = Practice.objects.published()
    assert list(search.matching(queryset, "quokkaword")) == [practice]
    practice.title = "Wombatword support"
    practice.save()
    assert list(search.matching(queryset, "quokkaword")) == []
    assert list(search.matching(queryset, "wombatword")) == [practice]
    assert practice in search.matching(queryset, "Türkiye")
    practice.countries.clear()
    assert practice not in search.matching(queryset, "Türkiye")
    practice.delete()
    assert list(search.matching(Practice.objects.all(), "wombatword")) == []


def test_suggests_a_correction_for_misspelt_words(corpus):
    assert suggest("evacuaton") == "evacuation"
    assert suggest("multilingal alerts") == "multilingual alerts"
    assert suggest("evacuation") is None


def test_words_of_withdrawn_practices_are_never_suggested(db):
    from django.contrib.auth.models import User

    from repository import workflow

    moderator = User.objects.create_superuser("suggest-mod", "m@example.org", "pw")
    withdrawn = make_practice(title="Zanzibarite ferry evacuation", summary="Quokkaland boats.")
    assert suggest("zanzibarit") == "zanzibarite"
    workflow.withdraw(practice=withdrawn, actor=moderator)
    assert suggest("zanzibarit") is None
    assert suggest("quokaland") is None
    # Never published at all: its words were never in the vocabulary.
    make_practice(title="Wallabyesque shelter", status=Status.SUBMITTED)
    assert suggest("wallabyesqe") is None
    # Published again: suggested again.
    make_practice(title="Zanzibarite harbour")
    assert suggest("zanzibarit") == "zanzibarite"


def test_did_you_mean_on_the_page_leaves_out_withdrawn_words(client, db):
    practice = make_practice(title="Kinkajourney convoy")
    assert (
        b'href="?q=kinkajourney" dir="auto">'
        in client.get("/practices/", {"q": "kinkajourny"}).content
    )
    Practice.objects.filter(pk=practice.pk).update(status=Status.REJECTED)
    response = client.get("/practices/", {"q": "kinkajourny"})
    assert b"kinkajourney" not in response.content


def test_rebuild_index_command(corpus):
    from django.core.management import call_command

    call_command("rebuild_search_index")
    assert found(corpus, "evacuation") == {"libya", "app"}


def test_parser_understands_phrases_or_and_exclusions():
    parsed = parse_query('flood "early warning" or sms -rumour -"fake news"')
    assert parsed.websearch() == 'flood "early warning" or sms -rumour -"fake news"'
    assert parse_query("The OR of a").websearch() == ""
    assert parse_query('"unclosed phrase').websearch() == '"unclosed phrase"'
