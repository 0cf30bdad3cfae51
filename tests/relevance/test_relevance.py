"""Search relevance on this database: nDCG@10 and success@3 over the judgment list must not
fall below the recorded baseline (baseline.json, per database) by more than TOLERANCE.

The scores are printed at the end of the run. After an improvement, record the new scores
with ``RELEVANCE_RECORD=1`` (on each database) and note them in docs/search.md.
"""

import json
import os

import pytest
from django.db import connection

from tests.relevance import conftest
from tests.relevance.scoring import BASELINE, METRICS, evaluate, load_baseline

TOLERANCE = 0.005


@pytest.mark.django_db
def test_relevance_does_not_fall_below_the_baseline():
    report = evaluate()
    scores = report.summary()
    conftest.REPORTS.append(report.text(worst=5))
    baseline = load_baseline()
    if os.environ.get("RELEVANCE_RECORD"):
        baseline[connection.vendor] = scores
        BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    recorded = baseline.get(connection.vendor)
    assert recorded, f"No baseline for {connection.vendor}: run once with RELEVANCE_RECORD=1."
    drops = [
        f"{name} {metric}: {scores[name][metric]:.4f} < baseline {recorded[name][metric]:.4f}"
        for name in recorded
        if name in scores
        for metric in METRICS
        if scores[name][metric] < recorded[name][metric] - TOLERANCE
    ]
    assert not drops, "Relevance fell:\n" + "\n".join(drops) + "\n" + report.text(worst=10)
