"""Scores, classes, decisions and the land quota for many weightings at once.

A weighting changes only the weighted sum: each firm's share of every criterion (points ÷
weight) and everything that does not depend on the weights (gates, bonus points, floors, caps,
exemptions, land) are fixed. So for a block of sampled weightings the totals are one matrix
product ``shares @ weights.T`` (firms × samples), and the rest of the screening — bands or
percentile classes per group, quotas, floors and caps, the decision map, review caps and vetoes,
the land quota filled in rank order — is applied column-wise to that matrix, as the engine does
for one column. Ties (equal totals) are broken by position rather than the declared tie-breaks;
with continuous weights they have probability zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.columns import Columns
from ..engine.conditions import PASS, evaluate_condition
from ..engine.result import Result
from ..engine.scoring import score_criterion
from ..vocabulary import Decision

ADMIT, REVIEW, REJECT, NOT_SCORED = (d.code for d in Decision)
SCORE_DECIMALS = 6


@dataclass(frozen=True)
class Fixed:
    """What the weights do not change, per firm."""

    shares: np.ndarray  # (n, K) share of each criterion (0 outside the firm's scoring set)
    adjustment: np.ndarray  # bonus / penalty points
    scored: np.ndarray
    exempt_decision: np.ndarray  # decision code of an exempt class, -1 otherwise
    veto: np.ndarray
    review_cap: np.ndarray
    floor: np.ndarray  # class index a floor lifts the firm to (large: none)
    cap: np.ndarray  # class index a cap holds the firm at (-1: none)
    group: np.ndarray
    land: np.ndarray | None  # land requested, when the park has a quota
    table: np.ndarray  # decision code per band index
    keys: list[str]  # criterion keys, in the column order of ``shares``
    row_rank: np.ndarray  # 0 for the firm on the first Excel row …: breaks ties as the engine does


def fixed_parts(result: Result) -> Fixed:
    ruleset = result.ruleset
    model = ruleset.model
    cols = Columns(result.firms, ruleset.inputs)
    cols.numbers.update({k: result.indicators[k].to_numpy() for k in result.indicators.columns})
    set_index = result.summary["scoring_set"].cat.codes.to_numpy()
    shares, keys = [], []
    for i, scoring_set in enumerate(model.scoring.all_sets()):
        for crit in scoring_set.criteria:
            better = ruleset.indicators[crit.indicator].spec.better
            unit = crit.model_copy(update={"weight": 1.0})
            share = score_criterion(cols.number(crit.indicator), set_index == i, unit, better).points
            shares.append(np.nan_to_num(share))
            keys.append(crit.key)
    total = result.summary["total"].to_numpy(dtype=float)
    flags = result.flags
    names = [b.klass for b in model.classes.bands]
    decision_of = {
        c: d.code for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT) for c in getattr(model.decision, d)
    }
    exempt_decision = np.full(result.size, -1)
    exempt = flags["exempt"].to_numpy()
    klass = result.summary["class"].astype(object).to_numpy()
    exempt_decision[exempt] = [decision_of[c] for c in klass[exempt]]
    capacity = model.decision.capacity
    return Fixed(
        shares=np.stack(shares, axis=1) if shares else np.zeros((result.size, 0)),
        adjustment=np.nan_to_num(result.summary["adjustment"].to_numpy(dtype=float)),
        scored=~np.isnan(total),
        exempt_decision=exempt_decision,
        veto=flags["veto_fail"].to_numpy(),
        review_cap=(flags["review_fail"] | flags["gate_missing_review"]).to_numpy(),
        floor=_rule_index(model.classes.floors, "min_class", names, cols, len(names)),
        cap=_rule_index(model.classes.caps, "max_class", names, cols, -1),
        group=set_index if model.classes.group == "set" else np.zeros(result.size, dtype=np.int64),
        land=result.numbers(capacity.input) if capacity is not None else None,
        table=np.array([decision_of[c] for c in names]),
        keys=keys,
        row_rank=np.argsort(np.argsort(result.summary["source_row"].to_numpy(), kind="stable")),
    )


def _rule_index(rules, key: str, names: list[str], cols: Columns, none: int) -> np.ndarray:
    """Per firm, the class the last applying floor (or cap) rule names; ``none`` where none applies."""
    out = np.full(cols.size, none, dtype=np.int64)
    for rule in rules:
        hit = evaluate_condition(rule.when, cols) == PASS
        target = names.index(getattr(rule, key))
        out = np.where(hit, np.minimum(out, target) if key == "min_class" else np.maximum(out, target), out)
    return out


def totals(fixed: Fixed, weights: np.ndarray) -> np.ndarray:
    """Firms × samples total scores (NaN where not scored), rounded as the engine rounds."""
    score = fixed.shares @ weights.T + fixed.adjustment[:, None]
    return np.where(fixed.scored[:, None], np.round(score, SCORE_DECIMALS), np.nan)


def tie_broken(fixed: Fixed, total: np.ndarray) -> np.ndarray:
    """Totals with equal scores ordered by Excel row, as the engine orders them without declared
    tie-breaks: a shift far below the 6-decimal rounding step."""
    return total - fixed.row_rank[:, None] * (1e-7 / (len(fixed.row_rank) + 1))


def classes(result: Result, fixed: Fixed, total: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Band index per firm and sample (floors, caps and quotas applied); -1 where not graded."""
    spec = result.ruleset.model.classes
    graded = fixed.scored & (fixed.exempt_decision < 0)
    index = np.full(total.shape, len(spec.bands) - 1, dtype=np.int64)
    if spec.method == "bands":
        cuts = np.array([b.min_score for b in spec.bands[:-1]])[::-1]  # ascending
        index = len(cuts) - np.searchsorted(cuts, np.nan_to_num(total, nan=-np.inf), side="right")
    names = [b.klass for b in spec.bands]
    for g in np.unique(fixed.group[graded]):
        members = np.flatnonzero(graded & (fixed.group == g))
        sub = key[members]
        if spec.method == "percentile":
            tops = np.array([b.top_share for b in spec.bands[:-1]])
            index[members] = np.searchsorted(tops, _positions(sub) / len(members), side="left")
        for cls, quota in spec.quotas.items():
            index[members] = _quota(index[members], names.index(cls), quota, sub)
    index = np.where(fixed.floor[:, None] < len(names), np.minimum(index, fixed.floor[:, None]), index)
    index = np.maximum(index, fixed.cap[:, None])
    return np.where(graded[:, None], index, -1)


