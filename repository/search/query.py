"""Web-search syntax, parsed once for both backends.

``"exact phrase"``, ``or`` between terms (any case) and ``-exclude`` are understood;
everything else is a plain term. Parsing never fails: unbalanced quotes close at the end,
stray operators are dropped, and terms are later quoted so no input reaches SQL or FTS5
as syntax.
"""

import re
from dataclasses import dataclass, field

MAX_TERMS = 32
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)
# Common English words PostgreSQL's english configuration ignores; dropped on both
# backends so that a query means the same thing everywhere.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)


@dataclass(frozen=True)
class Term:
    text: str  # words separated by single spaces
    phrase: bool = False


@dataclass
class ParsedQuery:
    # AND of clauses; each clause is an OR of terms.
    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses or self.excluded)

    @property
    def words(self) -> list[str]:
        return [word for clause in self.clauses for term in clause for word in term.text.split()]

    def websearch(self) -> str:
        """The query in PostgreSQL websearch_to_tsquery syntax, normalised."""

        def fmt(term):
            return f'"{term.text}"' if term.phrase else term.text

        parts = [" or ".join(fmt(t) for t in clause) for clause in self.clauses]
        parts += [f"-{fmt(t)}" for t in self.excluded]
        return " ".join(parts)

    def only(self, index: int) -> "ParsedQuery":
        """Clause ``index`` alone (with the exclusions): the practices matching that word."""
        return ParsedQuery(clauses=[self.clauses[index]], excluded=list(self.excluded))

    def any_clause(self) -> "ParsedQuery":
        """Any of the clauses (with the exclusions): what a relaxed search looks through."""
        terms = [term for clause in self.clauses for term in clause]
        return ParsedQuery(clauses=[terms] if terms else [], excluded=list(self.excluded))

    def without(self, index: int) -> "ParsedQuery":
        """The query less clause ``index``."""
        return ParsedQuery(
            clauses=[c for i, c in enumerate(self.clauses) if i != index],
            excluded=list(self.excluded),
        )

    def clause_text(self, index: int) -> str:
        """Clause ``index`` as the user would type it: a word, a "phrase" or ``a or b``."""
        return ParsedQuery(clauses=[self.clauses[index]]).websearch()

    def replace_words(self, mapping: dict[str, str]) -> "ParsedQuery":
        def swap(term):
            return Term(" ".join(mapping.get(w, w) for w in term.text.split()), term.phrase)

        return ParsedQuery(
            clauses=[[swap(t) for t in clause] for clause in self.clauses],
            excluded=list(self.excluded),
        )


def _normalise(text: str, phrase: bool) -> str:
    words = [w.lower() for w in WORD.findall(text)]
    if not phrase:
        words = [w for w in words if w not in STOPWORDS]
    return " ".join(words)


def parse_query(text: str) -> ParsedQuery:
    """Parse a user's search text; never raises."""
    parsed = ParsedQuery()
    pending_or = False
    count = 0
    for match in TOKEN.finditer(text or ""):
        negated, quoted, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                pending_or = bool(parsed.clauses)
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            raw, phrase = (bare[1:] if negated else bare), False
        else:
            raw, phrase = quoted, True
        words = _normalise(raw, phrase)
        if not words or count >= MAX_TERMS:
            pending_or = False
            continue
        count += 1
        term = Term(words, phrase=" " in words)
        if negated:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        pending_or = False
    return parsed
