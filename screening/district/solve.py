"""The exact allocation: a 0/1 program solved by ``scipy.optimize.milp`` (HiGHS), made small first.

maximise   Σ value[p] · x[p]                      over eligible pairs p = (firm, park), x[p] ∈ {0, 1}
subject to Σ_{p of firm i} x[p] ≤ 1  (= 1 if forced in)         each firm at most one park
           Σ_{p in park j} land[p] · x[p] ≤ quota[j]             land quota per park, 亩
           Σ_p compensation[p] · x[p] ≤ budget                   district budget, 万元 (if set)

HiGHS alone spends seconds in presolve on 10,000 firms, so the linear relaxation is solved first
(``scipy.optimize.linprog``, also HiGHS) and its duals y bound every solution:
value·x ≤ U − Σ_p penalty_p(x) − Σ_rows y_row · slack_row(x), with U = y·b + Σ max(r, 0) and r the
reduced costs. A pair whose flip would cost more than U − (a feasible solution's value) cannot be in
any better solution, so it is fixed (reduced-cost fixing — exact, not a heuristic); ``milp`` then
solves what is left. The result is the proven optimum when ``milp`` closes the gap, else the best
solution found and its gap against the better of the two bounds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .greedy import fill, improve_by_swaps, room_left
from .problem import Problem


@dataclass(frozen=True)
class Solution:
    chosen: np.ndarray  # bool per pair of the problem
    status: str  # "optimal", "gap" (a time limit stopped the proof) or "infeasible"
    objective: float
    bound: float  # no allocation is worth more than this
    gap: float  # (bound − objective) ÷ |objective|
    seconds: float
    core: int  # pairs left to milp after the relaxation fixed the rest

    def assigned(self, problem: Problem) -> np.ndarray:
        """Per firm, the park index it is allocated to, or -1."""
        park = np.full(problem.size, -1)
        park[problem.firm[self.chosen]] = problem.park[self.chosen]
        return park


@dataclass(frozen=True)
class Rows:
    """The constraint rows over a set of pairs (columns), then one column per park for shared land."""

    matrix: sp.csr_array
    low: np.ndarray
    high: np.ndarray
    firm_rows: np.ndarray  # the firms that have a row, in row order
    upper: np.ndarray  # upper bound per column


def solve(problem: Problem, time_limit: float = 10.0, gap: float = 1e-6, start: np.ndarray | None = None) -> Solution:
    """The best allocation; ``start`` (bool per pair) is a feasible allocation to beat, e.g. the greedy one."""
    began = time.perf_counter()
    rows = constraint_rows(problem, np.arange(len(problem.firm)), problem.quota, problem.budget, problem.must)
    relaxed = _relaxation(problem, rows)
    if relaxed is None:
        return _infeasible(problem, time.perf_counter() - began)
    x, duals = relaxed
    reduced = _objective(problem, rows) - rows.matrix.T @ duals
    upper = float(duals @ rows.high + (np.maximum(reduced, 0) * rows.upper).sum())
    pairs_reduced = reduced[: len(problem.firm)]
    best = _incumbent(problem, x[: len(problem.firm)], pairs_reduced, start)
    out, one = _fixed(problem, pairs_reduced, duals, rows, upper, best)
    seconds = max(time_limit - (time.perf_counter() - began), 0.05)
    found, core_bound = _solve_core(problem, ~out & ~one, one, seconds, gap)
    before = -np.inf if best is None else problem.value[best].sum()
    if found is not None and problem.value[one | found].sum() > before:
        best = one | found
    if best is None:
        return _infeasible(problem, time.perf_counter() - began)
    # milp's bound holds for allocations at least as good as the incumbent it started from
    bound = min(upper, max(before, problem.value[one].sum() + core_bound))
    objective = float(problem.value[best].sum())
    return _finish(best, objective, bound, gap, time.perf_counter() - began, int((~out & ~one).sum()))


def constraint_rows(
    problem: Problem, pairs: np.ndarray, quota: np.ndarray, budget: float | None, must: np.ndarray
) -> Rows:
    """Rows for the given pairs: one per firm with a choice to make (or forced in), one per park, the
    budget; with shared extra land, a column per park for the extra it takes and a row for their sum."""
    firm = problem.firm[pairs]
    m, parks = len(pairs), len(quota)
    columns = np.arange(m)
    needs_row = (np.bincount(firm, minlength=problem.size) > 1) | must
    row_of = np.cumsum(needs_row) - 1
    with_row = needs_row[firm]
    n_firms = int(needs_row.sum())
    entries = [
        (np.ones(int(with_row.sum())), row_of[firm[with_row]], columns[with_row]),
        (problem.pair_land[pairs], n_firms + problem.park[pairs], columns),
    ]
    high = [np.ones(n_firms), quota]
    low = [np.where(must[needs_row], 1.0, -np.inf), np.full(parks, -np.inf)]
    extra = parks if problem.pool > 0 else 0
    if extra:  # park row: land − extra taken ≤ quota;  pool row: Σ extra ≤ pool
        entries.append((-np.ones(parks), n_firms + np.arange(parks), m + np.arange(parks)))
        entries.append((np.ones(parks), np.full(parks, n_firms + parks), m + np.arange(parks)))
        high.append(np.array([problem.pool]))
        low.append(np.array([-np.inf]))
    if budget is not None:
        entries.append((problem.compensation[firm], np.full(m, len(np.concatenate(high))), columns))
        high.append(np.array([budget]))
        low.append(np.array([-np.inf]))
    data, where, cols = (np.concatenate(part) for part in zip(*entries, strict=True))
    high_all = np.concatenate(high)
    matrix = sp.csr_array((data, (where, cols)), shape=(len(high_all), m + extra))
    upper = np.r_[np.ones(m), np.full(extra, problem.pool)]
    return Rows(matrix, np.concatenate(low), high_all, np.flatnonzero(needs_row), upper)


def _objective(problem: Problem, rows: Rows) -> np.ndarray:
    return np.r_[problem.value, np.zeros(rows.matrix.shape[1] - len(problem.firm))]


def _relaxation(problem: Problem, rows: Rows) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation's solution and its duals (≥ 0 on ≤ rows, free on forced rows), or None if infeasible."""
    if len(problem.firm) == 0:
        return np.zeros(rows.matrix.shape[1]), np.zeros(rows.matrix.shape[0])
    equal = np.isfinite(rows.low)
    done = linprog(
        -_objective(problem, rows),
        A_ub=rows.matrix[~equal] if (~equal).any() else None,
        b_ub=rows.high[~equal] if (~equal).any() else None,
        A_eq=rows.matrix[equal] if equal.any() else None,
        b_eq=rows.high[equal] if equal.any() else None,
        bounds=np.column_stack([np.zeros(len(rows.upper)), rows.upper]),
        method="highs",
    )
    if done.status != 0:
        return None
    duals = np.zeros(rows.matrix.shape[0])
    if (~equal).any():
        duals[~equal] = np.maximum(-done.ineqlin.marginals, 0.0)
    if equal.any():
        duals[equal] = -done.eqlin.marginals
    return done.x, duals