def _positions(sub: np.ndarray) -> np.ndarray:
    """1-based place of each firm in each sample, best score first."""
    order = np.argsort(-sub, axis=0, kind="stable")
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.arange(1, len(sub) + 1)[:, None], axis=0)
    return position


def _quota(index: np.ndarray, c: int, quota, key: np.ndarray) -> np.ndarray:
    """The engine's quotas, per sample, by thresholds instead of sorting: a capped class keeps its
    best ``max_share`` of the group (the rest move down one class); the bottom ``min_share`` of the
    group are put at least into class ``c``."""
    size = len(index)
    if quota.max_share is not None:
        allowed = int(np.floor(quota.max_share * size + 1e-9))
        in_class = index == c
        if allowed == 0:
            index = np.where(in_class, c + 1, index)
        elif allowed < size:
            masked = np.where(in_class, key, -np.inf)
            kth = -np.partition(-masked, allowed - 1, axis=0)[allowed - 1]  # the allowed-th best in the class
            index = np.where(in_class & (key < kth), c + 1, index)
    if quota.min_share is not None:
        required = int(np.ceil(quota.min_share * size - 1e-9))
        if required > 0:
            kth = np.partition(key, required - 1, axis=0)[required - 1]  # the required-th worst
            index = np.where(key <= kth, np.maximum(index, c), index)
    return index


def decisions(result: Result, fixed: Fixed, key: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Decision code per firm and sample: class map, review caps, vetoes, then the land quota."""
    decision = np.where(index >= 0, fixed.table[np.clip(index, 0, None)], NOT_SCORED)
    decision = np.where(fixed.exempt_decision[:, None] >= 0, fixed.exempt_decision[:, None], decision)
    decision = np.where(fixed.scored[:, None], decision, NOT_SCORED)
    decision = np.where((decision == ADMIT) & fixed.review_cap[:, None], REVIEW, decision)
    decision = np.where(fixed.veto[:, None], REJECT, decision)
    capacity = result.ruleset.model.decision.capacity
    if capacity is not None:
        overflow = _overflow(fixed.land, capacity.quota_mu, key, decision == ADMIT)
        decision = np.where(overflow, REVIEW if capacity.overflow == "review" else REJECT, decision)
    return decision


def _overflow(land: np.ndarray, quota: float, total: np.ndarray, admitted: np.ndarray) -> np.ndarray:
    """Admitted firms beyond the land quota, filled in score order, per sample. Only the first
    ``limit`` admitted firms can fit (any ``limit`` of them need more land than the quota), so each
    sample sorts just those."""
    size, samples = total.shape
    filled = np.nan_to_num(land)
    smallest = np.cumsum(np.sort(filled))
    limit = min(int(np.searchsorted(smallest, quota + 1e-9, side="right")) + 1, size)
    key = np.where(admitted, -total, np.inf)
    head = (
        np.argpartition(key, limit - 1, axis=0)[:limit] if limit < size else np.tile(np.arange(size)[:, None], samples)
    )
    head = np.take_along_axis(head, np.argsort(np.take_along_axis(key, head, axis=0), axis=0, kind="stable"), axis=0)
    taken = np.take_along_axis(admitted, head, axis=0)
    used = np.cumsum(np.where(taken, filled[head], 0.0), axis=0)
    over_head = taken & ((used > quota + 1e-9) | np.isnan(land[head]))
    overflow = admitted.copy()  # admitted firms outside the head cannot fit
    np.put_along_axis(overflow, head, over_head, axis=0)
    return overflow
