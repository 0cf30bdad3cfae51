"""repository/search/: the same behaviour on SQLite (FTS5) and PostgreSQL (tsvector).

CI runs this module on both databases.
"""

import pytest
from django.http import QueryDict

from bench import queries as bench_queries
from repository import search
from repository.filters import PracticeFilterSet
from repository.models import Practice
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
    return practice_search(QueryDict.fromkeys(["q"], text).urlencode()).suggestion


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


def test_rebuild_index_command(corpus):
    from django.core.management import call_command

    call_command("rebuild_search_index")
    assert found(corpus, "evacuation") == {"libya", "app"}


def test_parser_understands_phrases_or_and_exclusions():
    parsed = parse_query('flood "early warning" or sms -rumour -"fake news"')
    assert parsed.websearch() == 'flood "early warning" or sms -rumour -"fake news"'
    assert parse_query("The OR of a").websearch() == ""
    assert parse_query('"unclosed phrase').websearch() == '"unclosed phrase"'


# The benchmark's searches (bench/queries.py): its headline, its web-search syntax and the
# words of its varied stream.
BENCH_SEARCHES = [
    "q=evacuation",
    "q=evacuation&phase=emergency&stakeholder=states",
    "q=%22early+warning%22+or+evacuation+-flood",
    *(f"q={word}" for word in bench_queries.STREAM_WORDS),
    *(
        "q=migrants&" + "&".join(f"{k}={v}" for k, v in app)
        for app, _datasette in bench_queries.STREAM_FILTERS[1:]
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [0, 7, 1000], ids=["top-k", "short prefix", "prefix"])
@pytest.mark.parametrize("query", BENCH_SEARCHES)
def test_first_pages_are_the_full_rankings_first(query, prefix, monkeypatch):
    """Top-k ranking (the words' best PREFIX walked through the filters, or the filtered
    practices ranked by the database as far as the page) gives exactly the first results
    of the full ranking (``sql_ids()``, SQL alone)."""
    from repository.search import engine

    monkeypatch.setattr(engine, "PREFIX", prefix)
    found = practice_search(query)
    expected = found.sql_ids()
    assert expected, "every benchmark search finds practices in the real content"
    assert found.ids(0, 20) == expected[:20]
    assert found.ids(20, 40) == expected[20:40]
    assert found.count == len(expected)


@pytest.mark.django_db
def test_deep_pages_come_from_the_whole_ranking(monkeypatch):
    from repository.search import engine

    monkeypatch.setattr(engine, "PREFIX", 3)
    monkeypatch.setattr(engine, "TOP_K", 6)
    found = practice_search("q=migrants")
    expected = found.sql_ids()
    assert len(expected) > 12
    assert found.ids(0, 3) == expected[:3]  # the ranked prefix
    assert found.ids(3, 6) == expected[3:6]  # top-k
    assert found.ids(6, 12) == expected[6:12]  # past TOP_K: the whole ranking
    assert found.ids() == expected  # an export
