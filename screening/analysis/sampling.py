"""Weights drawn uniformly from the set the working group allows: exact where possible, else hit-and-run.

- No constraint beyond "non-negative, adding up to the total": a flat Dirichlet is exactly uniform
  on that simplex.
- Ranges and rank orders cut a convex polytope out of the simplex. Rejection from the flat
  Dirichlet is still exactly uniform, and is used while it accepts often enough.
- Otherwise hit-and-run (Smith 1984): from a point well inside (the Chebyshev centre, a small
  linear program), pick a random direction in the plane Σw = total, find where the line leaves
  the polytope, jump to a uniform point on that chord. Many chains run side by side (vectorised),
  after a burn-in, keeping every few steps. Its limit distribution is uniform on the polytope.

Everything is seeded: the same seed gives the same samples.
"""

from __future__ import annotations

import numpy as np

from ..issues.record import ScreeningError, make_issue
from .weights import SetConstraints

MIN_ACCEPTANCE = 0.05
CHAINS = 256
TOLERANCE = 1e-9


def sample_set(con: SetConstraints, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` weight vectors (count × criteria), uniform on the feasible set of one scoring set."""
    size = len(con.keys)
    fixed = con.hi - con.lo <= TOLERANCE
    free_total = con.total - con.lo[fixed].sum()
    if size == 0:
        return np.zeros((count, 0))
    if not _bounds_feasible(con, fixed, free_total):
        raise ScreeningError([make_issue("weights-infeasible", value=con.set_id, total=f"{con.total:g}")])
    unconstrained = (con.lo[~fixed] <= 0).all() and (con.hi[~fixed] >= free_total).all() and not con.pairs
    draws = _dirichlet(con, fixed, free_total, count, rng)
    if unconstrained:
        return draws
    accepted = draws[_feasible(con, draws)]
    if len(accepted) >= MIN_ACCEPTANCE * count:
        while len(accepted) < count:
            more = _dirichlet(con, fixed, free_total, 2 * count, rng)
            accepted = np.vstack([accepted, more[_feasible(con, more)]])
        return accepted[:count]
    return hit_and_run(con, fixed, count, rng)


def _bounds_feasible(con: SetConstraints, fixed: np.ndarray, free_total: float) -> bool:
    return con.lo.sum() <= con.total + TOLERANCE and con.hi.sum() >= con.total - TOLERANCE and free_total >= -TOLERANCE


def _dirichlet(con, fixed, free_total, count, rng) -> np.ndarray:
    out = np.tile(np.where(fixed, con.lo, 0.0), (count, 1))
    free = np.flatnonzero(~fixed)
    if len(free):
        out[:, free] = rng.dirichlet(np.ones(len(free)), size=count) * free_total
    return out


def _feasible(con: SetConstraints, w: np.ndarray) -> np.ndarray:
    ok = ((w >= con.lo - TOLERANCE) & (w <= con.hi + TOLERANCE)).all(axis=1)
    for a, b in con.pairs:
        ok &= w[:, a] >= w[:, b] - TOLERANCE
    return ok


def _inequalities(con: SetConstraints) -> tuple[np.ndarray, np.ndarray]:
    """G w <= h: the bounds and the rank orders."""
    size = len(con.keys)
    eye = np.eye(size)
    rows = [-eye, eye]
    bounds = [-con.lo, con.hi]
    for a, b in con.pairs:
        row = np.zeros((1, size))
        row[0, a], row[0, b] = -1.0, 1.0
        rows.append(row)
        bounds.append(np.zeros(1))
    return np.vstack(rows), np.concatenate(bounds)


def _plane(con: SetConstraints, fixed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(E, e, N): the equalities E w = e (sum, fixed weights) and an orthonormal basis N of their null space."""
    size = len(con.keys)
    rows = [np.ones((1, size))] + [np.eye(size)[[i]] for i in np.flatnonzero(fixed)]
    equal = np.vstack(rows)
    values = np.r_[con.total, con.lo[fixed]]
    _, singular, vt = np.linalg.svd(equal)
    rank = int((singular > 1e-10).sum())
    return equal, values, vt[rank:].T


def chebyshev_centre(con: SetConstraints, fixed: np.ndarray) -> np.ndarray:
    """The point deepest inside the feasible set (a linear program); an issue when the set is empty."""
    from scipy.optimize import linprog  # the only use of scipy here; imported when weights are constrained

    g, h = _inequalities(con)
    equal, values, basis = _plane(con, fixed)
    norms = np.linalg.norm(g @ basis, axis=1)
    size = len(con.keys)
    done = linprog(
        c=np.r_[np.zeros(size), -1.0],
        A_ub=np.hstack([g, norms[:, None]]),
        b_ub=h,
        A_eq=np.hstack([equal, np.zeros((len(equal), 1))]),
        b_eq=values,
        bounds=[(None, None)] * size + [(0, None)],
        method="highs",
    )
    if done.status != 0:
        raise ScreeningError([make_issue("weights-infeasible", value=con.set_id, total=f"{con.total:g}")])
    return done.x[:size]


def hit_and_run(con: SetConstraints, fixed: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform samples from the polytope by hit-and-run, ``CHAINS`` chains side by side."""
    g, h = _inequalities(con)
    _, _, basis = _plane(con, fixed)
    dims = basis.shape[1]
    centre = chebyshev_centre(con, fixed)
    if dims == 0:
        return np.tile(centre, (count, 1))
    chains = min(CHAINS, count)
    x = np.tile(centre, (chains, 1))
    burn, thin = 60 * dims, 3 * dims
    kept = []
    steps = burn + thin * int(np.ceil(count / chains))
    along = g @ basis  # how each inequality changes along each basis direction
    for step in range(steps):
        direction = rng.normal(size=(chains, dims))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        rate = direction @ along.T
        slack = np.maximum(h - x @ g.T, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            limit = slack / rate
        high = np.where(rate > TOLERANCE, limit, np.inf).min(axis=1)
        low = np.where(rate < -TOLERANCE, limit, -np.inf).max(axis=1)
        t = low + rng.random(chains) * (high - low)
        x = x + t[:, None] * (direction @ basis.T)
        if step >= burn and (step - burn) % thin == 0:
            kept.append(x.copy())
    return np.vstack(kept)[:count]


def sample_weights(sets: list[SetConstraints], count: int, seed: int) -> np.ndarray:
    """Samples × all criteria of all scoring sets (sets drawn independently, side by side)."""
    rng = np.random.default_rng(seed)
    return np.hstack([sample_set(con, count, rng) for con in sets]) if sets else np.zeros((count, 0))
