"""Rank-order fill — how land is handed out without an optimiser — and the swaps that improve a fill.

Rank-order fill: pairs are taken best first; a firm goes to the first park on its list where its
land still fits (and, with a budget, its compensation); a firm that does not fit is passed over
and the next one is tried — what an official filling quotas by hand from a ranked list does.

The fill is sequential in spirit but runs on whole arrays: at each step every free firm's best
remaining pair is lined up in rank order and the longest run that fits (every park's land left,
the shared extra land if any, the budget) is accepted at once. The first pair of the line that
did not fit can never fit again (what is left is now less than it needs), so it drops out with
every other pair too large for what is left. Each step accepts a run and removes at least one pair.
"""

from __future__ import annotations

import numpy as np

from .problem import Problem

TOLERANCE = 1e-9
MAX_SWAP_ROUNDS = 200


def rank_order_fill(problem: Problem) -> np.ndarray:
    """The greedy allocation (bool per pair): forced-in firms first, then pairs by value, best first;
    ties by Excel order (firm position) and park order."""
    forced = problem.must[problem.firm]
    order = np.lexsort((problem.park, problem.firm, -problem.value, ~forced))
    return fill(problem, order)


def room_left(problem: Problem, chosen: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Land still free in each park, extra (shared) land still free, budget still free — for ``chosen``."""
    used = np.bincount(problem.park[chosen], weights=problem.pair_land[chosen], minlength=len(problem.quota))
    free = np.maximum(problem.quota - used, 0.0)
    pool = problem.pool - np.maximum(used - problem.quota, 0.0).sum()
    money = problem.compensation[problem.firm[chosen]].sum()
    budget = np.inf if problem.budget is None else problem.budget - money
    return free, pool, budget


def fill(problem: Problem, order: np.ndarray, chosen: np.ndarray | None = None) -> np.ndarray:
    """Walk the pairs in ``order`` and take each whose firm is still free and whose land (and
    compensation) still fits; ``chosen`` pairs are taken before the walk starts."""
    chosen = np.zeros(len(problem.firm), dtype=bool) if chosen is None else chosen.copy()
    placed = np.zeros(problem.size, dtype=bool)
    placed[problem.firm[chosen]] = True
    land, money = problem.pair_land, problem.compensation[problem.firm]
    alive = order[~placed[problem.firm[order]]]
    while len(alive):
        free, pool, budget = room_left(problem, chosen)
        alive = alive[(land[alive] <= _room(free[problem.park[alive]] + pool)) & (money[alive] <= _room(budget))]
        if not len(alive):
            break
        _, first = np.unique(problem.firm[alive], return_index=True)
        line = alive[np.sort(first)]  # each free firm's best remaining pair, in rank order
        fits = _fits_in_turn(problem, line, free, pool, budget)
        stop = len(line) if fits.all() else int(np.argmin(fits))
        chosen[line[:stop]] = True
        placed[problem.firm[line[:stop]]] = True
        alive = alive[~placed[problem.firm[alive]]]
        if stop < len(line):
            alive = alive[alive != line[stop]]
    return chosen


def _fits_in_turn(problem: Problem, line: np.ndarray, free: np.ndarray, pool: float, budget: float) -> np.ndarray:
    """For pairs taken one after another along ``line``: does each still fit after all before it?
    A park's own land is used first, then the shared extra land."""
    land = problem.pair_land[line]
    parks = problem.park[line]
    overflow = np.zeros(len(line))
    fits = np.ones(len(line), dtype=bool)
    for park in np.unique(parks):  # a loop over parks
        used = np.cumsum(np.where(parks == park, land, 0.0))
        overflow += np.maximum(used - free[park], 0.0)
    fits &= overflow <= _room(pool)
    if np.isfinite(budget):
        fits &= np.cumsum(problem.compensation[problem.firm[line]]) <= _room(budget)
    return fits


def improve_by_swaps(problem: Problem, chosen: np.ndarray) -> np.ndarray:
    """Local search: within each park, replace an allocated firm by a free one worth more that fits in
    the land it leaves (and the budget), best swap first, until no swap gains."""
    chosen = chosen.copy()
    land, value, money = problem.pair_land, problem.value, problem.compensation[problem.firm]
    for _ in range(MAX_SWAP_ROUNDS):  # rounds of improvement, each a whole-array search per park
        gained = False
        for park in range(len(problem.quota)):
            free, pool, budget = room_left(problem, chosen)
            placed = np.zeros(problem.size, dtype=bool)
            placed[problem.firm[chosen]] = True
            inside = np.flatnonzero(chosen & (problem.park == park) & ~problem.must[problem.firm])
            outside = np.flatnonzero(~chosen & (problem.park == park) & ~placed[problem.firm])
            if not len(inside) or not len(outside):
                continue
            gain = value[outside][None, :] - value[inside][:, None]
            fits = land[outside][None, :] <= _room(free[park] + pool + land[inside][:, None])
            fits &= money[outside][None, :] - money[inside][:, None] <= _room(budget)
            gain = np.where(fits & (gain > TOLERANCE * (1 + np.abs(value[inside][:, None]))), gain, -np.inf)
            best = np.unravel_index(np.argmax(gain), gain.shape)
            if np.isfinite(gain[best]):
                chosen[inside[best[0]]], chosen[outside[best[1]]] = False, True
                gained = True
        if not gained:
            break
    return chosen


def _room(left):
    """What is left, with a hair of tolerance so that a firm that exactly fills the quota fits."""
    return left + TOLERANCE * (1 + np.abs(left))
