"""Test helpers: knapsack-family instances as allocation problems, and an exhaustive solver to check against.

Nothing here calls the library's solver: the brute force enumerates every assignment with numpy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from screening.district.problem import Problem

FIXTURES = Path(__file__).with_name("fixtures")


def problem(
    value,
    land,
    quota,
    *,
    eligible=None,
    compensation=None,
    budget=None,
    must=None,
    pool=0.0,
) -> Problem:
    """An allocation problem from matrices: ``value`` and ``land`` are parks × firms (or one row shared by
    every park); ``eligible`` (parks × firms, bool) says which pairs exist (default: all)."""
    quota = np.asarray(quota, dtype=float)
    parks = len(quota)
    value = np.broadcast_to(np.asarray(value, dtype=float), (parks, np.shape(value)[-1]))
    land = np.broadcast_to(np.asarray(land, dtype=float), value.shape)
    size = value.shape[1]
    eligible = np.ones(value.shape, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    park, firm = np.nonzero(eligible)
    order = np.lexsort((park, firm))
    park, firm = park[order], firm[order]
    return Problem(
        size=size,
        parks=tuple(f"p{j}" for j in range(parks)),
        firm=firm,
        park=park,
        value=value[park, firm],
        pair_land=land[park, firm],
        land=land.max(axis=0),
        compensation=np.zeros(size) if compensation is None else np.asarray(compensation, dtype=float),
        quota=quota,
        budget=budget,
        must=np.zeros(size, dtype=bool) if must is None else np.asarray(must, dtype=bool),
        pool=pool,
    )


def read_gap(name: str) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """OR-Library GAP file -> [(profit or cost m×n, resource m×n, capacity m)]; a file with one instance
    may leave out the leading count."""
    numbers = [int(x) for x in (FIXTURES / name).read_text().split()]
    m, n = numbers[0], numbers[1]
    count, at = (1, 0) if len(numbers) == 2 + 2 * m * n + m else (numbers[0], 1)
    instances = []
    for _ in range(count):
        m, n = numbers[at], numbers[at + 1]
        at += 2
        first = np.array(numbers[at : at + m * n]).reshape(m, n)
        second = np.array(numbers[at + m * n : at + 2 * m * n]).reshape(m, n)
        capacity = np.array(numbers[at + 2 * m * n : at + 2 * m * n + m])
        at += 2 * m * n + m
        instances.append((first, second, capacity))
    return instances


def brute_force(p: Problem) -> float:
    """The best objective over every assignment (each firm: nowhere or one of its pairs), or -inf."""
    if len(p.firm) == 0:
        return -np.inf if p.must.any() else 0.0
    options = [np.r_[-1, np.flatnonzero(p.firm == i)] for i in range(p.size)]
    grids = np.meshgrid(*[np.arange(len(o)) for o in options], indexing="ij")
    picks = np.stack([o[g.ravel()] for o, g in zip(options, grids, strict=True)], axis=1)  # combos × firms
    chosen = picks >= 0
    pair = np.where(chosen, picks, 0)
    value = np.where(chosen, p.value[pair], 0.0).sum(axis=1)
    ok = (chosen | ~p.must).all(axis=1)
    over = np.zeros(len(picks))
    for j in range(len(p.quota)):
        used = np.where(chosen & (p.park[pair] == j), p.pair_land[pair], 0.0).sum(axis=1)
        over += np.maximum(used - p.quota[j], 0.0)
    ok &= over <= p.pool + 1e-9
    if p.budget is not None:
        ok &= np.where(chosen, p.compensation[np.arange(p.size)], 0.0).sum(axis=1) <= p.budget + 1e-9
    return float(value[ok].max()) if ok.any() else -np.inf


def combinations(p: Problem) -> int:
    return int(np.prod([1 + np.count_nonzero(p.firm == i) for i in range(p.size)], dtype=np.float64))
