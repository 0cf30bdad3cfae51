"""Search across languages (repository/search/expansion.py): the pure expansion, the
project's thesaurus, and searches through the page and the API on the test database
(SQLite locally, PostgreSQL in CI's second pass)."""

import json

import pytest
from django.http import QueryDict

from repository import search
from repository.filters import PracticeFilterSet
from repository.models import Practice
from repository.search.expansion import (
    THESAURUS_PATH,
    Alternative,
    Thesaurus,
    default_thesaurus,
    expand,
    expand_query,
    fold,
)
from repository.search.query import parse_query
from tests.factories import make_practice

SMALL = Thesaurus.from_groups(
    [
        [
            Alternative("evacuation", "en"),
            Alternative("évacuation", "fr"),
            Alternative("إجلاء", "ar"),
        ],
        [Alternative("early warning", "en"), Alternative("alerte précoce", "fr")],
        [Alternative("warning", "en"), Alternative("avertissement", "fr")],
    ]
)


def texts(alternatives):
    return [a.text for a in alternatives]


def test_fold_ignores_case_accents_alef_forms_article_and_plural():
    assert fold("Évacuations") == fold("evacuation")
    assert fold("الإجلاء") == fold("إجلاء") == fold("اجلاء")
    assert fold("crisis") != fold("cross")


def test_expand_gives_each_term_its_other_forms():
    assert expand(["evacuation"], SMALL) == [
        ("evacuation", [Alternative("évacuation", "fr"), Alternative("إجلاء", "ar")])
    ]
    assert texts(expand(["الإجلاء"], SMALL)[0][1]) == ["evacuation", "évacuation", "إجلاء"]
    assert expand(["lighthouse"], SMALL) == [("lighthouse", [])]


def test_expand_reads_consecutive_words_as_a_known_phrase_first():
    result = expand(["early", "warning", "warning"], SMALL)
    assert [term for term, _ in result] == ["early warning", "warning"]
    assert texts(result[0][1]) == ["alerte précoce"]
    assert texts(result[1][1]) == ["avertissement"]


def test_expand_query_ors_the_alternatives_and_keeps_exclusions():
    expanded, made = expand_query(parse_query("évacuation -boat"), SMALL)
    assert [t.text for t in expanded.clauses[0]] == ["évacuation", "evacuation", "إجلاء"]
    assert [t.text for t in expanded.excluded] == ["boat"]
    assert made == [("évacuation", [Alternative("evacuation", "en"), Alternative("إجلاء", "ar")])]
    same, none = expand_query(parse_query("lighthouse keepers"), SMALL)
    assert none == [] and [c[0].text for c in same.clauses] == ["lighthouse", "keepers"]


def test_the_thesaurus_file_has_150_concepts_each_in_four_languages():
    data = json.loads(THESAURUS_PATH.read_text(encoding="utf-8"))
    concepts = data["concepts"]
    assert len(concepts) >= 150
    assert len({c["id"] for c in concepts}) == len(concepts)
    for concept in concepts:
        for language in ("en", "fr", "es", "ar"):
            assert concept[language], f"{concept['id']} has no {language} form"
    assert {"Turkey", "Türkiye"} <= set(data["countries"]["TR"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("evacuación", {"evacuation", "évacuation", "إجلاء"}),
        ("typhoon", {"cyclone", "hurricane", "typhon", "tifón", "إعصار"}),
        ("Turquie", {"Türkiye", "Turquía", "تركيا", "Turkey"}),
        ("Ivory Coast", {"Côte d’Ivoire", "Costa de Marfil", "ساحل العاج"}),
        ("Burma", {"Myanmar", "ميانمار"}),
        ("Allemagne", {"Germany", "Alemania", "ألمانيا"}),  # CLDR names, not typed
        ("État d'accueil", {"Host State", "Estado de acogida"}),  # a tag label
        ("remesas", {"remittances", "transferts de fonds"}),
        ("early warning", {"alerte précoce", "alerta temprana", "إنذار مبكر"}),
    ],
)
def test_the_project_thesaurus(term, expected):
    words = parse_query(term).words
    (found_term, alternatives), *_ = expand(words, default_thesaurus())
    assert found_term == " ".join(words)
    assert expected <= set(texts(alternatives))


