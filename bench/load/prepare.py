"""Fixtures for the load test, read from the benchmark database (DATABASE_URL=…/micic_bench).

Writes one JSON file (argv[1]) with:
  - practices: a random sample of published practices (id, page path), fixed seed;
  - words: search words frequent in the *real* practices' titles and summaries (the
    synthetic text is trained on them, so they find results at any scale);
  - phases, stakeholders, crisis_types, guidelines: the taxonomy values to filter on;
  - token: an API token for the user "load-test" (created if missing), used to POST
    /api/v1/submissions/. It lives only in the benchmark database.

Refuses any database whose name does not start with micic_bench.
"""

import json
import random
import re
import sys
from collections import Counter

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from guidelines.models import Guideline, Phase  # noqa: E402
from repository.models import ApiToken, CrisisType, Practice, Stakeholder  # noqa: E402

SAMPLE = 2000
STOP = set(
    [
        "about",
        "after",
        "against",
        "among",
        "and",
        "are",
        "been",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "did",
        "does",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "his",
        "how",
        "into",
        "its",
        "itself",
        "more",
        "most",
        "other",
        "our",
        "out",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "your",
        "also",
        "well",
        "through",
        "within",
        "across",
        "based",
        "including",
        "new",
        "used",
        "make",
        "made",
        "support",
        "supports",
    ]
)


def main(out_path: str) -> None:
    name = settings.DATABASES["default"]["NAME"]
    if not str(name).startswith("micic_bench"):
        sys.exit(f"refusing database {name!r}: the load test only runs on micic_bench…")

    published = Practice.objects.published()
    ids = list(published.values_list("id", flat=True))
    rng = random.Random(20260124)
    chosen = sorted(rng.sample(ids, min(SAMPLE, len(ids))))
    practices = [
        {"id": p.id, "path": p.get_absolute_url()}
        for p in published.filter(id__in=chosen).only("id", "slug")
    ]

    real = published.exclude(content_key__startswith="synthetic-").values_list("title", "summary")
    counts = Counter()
    for title, summary in real:
        for word in re.findall(r"[a-z]{5,}", f"{title} {summary}".lower()):
            if word not in STOP:
                counts[word] += 1
    words = [w for w, _ in counts.most_common(60)]

    user, _ = get_user_model().objects.get_or_create(
        username="load-test", defaults={"email": "load-test@example.invalid"}
    )
    user.api_tokens.filter(name="load test").delete()
    _token, key = ApiToken.objects.issue(user=user, name="load test")

    data = {
        "practices": practices,
        "words": words,
        "phases": list(Phase.objects.values_list("slug", flat=True)),
        "stakeholders": list(Stakeholder.objects.values_list("slug", flat=True)),
        "crisis_types": list(CrisisType.objects.values_list("slug", flat=True)),
        "guidelines": list(Guideline.objects.values_list("number", flat=True)),
        "token": key,
    }
    with open(out_path, "w") as f:
        json.dump(data, f)
    print(
        f"{len(practices)} practices, {len(words)} words "
        f"({', '.join(words[:12])}, …), token for user {user.username!r}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
