"""Uniform weights from the working group's set: exact where it can be, hit-and-run elsewhere."""

import numpy as np
import pytest

from screening.analysis.sampling import hit_and_run, sample_set, sample_weights
from screening.analysis.weights import SetConstraints
from screening.issues.record import ScreeningError


def box(lo, hi, pairs=(), total=100.0) -> SetConstraints:
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    return SetConstraints("all", [f"c{i}" for i in range(len(lo))], (lo + hi) / 2, lo, hi, total, list(pairs))


def test_no_information_is_the_flat_simplex():
    """Uniform on {w >= 0, Σw = 100} with four criteria: each weight has mean 25 and the marginal
    Beta(1, 3) × 100, whose median is 100 × (1 − 0.5^(1/3)) = 20.63."""
    con = box([0] * 4, [100] * 4)
    w = sample_set(con, 40_000, np.random.default_rng(1))
    assert np.allclose(w.sum(axis=1), 100)
    assert w.mean(axis=0) == pytest.approx([25] * 4, abs=0.4)
    assert np.median(w[:, 0]) == pytest.approx(100 * (1 - 0.5 ** (1 / 3)), abs=0.5)


def test_hit_and_run_matches_exact_rejection_on_the_same_polytope():
    """Ranges and an order on five criteria: hit-and-run and rejection from the flat simplex (exactly
    uniform) must give the same marginals (means and deciles within Monte Carlo noise)."""
    con = box([5, 5, 0, 0, 10], [60, 50, 40, 40, 50], pairs=[(0, 1), (1, 2)])
    rng = np.random.default_rng(2)
    exact = []
    while sum(len(e) for e in exact) < 20_000:
        draw = rng.dirichlet(np.ones(5), size=50_000) * 100
        ok = ((draw >= con.lo) & (draw <= con.hi)).all(1) & (draw[:, 0] >= draw[:, 1]) & (draw[:, 1] >= draw[:, 2])
        exact.append(draw[ok])
    exact = np.vstack(exact)[:20_000]
    walked = hit_and_run(con, np.zeros(5, bool), 20_000, np.random.default_rng(3))
    assert walked.mean(axis=0) == pytest.approx(exact.mean(axis=0), abs=0.6)
    deciles = np.linspace(10, 90, 9)
    assert np.percentile(walked, deciles, axis=0) == pytest.approx(np.percentile(exact, deciles, axis=0), abs=1.2)
    assert (walked >= con.lo - 1e-9).all() and (walked <= con.hi + 1e-9).all()
    assert (walked[:, 0] >= walked[:, 1] - 1e-9).all() and np.allclose(walked.sum(axis=1), 100)


def test_a_tight_spread_uses_hit_and_run_and_stays_inside():
    con = box([27, 13.5, 18, 13.5, 9, 9], [33, 16.5, 22, 16.5, 11, 11])  # ±10 % around 30/15/20/15/10/10
    w = sample_set(con, 5_000, np.random.default_rng(4))
    assert w.shape == (5_000, 6)
    assert (w >= con.lo - 1e-9).all() and (w <= con.hi + 1e-9).all()
    assert w.mean(axis=0) == pytest.approx([30, 15, 20, 15, 10, 10], abs=0.2)


def test_fixed_weights_and_seeds():
    con = box([20, 0, 0], [20, 100, 100])  # the first weight is fixed at 20
    a = sample_set(con, 1_000, np.random.default_rng(5))
    assert np.allclose(a[:, 0], 20) and np.allclose(a.sum(axis=1), 100)
    assert np.array_equal(sample_weights([con], 100, seed=9), sample_weights([con], 100, seed=9))
    assert not np.array_equal(sample_weights([con], 100, seed=9), sample_weights([con], 100, seed=10))


def test_contradictory_information_is_an_issue():
    with pytest.raises(ScreeningError) as bad:
        sample_set(box([60, 60], [70, 70]), 10, np.random.default_rng(0))  # at least 120 of 100 points
    assert bad.value.issues[0].code == "weights-infeasible"
    with pytest.raises(ScreeningError):
        sample_set(box([10, 40, 0], [30, 60, 100], pairs=[(0, 1)]), 10, np.random.default_rng(0))  # w0 >= w1 impossible