@pytest.fixture
def multilingual(db):
    """Practices in English, and one in each other language, about evacuations and storms."""
    Practice.objects.all().delete()
    return {
        "turkey": make_practice(
            title="Evacuation of migrant workers after the earthquake",
            summary="Buses took foreign workers to safety from the affected provinces.",
            countries=["TR"],
        ),
        "libya": make_practice(
            title="Consular evacuation by sea",
            summary="Ships evacuated nationals stranded in the port.",
            countries=["LY"],
        ),
        "typhoon": make_practice(
            title="Typhoon alerts for seafarers",
            summary="Storm warnings relayed to migrant crews before the typhoon made landfall.",
            countries=["PH"],
            crisis_types=["natural-disaster"],
        ),
        "french": make_practice(
            title="Évacuation des ressortissants par voie aérienne",
            summary="Des vols affrétés ont rapatrié les travailleurs bloqués.",
            language="fr",
            countries=["CI"],
        ),
        "arabic": make_practice(
            title="إجلاء العمال المهاجرين",
            summary="نظمت القنصلية رحلات جوية للعمال العالقين.",
            language="ar",
            countries=["LB"],
        ),
        "other": make_practice(title="Registration of foreign students", summary="A database."),
    }


def found(text) -> set[int]:
    return set(search.matching(Practice.objects.published(), text).values_list("pk", flat=True))


def test_a_query_in_any_language_finds_what_the_english_one_does(multilingual):
    p = multilingual
    evacuations = found("evacuation")
    assert {p["turkey"].pk, p["libya"].pk, p["french"].pk, p["arabic"].pk} <= evacuations
    assert p["other"].pk not in evacuations
    for other in ("evacuación", "évacuation", "إجلاء", "الإجلاء"):
        assert found(other) == evacuations, other
    turkey = found("Turkey")
    assert turkey == {p["turkey"].pk}
    for other in ("Turquie", "Türkiye", "Turquía", "تركيا"):
        assert found(other) == turkey, other
    typhoons = found("typhoon")
    assert typhoons == {p["typhoon"].pk}
    for other in ("tifón", "typhon", "cyclone", "hurricane", "إعصار"):
        assert found(other) == typhoons, other
    assert found("Ivory Coast") == found("Côte d'Ivoire") == {p["french"].pk}


def test_a_direct_match_ranks_above_an_expanded_one(multilingual):
    p = multilingual
    for text, first in (("إجلاء", "arabic"), ("evacuation", None)):
        filterset = PracticeFilterSet(
            QueryDict.fromkeys(["q"], text), queryset=Practice.objects.published()
        )
        assert filterset.is_valid(), filterset.errors
        ranked = search.PracticeSearch(filterset).ids()
        if first:
            assert ranked[0] == p[first].pk, text
        else:  # the English practices, then the Arabic one, found by expansion only
            english = [p[key].pk for key in ("turkey", "libya")]
            assert max(ranked.index(pk) for pk in english) < ranked.index(p["arabic"].pk)


def test_the_results_page_says_what_else_was_searched(client, multilingual):
    response = client.get("/es/practices/", {"q": "evacuación"})
    content = response.content.decode()
    assert "También se buscó:" in content
    assert '<span lang="en" dir="auto">evacuation</span>' in content
    assert '<span lang="ar" dir="auto">إجلاء</span>' in content
    assert "4 prácticas" in content
    assert "also-searched" not in client.get("/practices/", {"q": "lighthouse"}).content.decode()


def test_the_api_searches_across_languages_too(client, multilingual):
    english = client.get("/api/v1/practices/", {"q": "Turkey"}).json()
    arabic = client.get("/api/v1/practices/", {"q": "تركيا", "lang": "ar"}).json()
    assert english["count"] == arabic["count"] == 1
    assert arabic["results"][0]["id"] == multilingual["turkey"].pk
