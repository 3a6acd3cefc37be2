"""The rank-order fill: the whole-array version takes exactly the pairs a plain one-by-one walk takes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.district.greedy import fill, improve_by_swaps, rank_order_fill
from screening.district.solve import feasible
from tests.district.knapsack import problem


def walk(p, order) -> np.ndarray:
    """The fill as an official does it by hand: one pair at a time, in order (the reference)."""
    chosen = np.zeros(len(p.firm), dtype=bool)
    placed = set()
    used = np.zeros(len(p.quota))
    spent = 0.0
    for k in order:
        firm, park, land = p.firm[k], p.park[k], p.pair_land[k]
        money = p.compensation[firm]
        over = np.maximum(used - p.quota, 0).sum() - max(used[park] - p.quota[park], 0)
        over += max(used[park] + land - p.quota[park], 0)
        fits = over <= p.pool + 1e-9 and (p.budget is None or spent + money <= p.budget + 1e-9)
        if firm not in placed and fits:
            chosen[k] = True
            placed.add(firm)
            used[park] += land
            spent += money
    return chosen


@st.composite
def instances(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size, parks = draw(st.integers(1, 60)), draw(st.integers(1, 5))
    eligible = rng.random((parks, size)) < draw(st.sampled_from([0.2, 0.5, 0.9]))
    budget = draw(st.one_of(st.none(), st.floats(0, 2000)))
    return problem(
        rng.integers(1, 100, (parks, size)),
        rng.integers(1, 50, size) if draw(st.booleans()) else rng.integers(1, 50, (parks, size)),
        rng.integers(0, 300, parks),
        eligible=eligible,
        compensation=rng.integers(0, 200, size),
        budget=budget,
        pool=float(draw(st.sampled_from([0, 0, 25, 100]))),
    )


@settings(max_examples=200, deadline=None)
@given(instances(), st.integers(0, 2**32 - 1))
def test_whole_array_fill_takes_exactly_what_the_one_by_one_walk_takes(p, seed):
    order = np.random.default_rng(seed).permutation(len(p.firm))
    assert (fill(p, order) == walk(p, order)).all()


@settings(max_examples=100, deadline=None)
@given(instances())
def test_rank_order_fill_is_feasible_and_swaps_never_lose(p):
    greedy = rank_order_fill(p)
    assert feasible(p, greedy)
    better = improve_by_swaps(p, greedy)
    assert feasible(p, better)
    assert p.value[better].sum() >= p.value[greedy].sum()


def test_rank_order_passes_over_a_firm_too_large_for_what_is_left():
    """Quota 10: the best firm (8 亩) goes in, the next (5 亩) does not fit, the third (2 亩) still does."""
    p = problem([9, 8, 7], [8, 5, 2], [10])
    assert rank_order_fill(p).tolist() == [True, False, True]


def test_the_walk_can_disagree():
    """A check that could not fail is not a check: a different order gives a different fill."""
    p = problem([9, 8, 7], [8, 5, 2], [10])
    assert (walk(p, np.array([1, 0, 2])) != fill(p, np.array([0, 1, 2]))).any()
