"""One block of sampled weightings, re-run for every firm, with work only where outcomes can differ.

The totals for the block are one matrix product. Classes come from per-sample thresholds
(``thresholds.py``): a firm's samples in class j or better are a count of totals at or above a
threshold, and a firm whose whole range of totals lies on one side of a threshold needs no count.
Decisions, the land quota and ranks are needed per sample only for the *pool*: scored firms
without a veto whose best class can lead somewhere other than rejection. Everyone else is rejected
in every sample and ranks behind the pool — unless the pool is too small to fill the ranks
counted, when every scored firm is ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.result import Result
from .outcomes import ADMIT, REJECT, REVIEW, Fixed, overflow, row_decisions, tie_broken, totals, totals32
from .thresholds import thresholds


@dataclass
class Tally:
    admit: np.ndarray  # (n,) samples admitted
    klass: np.ndarray  # (n, classes) samples per class
    rank: np.ndarray  # (n, depth) samples per rank
    weight: np.ndarray  # (n, criteria) sum of the weightings under which admitted

    @classmethod
    def empty(cls, size: int, classes: int, depth: int, criteria: int) -> Tally:
        return cls(np.zeros(size), np.zeros((size, classes)), np.zeros((size, depth)), np.zeros((size, criteria)))


def run_block(result: Result, fixed: Fixed, weights: np.ndarray, tally: Tally, buffer: np.ndarray) -> None:
    total = totals32(fixed, weights, buffer)
    high, low = total.max(axis=1), total.min(axis=1)
    graded = fixed.graded
    levels = tally.klass.shape[1] - 1
    group_of = {}  # per group: (levels, samples) totals needed for class j or better
    for g in np.unique(fixed.group[graded]):
        rows = np.flatnonzero(graded & (fixed.group == g))
        group_of[g] = thresholds(result, rows, total)
    reach = _reach(total, high, low, graded, fixed.group, group_of, levels)
    counts = np.diff(np.concatenate([np.zeros((len(total), 1)), reach, np.full((len(total), 1), total.shape[1])], 1))
    tally.klass += _merge(np.where(graded[:, None], counts, 0.0), fixed.floor, fixed.cap)
    best = levels - (reach > 0).sum(axis=1)  # best class reached in some sample
    best_final = np.maximum(np.minimum(best, fixed.floor), fixed.cap)
    hopeful = fixed.table[np.clip(best_final, 0, None)] != REJECT
    pool = fixed.scored & ~fixed.veto & np.where(fixed.exempt_decision >= 0, fixed.exempt_decision != REJECT, hopeful)
    rows = np.flatnonzero(pool)
    decision, key = _pool_decisions(result, fixed, total, weights, rows, group_of)
    admitted = decision == ADMIT
    tally.admit[rows] += admitted.sum(axis=1)
    tally.weight[rows] += admitted.astype(float) @ weights
    depth = tally.rank.shape[1]
    if depth == 0:
        return
    if len(rows) and (decision != REJECT).sum(axis=0).min() >= depth:
        _ranks(rows, decision, key, tally)
    else:  # too few firms escape rejection: every scored firm is ranked
        everyone = np.flatnonzero(fixed.scored)
        code = np.full((len(everyone), total.shape[1]), REJECT, dtype=np.int64)
        code[np.searchsorted(everyone, rows)] = decision
        _ranks(everyone, code, tie_broken(fixed, totals(fixed, weights, everyone), everyone), tally)


def _reach(total, high, low, graded, group, group_of, levels) -> np.ndarray:
    """(n, levels): samples in which each firm is in class j or better (before floors and caps)."""
    samples = total.shape[1]
    reach = np.zeros((len(total), levels))
    for g, limits in group_of.items():
        members = graded & (group == g)
        for j in range(levels):
            line = limits[j]
            always = members & (low >= line.max())
            mixed = np.flatnonzero(members & ~always & (high >= line.min()))
            reach[always, j] = samples
            if 2 * len(mixed) > len(total):  # most firms: one pass over the whole matrix beats a copy
                reach[mixed, j] = np.count_nonzero(total >= line[None, :], axis=1)[mixed]
            elif len(mixed):
                reach[mixed, j] = np.count_nonzero(total[mixed] >= line[None, :], axis=1)
    return reach


def _merge(counts: np.ndarray, floor: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Apply floors (class at most ``floor``) and caps (at least ``cap``) to per-class sample counts."""
    grid = np.arange(counts.shape[1])[None, :]
    f, c = floor[:, None], cap[:, None]
    tail = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
    at_floor = np.take_along_axis(tail, np.clip(f, 0, counts.shape[1] - 1), axis=1)
    counts = np.where(grid < f, counts, np.where(grid == f, at_floor, 0.0))
    head = np.cumsum(counts, axis=1)
    at_cap = np.take_along_axis(head, np.clip(c, 0, counts.shape[1] - 1), axis=1)
    return np.where(grid > c, counts, np.where(grid == c, at_cap, 0.0))


def _pool_decisions(result: Result, fixed: Fixed, total, weights, rows, group_of) -> tuple[np.ndarray, np.ndarray]:
    """Decision per sample for the pool (class from the thresholds, floors, caps, the decision map,
    review caps, the land quota) and the pool's tie-broken totals (in float64, for the order)."""
    sub = total[rows]
    levels = len(fixed.table) - 1
    index = np.zeros(sub.shape, dtype=np.int8)  # class index = thresholds not reached (a few classes)
    groups = fixed.group[rows]
    for g, limits in group_of.items():
        mine = slice(None) if (groups == g).all() else groups == g
        part = sub[mine]
        counted = np.zeros(part.shape, dtype=np.int8)
        for line in limits:
            counted += part < line[None, :]
        index[mine] = counted
    index = index.astype(np.int64)
    index = np.where(fixed.floor[rows, None] <= levels, np.minimum(index, fixed.floor[rows, None]), index)
    index = np.maximum(index, fixed.cap[rows, None])
    decision = row_decisions(fixed, rows, index)
    key = tie_broken(fixed, totals(fixed, weights, rows), rows)
    capacity = result.ruleset.model.decision.capacity
    if capacity is not None and len(rows):
        over = overflow(fixed.land[rows], capacity.quota_mu, key, decision == ADMIT)
        decision = np.where(over, REVIEW if capacity.overflow == "review" else REJECT, decision)
    return decision, key


def _ranks(rows: np.ndarray, decision: np.ndarray, key: np.ndarray, tally: Tally) -> None:
    """Rank = admitted first, then review, then rejected, each by score (the engine's order)."""
    depth = tally.rank.shape[1]
    span = 2.0 * (np.abs(key).max() + 1.0)  # decision groups far apart, the tie shifts still resolved
    order_key = decision * span - key
    if depth < len(rows):
        head = np.argpartition(order_key, depth - 1, axis=0)[:depth]
    else:
        head = np.tile(np.arange(len(rows))[:, None], order_key.shape[1])[:depth]
    head = np.take_along_axis(head, np.argsort(np.take_along_axis(order_key, head, axis=0), axis=0), axis=0)
    flat = (rows[head] * depth + np.arange(len(head))[:, None]).ravel()
    tally.rank += np.bincount(flat, minlength=tally.rank.size).reshape(tally.rank.shape)
