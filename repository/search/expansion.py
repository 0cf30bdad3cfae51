"""Search across languages: a query's words, also searched in their other languages' forms.

``expand(terms, thesaurus)`` is pure: for the words of a query, in order, it gives each
term (a word, or consecutive words that form a known phrase such as "early warning") with
its alternatives — the other forms of the same concept or country in English, French,
Spanish and Arabic. Matching ignores case, accents, Arabic short vowels, alef forms and the
article "ال", and a final plural "s".

The thesaurus comes from fixtures/thesaurus.json (the domain concepts and former or
alternative country names), country names from CLDR (Babel) and the labels of the
taxonomies in the four languages (``default_thesaurus()``). ``expand_query`` applies it to
a parsed query: each term's clause becomes "the term OR its alternatives"; the search
backends rank a practice that matches the words as typed above one that matches only an
alternative.
"""

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from .query import STOPWORDS, WORD, ParsedQuery, Term

THESAURUS_PATH = Path(settings.BASE_DIR) / "fixtures" / "thesaurus.json"
LANGUAGES = ("en", "fr", "es", "ar")
MAX_ALTERNATIVES = 16

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_ARTICLES = ("وال", "بال", "فال", "كال", "ال")


class Alternative(NamedTuple):
    """Another form of a term, and its language ("" where not known)."""

    text: str
    lang: str


def fold(word: str) -> str:
    """A word as compared: lower case, no accents or short vowels, one alef, no article."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    if _ARABIC.search(word):
        word = word.translate(_ALEF)
        for article in _ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 3:
                return word[len(article) :]
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD.findall(text))


def key(text: str) -> tuple[str, ...]:
    """The folded words of a form, without the stopwords a query drops."""
    return tuple(fold(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS)


@dataclass
class Thesaurus:
    """Forms grouped by meaning, looked up by their folded words."""

    forms: dict[tuple[str, ...], list[Alternative]] = field(default_factory=dict)
    longest: int = 1

    @classmethod
    def from_groups(cls, groups: Iterable[Iterable[Alternative]]) -> "Thesaurus":
        thesaurus = cls()
        for group in groups:
            group = list(dict.fromkeys(group))  # the first of equal forms keeps its language
            for alternative in group:
                found = key(alternative.text)
                if not found:
                    continue
                known = thesaurus.forms.setdefault(found, [])
                known.extend(a for a in group if a not in known)
                thesaurus.longest = max(thesaurus.longest, len(found))
        return thesaurus

    def alternatives(self, term: str) -> list[Alternative]:
        """The other forms of ``term``: spelt otherwise than it (accents count)."""
        seen = {_words(term)}
        found = []
        for alternative in self.forms.get(key(term), ()):
            words = _words(alternative.text)
            if words not in seen:
                seen.add(words)
                found.append(alternative)
        return found[:MAX_ALTERNATIVES]


def expand(terms: Sequence[str], thesaurus: Thesaurus) -> list[tuple[str, list[Alternative]]]:
    """Each term with its alternatives; consecutive terms forming a known phrase are one.

    ``expand(["early", "warning", "typhoon"], t)`` →
    ``[("early warning", [alerte précoce, …]), ("typhoon", [cyclone, hurricane, …])]``.
    """
    result = []
    i = 0
    while i < len(terms):
        for size in range(min(thesaurus.longest, len(terms) - i), 0, -1):
            term = " ".join(terms[i : i + size])
            if key(term) in thesaurus.forms:
                result.append((term, thesaurus.alternatives(term)))
                i += size
                break
        else:
            result.append((terms[i], []))
            i += 1
    return result


def expand_query(
    parsed: ParsedQuery, thesaurus: Thesaurus
) -> tuple[ParsedQuery, list[tuple[str, list[Alternative]]]]:
    """The query with each term OR its alternatives, and the expansions made (for display).

    Runs of single-word clauses are read together, so "early warning" is one concept.
    Excluded terms stay as they are.
    """
    clauses: list[list[Term]] = []
    expansions = []

    def add(clause_terms: list[Term], expanded: list[tuple[str, list[Alternative]]]):
        clause = list(clause_terms)
        for term, alternatives in expanded:
            if alternatives:
                expansions.append((term, alternatives))
            clause += [_term(a.text) for a in alternatives]
        clauses.append(list(dict.fromkeys(t for t in clause if t.text)))

    run: list[str] = []

    def flush():
        for term, alternatives in expand(run, thesaurus):
            add([Term(term, phrase=" " in term)], [(term, alternatives)])
        run.clear()

    for clause in parsed.clauses:
        if len(clause) == 1 and not clause[0].phrase:
            run.append(clause[0].text)
            continue
        flush()
        add(clause, [expand([t.text], thesaurus)[0] for t in clause])
    flush()
    return ParsedQuery(clauses=clauses, excluded=list(parsed.excluded)), expansions


def _term(text: str) -> Term:
    words = " ".join(w.lower() for w in WORD.findall(text))
    return Term(words, phrase=" " in words)


# The project's thesaurus ------------------------------------------------------------------


@cache
def _file_groups() -> list[list[Alternative]]:
    with THESAURUS_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    groups = _with_article(
        [
            [Alternative(text, lang) for lang in LANGUAGES for text in concept.get(lang, ())]
            for concept in data["concepts"]
        ]
    )
    groups += [
        _country_names(code) + [Alternative(text, "") for text in names]
        for code, names in data["countries"].items()
    ]
    return groups


def _country_names(code: str) -> list[Alternative]:
    """A country's names in the four languages from CLDR; "Myanmar (Burma)" gives both."""
    from babel import Locale

    names = []
    for lang in LANGUAGES:
        name = Locale.parse(lang).territories.get(code)
        if not name:
            continue
        names.append(Alternative(name, lang))
        base, _sep, inner = name.partition(" (")
        if inner:
            names += [Alternative(base, lang), Alternative(inner.rstrip(")"), lang)]
    return names


