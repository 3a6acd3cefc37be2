"""The exact allocation against published optima of the knapsack family and against exhaustive search.

Golden values are the optima published with each instance (sources in fixtures/README.md); the
exhaustive search (knapsack.brute_force) enumerates every assignment and shares no code with the solver.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from screening.district.greedy import rank_order_fill
from screening.district.solve import feasible, solve
from tests.district.knapsack import brute_force, combinations, problem, read_gap

# --- published optima -----------------------------------------------------------------------------

# Martello & Toth's KNAPSACK routines (J. Burkardt's port, knapsack_prb_output.txt), TEST01 MT1: 0/1 knapsack
MT1 = dict(value=[350, 400, 450, 20, 70, 8, 5, 5], land=[25, 35, 45, 5, 25, 3, 2, 2], quota=[104], optimum=900)
# TEST05 MTM: 0/1 multiple knapsack, two knapsacks
MTM = dict(
    value=[92, 57, 49, 68, 60, 43, 67, 84, 87, 72],
    land=[23, 31, 29, 44, 53, 38, 63, 85, 89, 82],
    quota=[70, 127],
    optimum=333,
)
# Google OR-Tools, ortools/algorithms/python/knapsack_solver_test.py: testSolveOneDimension, testSolveBigOneDimension
ORTOOLS_SMALL = dict(value=list(range(1, 10)), land=list(range(1, 10)), quota=[34], optimum=34)
ORTOOLS_BIG = dict(
    value=[360, 83, 59, 130, 431, 67, 230, 52, 93, 125, 670, 892, 600, 38, 48, 147, 78, 256, 63, 17, 120, 164, 432,
           35, 92, 110, 22, 42, 50, 323, 514, 28, 87, 73, 78, 15, 26, 78, 210, 36, 85, 189, 274, 43, 33, 10, 19, 389,
           276, 312],
    land=[7, 0, 30, 22, 80, 94, 11, 81, 70, 64, 59, 18, 0, 36, 3, 8, 15, 42, 9, 0, 42, 47, 52, 32, 26, 48, 55, 6, 29,
          84, 2, 4, 18, 56, 7, 29, 93, 44, 71, 3, 86, 66, 31, 65, 0, 79, 20, 65, 52, 13],
    quota=[850],
    optimum=7534,
)  # fmt: skip


@pytest.mark.parametrize("case", [MT1, MTM, ORTOOLS_SMALL, ORTOOLS_BIG], ids=["MT1", "MTM", "ortools-9", "ortools-50"])
def test_single_and_multiple_knapsack_reach_the_published_optimum(case):
    solution = solve(problem(case["value"], case["land"], case["quota"]))
    assert solution.status == "optimal"
    assert solution.objective == pytest.approx(case["optimum"])


def test_generalised_assignment_mtg_reaches_the_published_optimum():
    """TEST04 MTG of the same library: 7 items, each assigned to exactly one of two knapsacks; optimum 40."""
    weight = [[4, 1, 2, 1, 4, 3, 8], [9, 9, 8, 1, 3, 8, 7]]
    profit = [[6, 9, 4, 2, 10, 3, 6], [4, 8, 9, 1, 7, 5, 4]]
    solution = solve(problem(profit, weight, [11, 22], must=np.ones(7, dtype=bool)))
    assert solution.status == "optimal" and solution.objective == pytest.approx(40)


@pytest.mark.parametrize("index, optimum", list(enumerate([336, 327, 339, 341, 326])))
def test_or_library_gap1_instances_reach_their_published_optima(index, optimum):
    """OR-Library gap1 (c515-1 … c515-5), solved as maximisation with every job assigned (Beasley's gapinfo)."""
    profit, resource, capacity = read_gap("gap1.txt")[index]
    solution = solve(problem(profit, resource, capacity, must=np.ones(profit.shape[1], dtype=bool)))
    assert solution.status == "optimal" and solution.objective == pytest.approx(optimum)


def test_medium_gap_c10100_ten_agents_hundred_jobs_reaches_its_known_optimum():
    """Chu & Beasley's c10100 (OR-Library gapc, Yagiura's type C): minimum cost 1402 with every job assigned.
    Cost becomes value (M − cost) so that the allocation, which maximises, solves the same problem."""
    (cost, resource, capacity) = read_gap("c10100.txt")[0]
    ceiling = cost.max() + 1
    jobs = cost.shape[1]
    solution = solve(problem(ceiling - cost, resource, capacity, must=np.ones(jobs, dtype=bool)), time_limit=120)
    assert solution.status == "optimal"
    assert jobs * ceiling - solution.objective == pytest.approx(1402)


# --- exhaustive search on small random instances --------------------------------------------------


@st.composite
def small_problems(draw, pool: bool = False):
    size = draw(st.integers(1, 12))
    parks = draw(st.integers(2, 3))
    density = draw(st.sampled_from([0.3, 0.5, 0.8]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    eligible = rng.random((parks, size)) < density
    value = rng.integers(1, 100, (parks, size)).astype(float) if draw(st.booleans()) else rng.integers(1, 100, size)
    land = rng.integers(1, 40, size)
    compensation = rng.integers(0, 60, size).astype(float)
    budget = draw(st.one_of(st.none(), st.integers(0, 300).map(float)))
    must = (rng.random(size) < 0.15) & eligible.any(axis=0) if draw(st.booleans()) else None
    quota = rng.integers(5, 80, parks)
    extra = float(draw(st.integers(0, 60))) if pool else 0.0
    p = problem(value, land, quota, eligible=eligible, compensation=compensation, budget=budget, must=must, pool=extra)
    assume(combinations(p) <= 2**19)
    return p


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_solver_equals_exhaustive_search_and_beats_the_rank_order_fill(p):
    best = brute_force(p)
    solution = solve(p)
    if best == -np.inf:
        assert solution.status == "infeasible"
        return
    assert solution.status == "optimal"
    assert feasible(p, solution.chosen)
    assert solution.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    greedy = rank_order_fill(p)
    if feasible(p, greedy):  # (the greedy may fail to place every forced firm; the optimum never does)
        assert p.value[greedy].sum() <= solution.objective + 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(pool=True))
def test_shared_extra_land_is_solved_exactly_too(p):
    """The district-wide frontier's model: extra land any park may use, split where it is worth most."""
    best = brute_force(p)
    solution = solve(p)
    if best == -np.inf:
        assert solution.status == "infeasible"
    else:
        assert solution.objective == pytest.approx(best, rel=1e-9, abs=1e-9)


def test_the_exhaustive_check_can_fail():
    """A check that could not fail is not a check: on a case small enough to do by hand (MTM's items with
    capacities 23 and 31: item 1 alone fits the first, item 2 is the best that fits the second, 92 + 57)
    the search gives 149, and a solver answer off by one would be caught."""
    p = problem(MTM["value"], MTM["land"], [23, 31])
    assert brute_force(p) == 149
    assert solve(p).objective == pytest.approx(149)
    assert pytest.approx(brute_force(p), rel=1e-9, abs=1e-9) != 150
    assert brute_force(problem([5, 5], [6, 6], [10], must=[True, True])) == -np.inf


def test_forced_in_firms_that_cannot_fit_make_the_problem_infeasible():
    p = problem([10, 10], [6, 6], [10], must=[True, True])
    assert solve(p).status == "infeasible"


def test_a_time_limit_reports_the_gap_instead_of_claiming_optimality():
    rng = np.random.default_rng(3)
    size = 400
    p = problem(rng.uniform(40, 100, (5, size)), rng.lognormal(3, 0.8, size), np.full(5, 300.0))
    quick = solve(p, time_limit=0.05)
    assert quick.objective <= quick.bound + 1e-9
    assert quick.status in ("optimal", "gap")
    assert quick.status == "optimal" or quick.gap > 0
