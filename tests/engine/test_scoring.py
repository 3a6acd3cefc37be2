"""Each normalisation against hand-computed values (formulas from the published methods)."""

import numpy as np
import pytest

from screening.engine.scoring import score_criterion
from screening.rules.schema import Criterion

ALL = np.ones(4, dtype=bool)


def crit(**kw) -> Criterion:
    return Criterion.model_validate({"indicator": "x", "weight": 30, "basis": "district-choice", **kw})


def test_ratio_to_baseline_with_cap():
    """Huangyan (黄政发〔2018〕12号): points = value ÷ baseline × weight. 12/24 × 30 = 15;
    a cap of 1.5 stops 60/24 × 30 = 75 at 45; negatives score 0."""
    out = score_criterion(np.array([12.0, 24.0, 60.0, -3.0]), ALL, crit(method="ratio", baseline=24, cap=1.5), "higher")
    np.testing.assert_allclose(out.points, [15.0, 30.0, 45.0, 0.0])


def test_ratio_without_cap_is_unbounded():
    out = score_criterion(np.array([48.0]), np.ones(1, bool), crit(method="ratio", baseline=24), "higher")
    assert out.points[0] == pytest.approx(60.0)


def test_ratio_to_twice_the_batch_mean():
    """Huai'an 2024: baseline = 2 × average, so an average firm gets half the weight."""
    x = np.array([10.0, 20.0, 30.0, 40.0])  # mean 25, baseline 50
    out = score_criterion(x, ALL, crit(method="ratio", baseline={"stat": "mean", "times": 2}, cap=1), "higher")
    np.testing.assert_allclose(out.points, [6.0, 12.0, 18.0, 24.0])
    assert out.references["baseline"] == pytest.approx(50.0)


def test_linear_min_max_onto_20_to_100_percent():
    """Jingde: score = weight × [20 + 80 × (x − min) ÷ (max − min)] ÷ 100.
    x = 10, 20, 30, 50 → min 10, max 50 → 20 %, 40 %, 60 %, 100 % of 30 = 6, 12, 18, 30."""
    x = np.array([10.0, 20.0, 30.0, 50.0])
    c = crit(method="linear", best={"stat": "max"}, worst={"stat": "min"}, floor=0.2)
    np.testing.assert_allclose(score_criterion(x, ALL, c, "higher").points, [6.0, 12.0, 18.0, 30.0])


def test_linear_lower_is_better_with_fixed_ends():
    # best 0.1, worst 0.5: 0.1 → 100 %, 0.3 → 50 %, 0.5 and beyond → 0 %
    x = np.array([0.05, 0.1, 0.3, 0.9])
    c = crit(method="linear", best=0.1, worst=0.5)
    np.testing.assert_allclose(score_criterion(x, ALL, c, "lower").points, [30.0, 30.0, 15.0, 0.0])


def test_lower_ratio_zero_at_twice_the_baseline():
    """fsou method: score = (2 − x ÷ mean) × weight ÷ 2, 0 when x ≥ 2 × mean.
    baseline 10, weight 30: x = 0 → 30, 10 → 15, 15 → 7.5, 25 → 0."""
    x = np.array([0.0, 10.0, 15.0, 25.0])
    np.testing.assert_allclose(
        score_criterion(x, ALL, crit(method="lower_ratio", baseline=10), "lower").points, [30.0, 15.0, 7.5, 0.0]
    )


def test_percentile_within_the_batch():
    # ranks 1..4 of 4 → 25 %, 50 %, 75 %, 100 %; lower-is-better reverses them
    x = np.array([3.0, 1.0, 4.0, 2.0])
    np.testing.assert_allclose(
        score_criterion(x, ALL, crit(method="percentile"), "higher").points, [22.5, 7.5, 30.0, 15.0]
    )
    np.testing.assert_allclose(
        score_criterion(x, ALL, crit(method="percentile"), "lower").points, [15.0, 30.0, 7.5, 22.5]
    )


def test_missing_data_policies():
    x = np.array([12.0, 24.0, np.nan, 36.0])
    zero = score_criterion(x, ALL, crit(method="ratio", baseline=24, missing="zero"), "higher")
    assert zero.points[2] == 0 and zero.missing.tolist() == [False, False, True, False]
    mean = score_criterion(x, ALL, crit(method="ratio", baseline=24, missing="mean"), "higher")
    assert mean.points[2] == pytest.approx((15 + 30 + 45) / 3)  # Huangyan: average score of those with data
    unscored = score_criterion(x, ALL, crit(method="ratio", baseline=24, missing="not_scored"), "higher")
    assert np.isnan(unscored.points[2])


def test_only_members_of_the_scoring_set_get_points_and_feed_statistics():
    x = np.array([10.0, 1000.0, 30.0, 50.0])
    members = np.array([True, False, True, True])
    out = score_criterion(x, members, crit(method="ratio", baseline={"stat": "max"}), "higher")
    assert np.isnan(out.points[1])
    np.testing.assert_allclose(out.points[[0, 2, 3]], [6.0, 18.0, 30.0])