def _with_article(groups: list[list[Alternative]]) -> list[list[Alternative]]:
    """Arabic single words also with the article, as texts mostly write them (إجلاء, الإجلاء)."""
    result = []
    for group in groups:
        extra = [
            Alternative("ال" + a.text, a.lang)
            for a in group
            if _ARABIC.search(a.text) and " " not in a.text and not a.text.startswith("ال")
        ]
        result.append(group + extra)
    return result


def _label_groups() -> list[list[Alternative]]:
    """Countries (their CLDR and stored names) and taxonomy labels, in the four languages."""
    from guidelines.models import Phase

    from ..models import Country, CrisisType, Region, Stakeholder

    groups = []
    for country in Country.objects.all():
        stored = [Alternative(getattr(country, f"name_{lang}") or "", lang) for lang in LANGUAGES]
        groups.append([a for a in stored if a.text] + _country_names(country.code))
    for model in (Phase, Stakeholder, CrisisType, Region):
        for tag in model.objects.exclude(slug="other"):
            labels = [Alternative(getattr(tag, f"name_{lang}") or "", lang) for lang in LANGUAGES]
            groups.append([a for a in labels if a.text])
    return groups


_built: tuple[str, Thesaurus | None] = ("", None)
_lock = threading.Lock()


def default_thesaurus(key: str | None = None) -> Thesaurus:
    """The file's concepts, the countries and the taxonomy labels; per content version
    (``key``: the caller's cache key of it, read from the content version it already has)."""
    global _built
    from . import version as content_version

    version = key or content_version.key("thesaurus")
    if _built[0] == version and _built[1] is not None:
        return _built[1]
    with _lock:
        if _built[0] != version or _built[1] is None:
            groups = _file_groups() + _label_groups()
            _built = (version, Thesaurus.from_groups(groups))
        return _built[1]