def _incumbent(problem: Problem, x: np.ndarray, reduced: np.ndarray, start: np.ndarray | None) -> np.ndarray | None:
    """A good feasible allocation: the relaxation rounded down, topped up in order of reduced cost, then
    improved by swaps; or ``start`` if that is better."""
    order = np.lexsort((-problem.value, -reduced, ~problem.must[problem.firm]))
    rounded = improve_by_swaps(problem, fill(problem, order, x > 1 - 1e-6))
    rounded = fill(problem, order, rounded)
    candidates = [c for c in (rounded, start) if c is not None and feasible(problem, c)]
    return max(candidates, key=lambda c: problem.value[c].sum()) if candidates else None


def feasible(problem: Problem, chosen: np.ndarray) -> bool:
    """Whether ``chosen`` (bool per pair) keeps every rule: one park per firm, forced firms placed,
    land within the quotas (and the shared extra), compensation within the budget."""
    placed = np.bincount(problem.firm[chosen], minlength=problem.size)
    _, pool, budget = room_left(problem, chosen)
    tolerance = 1e-6 * (1 + problem.quota.sum() + problem.pool)
    within_budget = budget >= -1e-6 * (1 + abs(problem.budget or 0))
    return bool((placed <= 1).all() and placed[problem.must].all() and pool >= -tolerance and within_budget)


