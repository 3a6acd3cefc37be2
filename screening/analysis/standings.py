"""Where a firm would stand among the others of its group, whose scores stay as they are.

Percentile classes and class quotas rank firms within a group (a scoring set, or everyone). When
one firm's lever moves, the others' scores do not (references are fixed), so "be among the top k"
is "score above the k-th best *other* firm": a closed form, one sorted array per group.
"""

from __future__ import annotations

import numpy as np

from ..engine.result import Result

# Totals are rounded to 6 decimals before classes: a score this much higher is a different score.
SCORE_STEP = 1e-6


class Standings:
    def __init__(self, result: Result):
        classes = result.ruleset.model.classes
        self.total = result.summary["total"].to_numpy(dtype=float)
        self.graded = ~np.isnan(self.total) & ~result.flags["exempt"].to_numpy()
        codes = result.summary["scoring_set"].cat.codes.to_numpy()
        self.group = codes if classes.group == "set" else np.zeros(result.size, dtype=np.int64)
        self.ranked = {g: np.sort(self.total[(self.group == g) & self.graded])[::-1] for g in np.unique(self.group)}
        # the firm itself counts in its group's size (a firm not graded now would join it)
        self.size = np.array([len(self.ranked[g]) for g in self.group]) + (~self.graded).astype(np.int64)

    def beat(self, k: np.ndarray) -> np.ndarray:
        """Score that puts the firm ahead of its k-th best other (1-based): -inf when it has fewer than
        k others, +inf when k < 1 (no place is good enough)."""
        k = np.broadcast_to(np.asarray(k, dtype=np.int64), self.total.shape)
        need = np.full(self.total.shape, -np.inf)
        for g, ranked in self.ranked.items():
            members = self.group == g
            # the firm's own score sits in ``ranked`` when it is graded; skip it when it is ahead
            own_ahead = self.graded & (np.searchsorted(-ranked, -self.total, side="left") < k)
            pick = np.where(own_ahead, k, k - 1)
            inside = (pick >= 0) & (pick < len(ranked))
            other = ranked[np.clip(pick, 0, max(len(ranked) - 1, 0))] if len(ranked) else np.zeros(len(k))
            need = np.where(members, np.where(inside, other + SCORE_STEP, -np.inf), need)
        return np.where(k < 1, np.inf, need)

    def others_at_least(self, score: np.ndarray) -> np.ndarray:
        """How many other graded firms of the group score at least ``score``."""
        count = np.zeros(self.total.shape, dtype=np.int64)
        for g, ranked in self.ranked.items():
            members = self.group == g
            n = np.searchsorted(-ranked, -np.asarray(score, dtype=float), side="right")
            own = self.graded & (self.total >= score)
            count = np.where(members, n - own, count)
        return count
