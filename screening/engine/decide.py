"""From gates, points and classes to a decision and a rank for every firm.

Precedence: a failed veto rejects (even with other data missing); otherwise missing data that a
rule needs means "not scored"; otherwise the class decides, a failed or unjudgeable review gate
caps the decision at "review", and the park's land quota is filled in rank order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.operators import above, near
from ..rules.schema import Capacity
from ..rules.schema import Decision as DecisionMap
from ..vocabulary import Decision, GateSeverity
from . import grading
from .columns import Columns
from .conditions import FAIL, MISSING
from .points import Scored
from .result import GateOutcome

ADMIT, REVIEW, REJECT, NOT_SCORED = (d.code for d in Decision)


@dataclass(frozen=True)
class GateVerdicts:
    """What the gates say, per firm, after each gate's ``on_missing`` policy."""

    veto_fail: np.ndarray
    review_fail: np.ndarray
    missing_review: np.ndarray
    missing_unscored: np.ndarray


@dataclass(frozen=True)
class Decided:
    total: np.ndarray  # NaN where not scored
    klass: grading.ClassOutcome
    decision: np.ndarray  # Decision codes
    rank: np.ndarray  # float, NaN where not scored
    flags: pd.DataFrame


def gate_verdicts(gates: dict[str, GateOutcome], size: int) -> GateVerdicts:
    veto, review, missing_review, missing_unscored = (np.zeros(size, dtype=bool) for _ in range(4))
    for outcome in gates.values():
        gate = outcome.gate
        failed = outcome.status == FAIL
        missing = outcome.status == MISSING
        if gate.on_missing == "fail":
            failed = failed | missing
        elif gate.on_missing == "review":
            missing_review |= missing
        else:
            missing_unscored |= missing
        if gate.severity == GateSeverity.VETO:
            veto |= failed
        elif gate.severity == GateSeverity.REVIEW:
            review |= failed
    return GateVerdicts(veto, review, missing_review, missing_unscored)


def decide(ruleset: RuleSet, cols: Columns, rows: np.ndarray, gates: dict[str, GateOutcome], scored: Scored) -> Decided:
    model = ruleset.model
    verdicts = gate_verdicts(gates, cols.size)
    required_missing = _required_missing(ruleset, cols)
    not_scored = required_missing | scored.no_set | scored.criterion_unscored | verdicts.missing_unscored
    total = np.where(not_scored, np.nan, scored.weighted + scored.adjustment)
    order = score_order(ruleset, cols, total, rows)
    klass = grading.assign(model.classes, cols, total, order, scored.set_index)
    decision = _class_decision(model.decision, klass, not_scored)
    decision = np.where((decision == ADMIT) & (verdicts.review_fail | verdicts.missing_review), REVIEW, decision)
    decision = np.where(verdicts.veto_fail, REJECT, decision)
    overflow = _capacity_overflow(model.decision.capacity, cols, decision, order)
    if model.decision.capacity is not None:
        target = REVIEW if model.decision.capacity.overflow == "review" else REJECT
        decision = np.where(overflow, target, decision)
    flags = pd.DataFrame(
        {
            "veto_fail": verdicts.veto_fail,
            "review_fail": verdicts.review_fail,
            "gate_missing_review": verdicts.missing_review,
            "gate_missing_unscored": verdicts.missing_unscored,
            "required_missing": required_missing,
            "no_scoring_set": scored.no_set,
            "criterion_unscored": scored.criterion_unscored,
            "capacity_overflow": overflow,
            "class_capped": klass.capped,
            "class_floored": klass.floored,
            "quota_moved": klass.quota_moved,
            "exempt": klass.exempt,
        }
    )
    return Decided(total, klass, decision, _rank(decision, order), flags)


def _required_missing(ruleset: RuleSet, cols: Columns) -> np.ndarray:
    missing = np.zeros(cols.size, dtype=bool)
    for name, field in ruleset.inputs.items():
        if field.required:
            missing |= (cols.coded(name).codes < 0) if field.is_textual else np.isnan(cols.number(name))
    return missing


def score_order(ruleset: RuleSet, cols: Columns, total: np.ndarray, source_row: np.ndarray) -> np.ndarray:
    """Firm positions from best to worst score; declared tie-breaks, then Excel row; unscored last.

    One stable argsort on the score does nearly all the work; only firms that tie on the score (equal
    up to floating-point noise) go through the (slower) multi-key sort of the declared tie-breaks.
    """
    if len(source_row) < 2 or (np.diff(source_row) > 0).all():  # the usual case: rows in sheet order
        order = np.argsort(-total, kind="stable")
    else:
        by_row = np.argsort(source_row, kind="stable")
        order = by_row[np.argsort(-total[by_row], kind="stable")]
    tie_break = ruleset.model.ranking.tie_break
    ordered = total[order]
    same_as_next = np.r_[near(ordered[1:], ordered[:-1]), False]  # equal up to noise: a tie
    tied = same_as_next | np.r_[False, same_as_next[:-1]]
    if not tied.any():
        return order
    members = order[tied]
    run = np.cumsum(np.r_[True, ~same_as_next[:-1]])[tied]  # which run of equal scores each belongs to
    keys = [source_row[members]]
    for tb in reversed(tie_break):
        values = cols.number(tb.indicator or tb.input)[members]
        keys.append(-values if tb.order == "desc" else values)
    keys.append(run)
    order = order.copy()
    order[tied] = members[np.lexsort(keys)]
    return order


def _class_decision(decision_map: DecisionMap, klass: grading.ClassOutcome, not_scored: np.ndarray) -> np.ndarray:
    outcome = {
        cls: d.code for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT) for cls in getattr(decision_map, d)
    }
    table = np.array([outcome[name] for name in klass.names] + [NOT_SCORED], dtype=np.int64)
    decision = table[klass.codes]  # code -1 picks the last entry: not scored
    return np.where(not_scored, NOT_SCORED, decision)


def _capacity_overflow(capacity: Capacity | None, cols: Columns, decision: np.ndarray, order: np.ndarray) -> np.ndarray:
    overflow = np.zeros(cols.size, dtype=bool)
    if capacity is None:
        return overflow
    land = cols.number(capacity.input)
    admitted = decision[order] == ADMIT
    used = np.cumsum(np.where(admitted, np.nan_to_num(land[order]), 0.0))
    overflow[order] = admitted & (above(used, capacity.quota_mu) | np.isnan(land[order]))
    return overflow


def _rank(decision: np.ndarray, order: np.ndarray) -> np.ndarray:
    """1..n over scored firms: admitted first, then review, then rejected, each by score order."""
    in_order = decision[order]
    ranked = np.concatenate([order[in_order == code] for code in (ADMIT, REVIEW, REJECT)])
    rank = np.full(len(decision), np.nan)
    rank[ranked] = np.arange(1, len(ranked) + 1)
    return rank