def _fixed(
    problem: Problem, reduced: np.ndarray, duals: np.ndarray, rows: Rows, upper: float, best: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs fixed at 0 (``out``) and at 1 (``one``) in every allocation at least as good as ``best``."""
    nothing = np.zeros(len(problem.firm), dtype=bool)
    if best is None:
        return nothing, nothing.copy()
    margin = upper - problem.value[best].sum() + 1e-9 * (1.0 + abs(upper))
    out = reduced < -margin
    one = reduced > margin
    firm_dual = np.zeros(problem.size)
    firm_dual[rows.firm_rows] = duals[: len(rows.firm_rows)]
    must_place = problem.must | (firm_dual > margin)  # leaving it out would cost more than the margin
    left = np.bincount(problem.firm[~out], minlength=problem.size)
    one |= ~out & must_place[problem.firm] & (left[problem.firm] == 1)
    fixed_firm = np.zeros(problem.size, dtype=bool)
    fixed_firm[problem.firm[one]] = True
    return out | (fixed_firm[problem.firm] & ~one), one


def _solve_core(
    problem: Problem, free: np.ndarray, one: np.ndarray, seconds: float, gap: float
) -> tuple[np.ndarray | None, float]:
    """milp on the pairs not fixed, with what the fixed pairs use taken off the quotas and the budget."""
    chosen = np.zeros(len(problem.firm), dtype=bool)
    if not free.any():
        return chosen, 0.0
    pairs = np.flatnonzero(free)
    used = np.bincount(problem.park[one], weights=problem.pair_land[one], minlength=len(problem.quota))
    budget = None if problem.budget is None else problem.budget - problem.compensation[problem.firm[one]].sum()
    must = problem.must.copy()
    must[problem.firm[one]] = False
    rows = constraint_rows(problem, pairs, problem.quota - used, budget, must)
    extra = rows.matrix.shape[1] - len(pairs)
    done = milp(
        -np.r_[problem.value[pairs], np.zeros(extra)],
        integrality=np.r_[np.ones(len(pairs)), np.zeros(extra)],
        bounds=Bounds(np.zeros(len(rows.upper)), rows.upper),
        constraints=LinearConstraint(rows.matrix, rows.low, rows.high),
        options={"time_limit": seconds, "mip_rel_gap": gap, "presolve": False},  # presolve: ours did it, faster
    )
    if done.x is None:  # no solution in time (or none at all): the relaxation's bound stands
        return None, np.inf
    chosen[pairs] = done.x[: len(pairs)] > 0.5
    bound = -done.mip_dual_bound if done.mip_dual_bound is not None else -done.fun
    return chosen, float(bound)


def _relative(bound: float, objective: float) -> float:
    return (bound - objective) / max(abs(objective), 1e-9) if bound - objective > 1e-9 else 0.0


def _finish(chosen: np.ndarray, objective: float, bound: float, gap: float, seconds: float, core: int) -> Solution:
    bound = max(bound, objective)
    relative = _relative(bound, objective)
    status = "optimal" if relative <= gap else "gap"
    return Solution(chosen, status, objective, bound, relative, seconds, core)


def _infeasible(problem: Problem, seconds: float) -> Solution:
    nothing = np.zeros(len(problem.firm), dtype=bool)
    return Solution(nothing, "infeasible", 0.0, 0.0, 0.0, seconds, len(problem.firm))
