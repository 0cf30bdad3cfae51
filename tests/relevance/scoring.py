"""Relevance of search results, measured against the judgment list (judgments.json).

Each judged query goes through the code path of the page /practices/ and the API:
``PracticeFilterSet`` (q and the query's filters) -> ``PracticeSearch`` -> ``ids()``.
The scores:

- nDCG@10: the discounted gain of the first ten results (gain 2**grade - 1, discount
  log2(rank + 1)), divided by that of the ideal order of the judged practices.
- success@3: 1 when a practice graded 2 ("must be in the top 3") is among the first three.

Both are averaged over the queries, overall and per language (``lang``).
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.http import QueryDict

JUDGMENTS = Path(__file__).with_name("judgments.json")
BASELINE = Path(__file__).with_name("baseline.json")
DEPTH = 10
METRICS = ("ndcg@10", "success@3")


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def dcg(gains: list[int]) -> float:
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of ``ranked`` keys, graded by ``grades`` (unjudged: 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:depth])
    if not ideal:
        return 0.0
    return dcg([grades.get(key, 0) for key in ranked[:depth]]) / ideal


def success(ranked: list[str], grades: dict[str, int], depth: int = 3) -> float:
    """1.0 when a practice graded 2 is among the first ``depth`` results, else 0.0."""
    return float(any(grades.get(key, 0) >= 2 for key in ranked[:depth]))


def query_dict(entry: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    data["q"] = entry["q"]
    for name, values in (entry.get("filters") or {}).items():
        data.setlist(name, [str(v) for v in (values if isinstance(values, list) else [values])])
    return data


def ranked_keys(entry: dict, depth: int = DEPTH) -> list[str]:
    """The content keys of the first ``depth`` results, as the page and the API list them."""
    from repository.filters import PracticeFilterSet
    from repository.models import Practice
    from repository.search import PracticeSearch

    filterset = PracticeFilterSet(query_dict(entry), queryset=Practice.objects.published())
    if not filterset.is_valid():
        raise ValueError(f"{entry['q']!r}: invalid filters {dict(filterset.errors)}")
    ids = PracticeSearch(filterset).ids(0, depth)
    keys = dict(Practice.objects.filter(pk__in=ids).values_list("pk", "content_key"))
    return [keys[pk] or f"#{pk}" for pk in ids]


@dataclass
class QueryScore:
    entry: dict
    ranked: list[str]
    ndcg: float
    success: float


@dataclass
class Report:
    queries: list[QueryScore]

    def scores(self, lang: str | None = None) -> dict[str, float]:
        chosen = [s for s in self.queries if lang is None or s.entry.get("lang", "en") == lang]
        if not chosen:
            return {}
        return {
            "ndcg@10": round(sum(s.ndcg for s in chosen) / len(chosen), 4),
            "success@3": round(sum(s.success for s in chosen) / len(chosen), 4),
            "queries": len(chosen),
        }

    @property
    def languages(self) -> list[str]:
        return sorted({s.entry.get("lang", "en") for s in self.queries})

    def summary(self) -> dict:
        return {"all": self.scores(), **{lang: self.scores(lang) for lang in self.languages}}

    def text(self, worst: int = 0) -> str:
        lines = [f"Relevance on {connection.vendor} ({len(self.queries)} judged queries):"]
        for name, scores in self.summary().items():
            lines.append(
                f"  {name:4} nDCG@10 {scores['ndcg@10']:.4f}  success@3 {scores['success@3']:.4f}"
                f"  ({scores['queries']} queries)"
            )
        if worst:
            lines.append(f"  The {worst} lowest nDCG@10:")
            for s in sorted(self.queries, key=lambda s: s.ndcg)[:worst]:
                lines.append(f"    {s.ndcg:.3f} {s.entry['q']!r} {s.entry.get('filters') or ''}")
        return "\n".join(lines)


def evaluate(judgments: list[dict] | None = None) -> Report:
    scores = []
    for entry in judgments if judgments is not None else load_judgments():
        ranked = ranked_keys(entry)
        grades = entry["judgments"]
        scores.append(QueryScore(entry, ranked, ndcg(ranked, grades), success(ranked, grades)))
    return Report(scores)


def load_baseline(path: Path = BASELINE) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
