"""The score as a piecewise-linear function of the lever, solved exactly at caps and floors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.analysis.scorefn import Terms, share_line, solve_increasing
from screening.rules.schema import Criterion


def test_share_lines_follow_the_published_normalisations():
    ratio = Criterion(indicator="x", weight=30, method="ratio", baseline=24.1, cap=2.0, basis="b")
    assert share_line(ratio, {"baseline": 24.1}) == pytest.approx((0.0, 1 / 24.1, 0.0, 2.0))
    jingde = Criterion(indicator="x", weight=10, method="linear", best=600.0, worst=300.0, floor=0.2, basis="b")
    alpha, beta, lo, hi = share_line(jingde, {"best": 600.0, "worst": 300.0})
    assert alpha + beta * 300 == pytest.approx(0.2) and alpha + beta * 600 == pytest.approx(1.0)
    assert (lo, hi) == (0.2, 1.0)
    fsou = Criterion(indicator="x", weight=4, method="lower_ratio", baseline=2.0, basis="b")
    alpha, beta, lo, hi = share_line(fsou, {"baseline": 2.0})
    assert alpha + beta * 2.0 == pytest.approx(0.5)  # half at the mean (2 − x ÷ mean) ÷ 2
    assert share_line(Criterion(indicator="x", weight=4, method="percentile", basis="b"), {}) is None


terms_strategy = st.lists(
    st.tuples(
        st.floats(0.5, 40), st.floats(-3, 3), st.floats(0.01, 2), st.floats(0, 0.5), st.sampled_from([1.0, 1.5, np.inf])
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(terms_strategy, st.floats(-10, 150))
def test_the_solution_is_the_first_u_on_a_fine_grid(raw, need):
    """Against a brute-force scan of u: the solution reaches ``need``, and a point 1e-6 below it does not."""
    w = np.array([[t[0] for t in raw]])
    a = np.array([[t[1] for t in raw]])
    b = np.array([[t[2] for t in raw]])
    lo = np.array([t[3] for t in raw])
    hi = np.array([t[4] for t in raw])
    terms = Terms(w, a, b, lo, hi)
    u = solve_increasing(terms, np.array([need]))[0]
    grid = np.linspace(-50, 500, 200_001)
    values = terms.points(np.tile(grid, (1, 1)))[0]
    reach = values >= need - 1e-9
    if np.isinf(u) and u < 0:
        assert reach.all()
    elif np.isinf(u):
        assert not reach.any()
    else:
        assert terms.points(np.array([u]))[0] == pytest.approx(need, abs=1e-7)
        assert terms.points(np.array([u - 1e-6]))[0] < need
        if reach.any() and not reach.all():
            assert abs(grid[np.argmax(reach)] - u) <= (grid[1] - grid[0]) * 1.001
