"""A firm's score as a function of one lever, in closed form, and the lever value that reaches a score.

Each scored criterion the lever moves gives ``weight × share``, and every normalisation with a
fixed reference is a clipped straight line in the indicator:

- ratio        share = clip(F ÷ baseline, 0, cap)
- lower_ratio  share = clip(1 − F ÷ (2 × baseline), 0, 1)
- linear       share = clip(floor + (1 − floor)(F − worst) ÷ (best − worst), floor, 1)

With F = p + q·u (u = x, or u = 1/x for a reciprocal form) each term is ``w · clip(a + b·u, lo, hi)``
and the score is piecewise linear in u, its pieces joined where a term reaches its cap or floor.
:func:`solve_increasing` finds where it first reaches a level: sort the breakpoints, evaluate the
score there, interpolate inside the piece that crosses — no search, exact up to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..rules.schema import Criterion, Stat
from .forms import Form


@dataclass(frozen=True)
class Terms:
    """The criteria one lever moves, for every firm: points = Σ w · clip(a + b·u, lo, hi)."""

    w: np.ndarray  # (n, K) weight; 0 where the firm is outside the criterion's set or the term cannot move
    a: np.ndarray  # (n, K)
    b: np.ndarray  # (n, K)
    lo: np.ndarray  # (K,)
    hi: np.ndarray  # (K,) inf for an uncapped ratio

    def points(self, u: np.ndarray) -> np.ndarray:
        """Total points of the moving terms at ``u`` (n,) or (n, m) -> same shape."""
        u = np.asarray(u, dtype=float)
        extra = u[..., None] if u.ndim == 2 else u[:, None]
        a = self.a[:, None, :] if u.ndim == 2 else self.a
        b = self.b[:, None, :] if u.ndim == 2 else self.b
        w = self.w[:, None, :] if u.ndim == 2 else self.w
        with np.errstate(invalid="ignore", over="ignore"):
            share = np.clip(a + b * extra, self.lo, self.hi)
        return np.where(w > 0, w * share, 0.0).sum(axis=-1)

    def direction(self) -> np.ndarray:
        """+1 where the score rises with u, -1 where it falls, 0 where flat, NaN where terms disagree."""
        live = self.w > 0
        up = (live & (self.b > 0)).any(axis=1)
        down = (live & (self.b < 0)).any(axis=1)
        return np.where(up & down, np.nan, np.where(up, 1.0, np.where(down, -1.0, 0.0)))

    def flipped(self) -> Terms:
        """The same terms in -u (so that a falling score becomes a rising one)."""
        return Terms(self.w, self.a, -self.b, self.lo, self.hi)


def share_line(crit: Criterion, refs: dict[str, float]) -> tuple[float, float, float, float] | None:
    """(alpha, beta, lo, hi) with share = clip(alpha + beta·F, lo, hi); None if the share cannot move."""
    if crit.method == "ratio":
        return 0.0, 1.0 / refs["baseline"], 0.0, crit.cap if crit.cap is not None else np.inf
    if crit.method == "lower_ratio":
        return 1.0, -1.0 / (2.0 * refs["baseline"]), 0.0, 1.0
    if crit.method == "linear":
        span = refs["best"] - refs["worst"]
        if span == 0 or np.isnan(span) or crit.floor >= 1:
            return None
        beta = (1.0 - crit.floor) / span
        return crit.floor - beta * refs["worst"], beta, crit.floor, 1.0
    return None  # percentile: a rank, not a line


def is_fixed(crit: Criterion) -> bool:
    """True when a firm's points depend on its own value only: the references are numbers (a batch
    statistic moves with the firm), it is not a rank, and missing values are not filled with the
    batch's mean points."""
    references = (getattr(crit, name) for name in ("baseline", "best", "worst"))
    return crit.method != "percentile" and crit.missing != "mean" and not any(isinstance(r, Stat) for r in references)


def build_terms(items: list[tuple[Criterion, dict, Form, np.ndarray]], size: int) -> Terms:
    """Terms from (criterion, references used, the indicator's form in the lever, member mask)."""
    w, a, b, lo, hi = [], [], [], [], []
    for crit, refs, form, members in items:
        line = share_line(crit, refs)
        if line is None:
            continue
        alpha, beta, low, high = line
        coeff_a, coeff_b = alpha + beta * form.p, beta * form.q
        live = members & np.isfinite(coeff_a) & np.isfinite(coeff_b)
        w.append(np.where(live, crit.weight, 0.0))
        a.append(np.where(live, coeff_a, 0.0))
        b.append(np.where(live, coeff_b, 0.0))
        lo.append(low)
        hi.append(high)
    if not w:
        empty = np.zeros((size, 0))
        return Terms(empty, empty, empty, np.zeros(0), np.zeros(0))
    return Terms(np.stack(w, 1), np.stack(a, 1), np.stack(b, 1), np.array(lo), np.array(hi))


def solve_increasing(terms: Terms, need: np.ndarray) -> np.ndarray:
    """Smallest u with points(u) >= need, for terms that rise with u (b >= 0): -inf when every u
    does, +inf when none does."""
    size = len(need)
    if terms.w.shape[1] == 0:
        return np.where(need <= 0, -np.inf, np.inf)
    live = (terms.w > 0) & (terms.b > 0)
    resting = np.clip(terms.a, terms.lo, terms.hi)
    low_end = np.where(terms.w > 0, terms.w * np.where(live, terms.lo, resting), 0.0).sum(1)
    with np.errstate(invalid="ignore"):
        high_end = np.where(terms.w > 0, terms.w * np.where(live, terms.hi, resting), 0.0).sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        starts = np.where(live, (terms.lo - terms.a) / terms.b, np.nan)
        ends = np.where(live & np.isfinite(terms.hi), (terms.hi - terms.a) / terms.b, np.nan)
    breaks = np.sort(np.concatenate([starts, ends], axis=1), axis=1)  # NaN sort last
    values = terms.points(breaks)
    # a term at its cap is evaluated as b·((cap − a) ÷ b): allow for the last bit of rounding
    reached = values >= need[:, None] - 1e-12 * np.fmax(np.abs(need[:, None]), 1.0)
    found = np.argmax(reached, axis=1)
    first = np.maximum(found, 1)
    rows = np.arange(size)
    u0, u1 = breaks[rows, first - 1], breaks[rows, first]
    f0, f1 = values[rows, first - 1], values[rows, first]
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = np.clip(u0 + (need - f0) * (u1 - u0) / (f1 - f0), u0, u1)
        last = np.isfinite(breaks).sum(1) - 1
        u_last, f_last = breaks[rows, np.maximum(last, 0)], values[rows, np.maximum(last, 0)]
        slope = np.where(live & np.isinf(terms.hi), terms.w * terms.b, 0.0).sum(1)
        beyond = np.where(slope > 0, u_last + (need - f_last) / slope, np.inf)
    inside = np.where(found == 0, breaks[:, 0], inside)  # within rounding of the lowest score: its start
    answer = np.where(reached.any(1) & ~np.isnan(inside), inside, beyond)
    answer = np.where(need > high_end, np.inf, answer)
    return np.where(need <= low_end, -np.inf, answer)
