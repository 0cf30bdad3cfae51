"""Synthetic practices for the benchmark: realistic tags and text, deterministic, no Django.

Every synthetic practice is modelled on a real one from fixtures/practices/*.json (its
"prototype"): it takes the prototype's tag set with random perturbations, so tag
frequencies and co-occurrences (evacuation with the emergency phase, diaspora with civil
society) follow the real repository. Text comes from a word-bigram chain trained on the
real titles, summaries and descriptions, half of its sentences starting from words of the
prototype, so full-text search finds realistic, topic-correlated matches.

Synthetic rows are marked: titles start with "[SYNTHETIC] ", content keys with
"synthetic-", and the source says so.
"""

import itertools
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20261124
TITLE_PREFIX = "[SYNTHETIC] "
KEY_PREFIX = "synthetic-"
SOURCE_TITLE = "Synthetic benchmark record (bench/synth.py), not a real practice"
YEARS = (2000, 2025)
# 0–4 countries per practice.
COUNTRY_COUNT_WEIGHTS = {0: 30, 1: 30, 2: 20, 3: 12, 4: 8}
# A small share is not published, so the published() filter has something to drop.
UNPUBLISHED_SHARE = 0.03
UNPUBLISHED_STATUSES = ("submitted", "rejected", "changes_requested", "withdrawn")

SENTENCE = re.compile(r"[^.!?]+[.!?]?")
TOKEN = re.compile(r"[\w'’\-]+|[,;:()]", re.UNICODE)
END = "\x00"


@dataclass
class Corpus:
    """What the generator learns from the real fixtures."""

    practices: list[dict]
    # word: (followers, cumulative weights)
    chain: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)
    starts: list[str] = field(default_factory=list)
    tag_frequency: dict[str, Counter] = field(default_factory=dict)
    organizations: list[str] = field(default_factory=list)


def load_corpus(fixtures_dir: Path) -> Corpus:
    practices = []
    for path in sorted((fixtures_dir / "practices").glob("*.json")):
        practices += json.loads(path.read_text(encoding="utf-8"))
    corpus = Corpus(practices=practices)
    pairs: dict[str, Counter] = defaultdict(Counter)
    starts = []
    for row in practices:
        text = " ".join([row.get("title") or "", row.get("summary") or "", row.get("body") or ""])
        for sentence in SENTENCE.findall(text):
            words = TOKEN.findall(sentence)
            if len(words) < 3:
                continue
            starts.append(words[0])
            for a, b in zip(words, [*words[1:], END], strict=True):
                pairs[a][b] += 1
    corpus.chain = {
        w: (list(c.keys()), list(itertools.accumulate(c.values()))) for w, c in pairs.items()
    }
    corpus.starts = starts
    for name in ("phases", "stakeholders", "crisis_types", "guidelines", "principles"):
        corpus.tag_frequency[name] = Counter(v for row in practices for v in row.get(name) or [])
    corpus.organizations = sorted(
        {o.strip() for row in practices for o in (row.get("organizations") or "").split(",")} - {""}
    )
    return corpus


