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
from functools import cached_property

import numpy as np
import pandas as pd

from ..engine.columns import Columns
from ..engine.conditions import PASS, evaluate_condition
from ..engine.result import Result
from ..engine.scoring import score_criterion
from ..vocabulary import Decision

ADMIT, REVIEW, REJECT, NOT_SCORED = (
    d.code for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT, Decision.NOT_SCORED)
)


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
    row_rank: np.ndarray  # place among equal totals: the declared tie-breaks, then the Excel row

    @cached_property
    def shares32(self) -> np.ndarray:
        return self.shares.astype(np.float32)

    @cached_property
    def adjustment32(self) -> np.ndarray:
        return self.adjustment.astype(np.float32)

    @property
    def graded(self) -> np.ndarray:
        return self.scored & (self.exempt_decision < 0)


def fixed_parts(result: Result) -> Fixed:
    ruleset = result.ruleset
    model = ruleset.model
    cols = Columns(result.firms, ruleset.inputs)
    cols.numbers.update({k: result.indicators[k].to_numpy() for k in result.indicators.columns})
    set_index = result.summary["scoring_set"].cat.codes.to_numpy()
    shares, keys = [], []
    for i, scoring_set in enumerate(model.scoring.all_sets()):
        for crit in scoring_set.criteria:
            if crit.weight > 0:  # the engine's own points, per point of weight (batch statistics as it took them)
                share = result.points[crit.key].to_numpy(dtype=float) / crit.weight
            else:  # a weight set to 0 by a slider: score it at weight 1
                better = ruleset.indicators[crit.indicator].spec.better
                unit = crit.model_copy(update={"weight": 1.0})
                share = score_criterion(cols.number(crit.indicator), set_index == i, unit, better).points
            shares.append(np.nan_to_num(np.where(set_index == i, share, 0.0)))
            keys.append(crit.key)
    total = result.summary["total"].to_numpy(dtype=float)
    flags = result.flags
    names = [b.klass for b in model.classes.bands]
    if model.is_evaluation:  # an evaluation decides nothing: every class is "graded"
        exempt_names = [e.klass for e in model.classes.exempt]
        decision_of = dict.fromkeys(names + exempt_names, Decision.GRADED.code)
    else:
        decision_of = {
            c: d.code for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT) for c in getattr(model.decision, d)
        }
    exempt_decision = np.full(result.size, -1)
    exempt = flags["exempt"].to_numpy()
    klass = result.summary["class"].astype(object).to_numpy()
    exempt_decision[exempt] = pd.Series(klass[exempt]).map(decision_of).to_numpy()
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
        row_rank=_tie_rank(result),
    )


def _tie_rank(result: Result) -> np.ndarray:
    """Each firm's place when totals are equal, as the engine orders them (declared tie-breaks, then row)."""
    keys = [result.summary["source_row"].to_numpy()]
    for tb in reversed(result.ruleset.model.ranking.tie_break):
        values = result.numbers(tb.indicator or tb.input)
        keys.append(-values if tb.order == "desc" else values)
    return np.argsort(np.lexsort(keys), kind="stable")


def _rule_index(rules, key: str, names: list[str], cols: Columns, none: int) -> np.ndarray:
    """Per firm, the class the last applying floor (or cap) rule names; ``none`` where none applies."""
    out = np.full(cols.size, none, dtype=np.int64)
    for rule in rules:
        hit = evaluate_condition(rule.when, cols) == PASS
        target = names.index(getattr(rule, key))
        out = np.where(hit, np.minimum(out, target) if key == "min_class" else np.maximum(out, target), out)
    return out


def totals(fixed: Fixed, weights: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Firms × samples total scores in float64 (meaningful only where the firm is scored)."""
    if rows is None:
        return fixed.shares @ weights.T + fixed.adjustment[:, None]
    return fixed.shares[rows] @ weights.T + fixed.adjustment[rows, None]


def totals32(fixed: Fixed, weights: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The same in float32, into a reused buffer: the big matrix that classes are counted on (a
    total within ~1e-5 of a cut-off may fall either side — with continuous weights, almost never)."""
    if out.shape[1] != len(weights):
        out = np.empty((len(fixed.shares), len(weights)), dtype=np.float32)
    np.matmul(fixed.shares32, weights.T.astype(np.float32), out=out)
    out += fixed.adjustment32[:, None]
    return out


def tie_broken(fixed: Fixed, total: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Totals of ``rows`` with equal scores put in the engine's order (declared tie-breaks, then Excel
    row) by a shift far below the 6-decimal rounding step of totals."""
    return np.round(total, 6) - fixed.row_rank[rows, None] * (1e-7 / (len(fixed.row_rank) + 1))


def row_decisions(fixed: Fixed, rows: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Decision per sample for ``rows`` before the land quota: class map, review caps, vetoes."""
    decision = fixed.table[np.clip(index, 0, None)]
    exempt = fixed.exempt_decision[rows, None]
    decision = np.where(exempt >= 0, exempt, decision)
    decision = np.where((decision == ADMIT) & fixed.review_cap[rows, None], REVIEW, decision)
    decision = np.where(fixed.veto[rows, None], REJECT, decision)
    return np.where(fixed.scored[rows, None], decision, NOT_SCORED)


def overflow(land: np.ndarray, quota: float, key: np.ndarray, admitted: np.ndarray) -> np.ndarray:
    """Admitted firms beyond the land quota, filled in score order, per sample. Only the first
    ``limit`` admitted firms can fit (any ``limit`` of them need more land than the quota), so each
    sample sorts just those. ``land``, ``key`` and ``admitted`` cover every firm that may be admitted."""
    size, samples = key.shape
    filled = np.nan_to_num(land)
    smallest = np.cumsum(np.sort(filled))
    limit = min(int(np.searchsorted(smallest, quota + 1e-9, side="right")) + 1, size)
    order_key = np.where(admitted, -key, np.inf)
    if limit < size:
        head = np.argpartition(order_key, limit - 1, axis=0)[:limit]
    else:
        head = np.tile(np.arange(size)[:, None], samples)
    head = np.take_along_axis(head, np.argsort(np.take_along_axis(order_key, head, axis=0), axis=0), axis=0)
    taken = np.take_along_axis(admitted, head, axis=0)
    used = np.cumsum(np.where(taken, filled[head], 0.0), axis=0)
    over_head = taken & ((used > quota + 1e-9) | np.isnan(land[head]))
    out = admitted.copy()  # admitted firms outside the head cannot fit
    np.put_along_axis(out, head, over_head, axis=0)
    return out
