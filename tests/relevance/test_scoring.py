"""tests/relevance/scoring.py: the measures themselves, on hand-computed examples."""

import math

import pytest

from tests.relevance.scoring import QueryScore, Report, dcg, ndcg, query_dict, success


def test_dcg_discounts_by_log_of_rank():
    assert dcg([2, 1, 0]) == pytest.approx(3 / 1 + 1 / math.log2(3))


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    grades = {"a": 2, "b": 1}
    assert ndcg(["a", "b", "x"], grades) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg(["b", "a"], grades) == pytest.approx(swapped)
    assert ndcg(["x", "y"], grades) == 0.0
    assert ndcg([], grades) == 0.0


def test_ndcg_counts_only_the_first_ten():
    grades = {"a": 2}
    assert ndcg([*"bcdefghijk", "a"], grades) == 0.0
    assert ndcg([*"bcdefghij", "a"], grades) == pytest.approx(1 / math.log2(11))


def test_success_needs_a_must_have_in_the_top_three():
    grades = {"a": 2, "b": 1}
    assert success(["x", "y", "a"], grades) == 1.0
    assert success(["b", "x", "y", "a"], grades) == 0.0


def test_query_dict_repeats_filter_values():
    data = query_dict(
        {"q": "evacuation", "filters": {"country": ["LB", "SY"], "phase": "emergency"}}
    )
    assert data["q"] == "evacuation"
    assert data.getlist("country") == ["LB", "SY"]
    assert data.getlist("phase") == ["emergency"]


def test_report_averages_overall_and_per_language():
    report = Report(
        [
            QueryScore({"q": "a", "lang": "en"}, [], 1.0, 1.0),
            QueryScore({"q": "b", "lang": "en"}, [], 0.5, 0.0),
            QueryScore({"q": "c", "lang": "fr"}, [], 0.0, 0.0),
        ]
    )
    assert report.scores() == {"ndcg@10": 0.5, "success@3": pytest.approx(0.3333), "queries": 3}
    assert report.scores("en") == {"ndcg@10": 0.75, "success@3": 0.5, "queries": 2}
    assert report.summary()["fr"] == {"ndcg@10": 0.0, "success@3": 0.0, "queries": 1}
    assert "nDCG@10 0.5000" in report.text()