class Generator:
    """Yields synthetic practice records (plain dicts) from a fixed seed."""

    def __init__(self, corpus: Corpus, taxonomy: dict, seed: int = SEED):
        self.corpus = corpus
        self.rng = random.Random(seed)
        # Every known value, weighted by its real frequency plus smoothing so that rare
        # and unused values still occur.
        self.values = {
            "phases": [p["slug"] for p in taxonomy["phases"]],
            "stakeholders": [s["slug"] for s in taxonomy["stakeholders"]],
            "crisis_types": [c["slug"] for c in taxonomy["crisis_types"]],
            "guidelines": [g["number"] for g in taxonomy["guidelines"]],
            "principles": [p["number"] for p in taxonomy["principles"]],
        }
        self.weights = {
            name: [corpus.tag_frequency[name][v] + 2 for v in values]
            for name, values in self.values.items()
        }
        self.guideline_phase = {g["number"]: g["phase"] for g in taxonomy["guidelines"]}
        real_countries = Counter(c for row in corpus.practices for c in row.get("countries") or [])
        self.countries_by_region: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for country in taxonomy["countries"]:
            weight = 1 + 5 * real_countries[country["code"]]
            self.countries_by_region[country["region"]].append((country["code"], weight))
        self.regions = sorted(self.countries_by_region)
        self.region_weights = [
            sum(w for _c, w in self.countries_by_region[r]) for r in self.regions
        ]
        self.all_countries = [c for r in self.regions for c, _w in self.countries_by_region[r]]
        self.country_pools = {
            region: (
                [c for c, _w in pool],
                list(itertools.accumulate(w for _c, w in pool)),
            )
            for region, pool in self.countries_by_region.items()
        }

    # Text ---------------------------------------------------------------------------

    def _sentence(self, start_from: list[str], low: int, high: int) -> str:
        rng, chain = self.rng, self.corpus.chain
        word = rng.choice(start_from) if start_from and rng.random() < 0.5 else None
        if word not in chain:
            word = rng.choice(self.corpus.starts)
        words = [word]
        limit = rng.randint(low, high)
        while len(words) < limit:
            followers, cumulative = chain.get(word, ((END,), (1,)))
            word = rng.choices(followers, cum_weights=cumulative)[0]
            if word == END:
                if len(words) >= low:
                    break
                word = rng.choice(self.corpus.starts)
            words.append(word)
        text = " ".join(words)
        text = re.sub(r" ([,;:)])", r"\1", text).replace("( ", "(").strip(" ,;:(")
        return text[:1].upper() + text[1:]

    def _title(self, start_from) -> str:
        return TITLE_PREFIX + self._sentence(start_from, 5, 12).rstrip(".")

    def _summary(self, start_from) -> str:
        count = self.rng.choices((1, 2, 3), (3, 5, 2))[0]
        return " ".join(self._sentence(start_from, 12, 30) + "." for _ in range(count))

    def _body(self, start_from) -> str:
        # Most real practices have a summary only; a quarter get a description.
        if self.rng.random() < 0.75:
            return ""
        paragraphs = []
        for _ in range(self.rng.choices((1, 2, 3), (5, 3, 1))[0]):
            if self.rng.random() < 0.15:
                items = [
                    "- " + self._sentence(start_from, 4, 10) for _ in range(self.rng.randint(2, 4))
                ]
                paragraphs.append("\n".join(items))
            else:
                count = self.rng.randint(2, 3)
                paragraphs.append(
                    " ".join(self._sentence(start_from, 10, 22) + "." for _ in range(count))
                )
        return "\n\n".join(paragraphs)

    # Tags ---------------------------------------------------------------------------

    def _pick(self, name, k=1):
        return self.rng.choices(self.values[name], self.weights[name], k=k)

    def _perturb(self, name, base, *, add, swap, drop, minimum=1):
        tags = list(dict.fromkeys(base))
        rng = self.rng
        if tags and rng.random() < swap:
            tags[rng.randrange(len(tags))] = self._pick(name)[0]
        if rng.random() < add:
            tags += self._pick(name)
        if len(tags) > minimum and rng.random() < drop:
            tags.pop(rng.randrange(len(tags)))
        if len(tags) < minimum:
            tags += self._pick(name, minimum - len(tags))
        return list(dict.fromkeys(tags))

    def _countries(self, prototype):
        rng = self.rng
        count = rng.choices(list(COUNTRY_COUNT_WEIGHTS), list(COUNTRY_COUNT_WEIGHTS.values()))[0]
        chosen = [c for c in prototype.get("countries") or [] if rng.random() < 0.5][:count]
        region = rng.choices(self.regions, self.region_weights)[0]
        codes, cumulative = self.country_pools[region]
        for _ in range(count * 4):  # bounded: duplicates are retried a few times only
            if len(chosen) >= count:
                break
            if rng.random() < 0.8:
                code = rng.choices(codes, cum_weights=cumulative)[0]
            else:
                code = rng.choice(self.all_countries)
            if code not in chosen:
                chosen.append(code)
        return chosen

    def _year(self, prototype):
        rng = self.rng
        low, high = YEARS
        if prototype.get("year") and rng.random() < 0.6:
            year = prototype["year"] + rng.randint(-3, 3)
        else:
            # More practices in recent years, as in the real repository.
            year = int(low + (high - low + 1) * rng.random() ** 0.7)
        year = max(low, min(high, year))
        year_end = None
        if rng.random() < 0.2:
            year_end = min(high, year + rng.randint(0, 4))
        return year, year_end

    # Records ------------------------------------------------------------------------

    def practice(self, index: int) -> dict:
        rng = self.rng
        proto = rng.choice(self.corpus.practices)
        start_from = TOKEN.findall(proto.get("summary") or "")
        start_from = [w for w in start_from if w[:1].isalpha()]
        phases = self._perturb("phases", proto["phases"], add=0.1, swap=0.1, drop=0.05)
        guidelines = self._perturb("guidelines", proto["guidelines"], add=0.2, swap=0.25, drop=0.1)
        # A guideline brings its phase, as curators tag them.
        for number in guidelines:
            if rng.random() < 0.5 and self.guideline_phase[number] not in phases:
                phases.append(self.guideline_phase[number])
        year, year_end = self._year(proto)
        status = "approved"
        if rng.random() < UNPUBLISHED_SHARE:
            status = rng.choice(UNPUBLISHED_STATUSES)
        organizations = ""
        if self.corpus.organizations and rng.random() < 0.3:
            organizations = ", ".join(rng.sample(self.corpus.organizations, rng.randint(1, 2)))
        return {
            "key": f"{KEY_PREFIX}{index:07d}",
            "title": self._title(start_from),
            "summary": self._summary(start_from),
            "body": self._body(start_from),
            "phases": phases,
            "stakeholders": self._perturb(
                "stakeholders", proto["stakeholders"], add=0.25, swap=0.2, drop=0.15
            ),
            "crisis_types": self._perturb(
                "crisis_types", proto.get("crisis_types") or [], add=0.05, swap=0.1, drop=0.05
            ),
            "guidelines": guidelines,
            "principles": self._perturb(
                "principles",
                proto.get("principles") or [],
                add=0.15,
                swap=0.1,
                drop=0.1,
                minimum=0,
            ),
            "countries": self._countries(proto),
            "year": year,
            "year_end": year_end,
            "organizations": organizations,
            "status": status,
            # Seconds before "now" at which it was published: spread over ten years.
            "published_ago": rng.randint(0, 10 * 365 * 86400),
        }

    def practices(self, n: int):
        for index in range(n):
            yield self.practice(index)
