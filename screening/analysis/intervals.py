"""Per-firm intervals of lever values: where a target holds, their intersection, the nearest point.

Every constraint a target sets (a gate, a score, a place in the land quota) is monotone in the
lever, so it holds on an interval ``[lo, hi]``; an empty interval has ``lo > hi``. The answer
for a firm is the point of the intersection nearest to its current value.

Constraints are solved in ``u``, the variable in which the indicator is linear: ``u = x`` for an
affine form, ``u = 1/x`` for a reciprocal one (x > 0); :func:`to_lever` maps back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .forms import RECIP


@dataclass(frozen=True)
class Interval:
    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, size: int) -> Interval:
        return cls(np.full(size, -np.inf), np.full(size, np.inf))

    @classmethod
    def empty(cls, size: int) -> Interval:
        return cls(np.full(size, np.inf), np.full(size, -np.inf))

    @property
    def is_empty(self) -> np.ndarray:
        return ~(self.lo <= self.hi)

    def __and__(self, other: Interval) -> Interval:
        return Interval(np.fmax(self.lo, other.lo), np.fmin(self.hi, other.hi))

    def where(self, mask: np.ndarray, other: Interval) -> Interval:
        """This interval where ``mask`` holds, ``other`` elsewhere."""
        return Interval(np.where(mask, self.lo, other.lo), np.where(mask, self.hi, other.hi))

    def union_if_touching(self, other: Interval, current: np.ndarray) -> Interval:
        """The union when the two overlap; otherwise the one nearer to ``current`` (an ``any`` gate)."""
        overlap = ~(self & other).is_empty
        joined = Interval(np.fmin(self.lo, other.lo), np.fmax(self.hi, other.hi))
        near_self = _distance(self, current) <= _distance(other, current)
        pick = Interval(np.where(near_self, self.lo, other.lo), np.where(near_self, self.hi, other.hi))
        out = joined.where(overlap, pick)
        out = out.where(~self.is_empty, other)
        return out.where(~other.is_empty, self)

    def nearest(self, current: np.ndarray, floor: float) -> np.ndarray:
        """The feasible value nearest to ``current`` (NaN where empty). A firm with no current value
        gets the bound that says something: the lowest value needed, or else the highest allowed."""
        with np.errstate(invalid="ignore"):
            near = np.clip(current, self.lo, self.hi)
        fallback = np.where(self.lo > floor, self.lo, np.where(np.isfinite(self.hi), self.hi, np.fmax(self.lo, floor)))
        near = np.where(np.isnan(current), fallback, near)
        return np.where(self.is_empty, np.nan, near)


def _distance(interval: Interval, x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        d = np.fmax(interval.lo - x, 0) + np.fmax(x - interval.hi, 0)
    return np.where(interval.is_empty, np.inf, np.nan_to_num(d, nan=0.0))


def at_least(p: np.ndarray, q: np.ndarray, bound: np.ndarray) -> Interval:
    """Where ``p + q·u >= bound``, as an interval of u (full or empty where q is 0; empty where unknown)."""
    size = np.broadcast(p, q, bound).shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        root = (bound - p) / q
    lo = np.where(q > 0, root, -np.inf)
    hi = np.where(q < 0, root, np.inf)
    flat_ok = (q == 0) & (p >= bound)
    flat_bad = ((q == 0) & ~(p >= bound)) | np.isnan(p) | np.isnan(q) | np.isnan(np.broadcast_to(bound, (size,)))
    lo = np.where(flat_ok, -np.inf, np.where(flat_bad, np.inf, lo))
    hi = np.where(flat_ok, np.inf, np.where(flat_bad, -np.inf, hi))
    return Interval(lo, hi)


def to_lever(u: Interval, kind: str, floor: float) -> Interval:
    """An interval of u back to lever values x (u = 1/x for a reciprocal form), inside x >= floor."""
    if kind != RECIP:
        return u & Interval(np.full(u.lo.shape, floor), np.full(u.lo.shape, np.inf))
    with np.errstate(divide="ignore"):
        lo_u = np.fmax(u.lo, 0.0)
        x_lo = np.where(np.isinf(u.hi), 0.0, 1.0 / u.hi)
        x_hi = np.where(lo_u <= 0, np.inf, 1.0 / lo_u)
    x = Interval(np.fmax(x_lo, floor), x_hi)
    return x.where(~u.is_empty & (u.hi > 0), Interval.empty(len(u.lo)))
