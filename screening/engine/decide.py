"""From gates, points and classes to a decision and a rank for every firm.

Precedence, for an entry standard:

1. a failed veto rejects (even with other data missing);
2. otherwise a blank cell a rule needs (a required input, a gate with ``on_missing: not_scored``, a
   ``missing: not_scored`` criterion, no scoring set) means "not scored";
3. otherwise the class decides; a failed review gate, a gate that cannot judge a blank cell, or a
   gate whose column the list lacks (``on_absent: review``) caps the decision at "review";
4. a firm held back only by columns the list lacks — unscorable for want of them, or in a
   rejecting class with criteria it could not be scored on — is "review", never "reject" and
   never silently "not scored": its reasons list the material to supply;
5. the park's land quota is filled in rank order.

An evaluation profile decides nothing: every scored firm is "graded" (class and rank), the rest
"not scored".
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

ADMIT, REVIEW, REJECT, GRADED, NOT_SCORED = (d.code for d in Decision)


@dataclass(frozen=True)
class GateVerdicts:
    """What the gates say, per firm, after each gate's ``on_missing`` and ``on_absent`` policies."""

    veto_fail: np.ndarray
    review_fail: np.ndarray
    missing_review: np.ndarray
    missing_unscored: np.ndarray
    absent_review: np.ndarray  # a gate cannot judge the firm: the list lacks its column
    needs: dict[str, np.ndarray] = field(default_factory=dict)  # absent input -> firms a gate waits on


@dataclass(frozen=True)
class Unscorable:
    """Firms that cannot be scored for reasons outside scoring, known before any batch statistic."""

    required_blank: np.ndarray
    required_absent: np.ndarray
    gate_blank: np.ndarray

    @property
    def mask(self) -> np.ndarray:
        return self.required_blank | self.required_absent | self.gate_blank


@dataclass(frozen=True)
class Decided:
    total: np.ndarray  # NaN where not scored
    klass: grading.ClassOutcome
    decision: np.ndarray  # Decision codes
    rank: np.ndarray  # float, NaN where not scored
    flags: pd.DataFrame
    needs: dict[str, np.ndarray]  # absent input -> firms whose judgement waits for it


def gate_verdicts(gates: dict[str, GateOutcome], size: int) -> GateVerdicts:
    veto, review, missing_review, missing_unscored, absent_review = (np.zeros(size, dtype=bool) for _ in range(5))
    needs: dict[str, np.ndarray] = {}
    for outcome in gates.values():
        gate = outcome.gate
        blocked = outcome.blocked if outcome.blocked is not None else np.zeros(size, dtype=bool)
        failed = outcome.status == FAIL  # includes on_absent fail and a failure on an assumed value
        missing = (outcome.status == MISSING) & ~blocked  # a blank cell, not an absent column
        if gate.on_missing == "fail":
            failed = failed | missing
        elif gate.on_missing == "review":
            missing_review |= missing
        else:
            missing_unscored |= missing
        if gate.absent_policy == "review":
            absent_review |= blocked
        for name in outcome.absent if blocked.any() else ():
            needs[name] = needs.get(name, np.zeros(size, dtype=bool)) | blocked
        if gate.severity == GateSeverity.VETO:
            veto |= failed
        elif gate.severity == GateSeverity.REVIEW:
            review |= failed
    return GateVerdicts(veto, review, missing_review, missing_unscored, absent_review, needs)


def unscorable(ruleset: RuleSet, cols: Columns, verdicts: GateVerdicts) -> Unscorable:
    blank, absent = np.zeros(cols.size, dtype=bool), np.zeros(cols.size, dtype=bool)
    for name, spec in ruleset.inputs.items():
        if not spec.required:
            continue
        if name in cols.absent:
            absent[:] = True
        else:
            blank |= (cols.coded(name).codes < 0) if spec.is_textual else np.isnan(cols.number(name))
    return Unscorable(blank, absent, verdicts.missing_unscored)


def decide(
    ruleset: RuleSet, cols: Columns, rows: np.ndarray, verdicts: GateVerdicts, left_out: Unscorable, scored: Scored
) -> Decided:
    model = ruleset.model
    blank = left_out.required_blank | left_out.gate_blank | scored.no_set | scored.criterion_unscored
    absent_unscored = left_out.required_absent | _or(scored.absent_unscored, cols.size)
    not_scored = blank | absent_unscored
    total = np.where(not_scored, np.nan, scored.weighted + scored.adjustment)
    order = score_order(ruleset, cols, total, rows)
    klass = grading.assign(model.classes, cols, total, order, scored.set_index)
    only_data = absent_unscored & ~blank  # nothing but a column the list lacks stands in the way
    if model.is_evaluation:
        decision = np.where(not_scored, NOT_SCORED, GRADED)
        lifted = np.zeros(cols.size, dtype=bool)
    else:
        decision = _class_decision(model.decision, klass, not_scored)
        lifted = only_data | ((decision == REJECT) & _or(scored.absent_scoring, cols.size))
        decision = np.where(lifted, REVIEW, decision)
        held = verdicts.review_fail | verdicts.missing_review | verdicts.absent_review
        decision = np.where((decision == ADMIT) & held, REVIEW, decision)
        decision = np.where(verdicts.veto_fail, REJECT, decision)
    overflow = _capacity_overflow(model.decision.capacity, cols, decision, order)
    if model.decision.capacity is not None:
        target = REVIEW if model.decision.capacity.overflow == "review" else REJECT
        decision = np.where(overflow, target, decision)
    flags = _flags(verdicts, left_out, scored, klass, overflow, lifted & (decision == REVIEW))
    needs = _merge_needs(verdicts.needs, scored.needs, left_out, ruleset, cols)
    return Decided(total, klass, decision, _rank(decision, order), flags, needs)


def _or(mask: np.ndarray | None, size: int) -> np.ndarray:
    return mask if mask is not None else np.zeros(size, dtype=bool)


def _flags(verdicts, left_out, scored, klass, overflow, lifted) -> pd.DataFrame:
    size = len(overflow)
    return pd.DataFrame(
        {
            "veto_fail": verdicts.veto_fail,
            "review_fail": verdicts.review_fail,
            "gate_missing_review": verdicts.missing_review,
            "gate_missing_unscored": verdicts.missing_unscored,
            "required_missing": left_out.required_blank,
            "no_scoring_set": scored.no_set & ~_or(scored.absent_unscored, size),
            "criterion_unscored": scored.criterion_unscored,
            "gate_absent": verdicts.absent_review,
            "required_absent": left_out.required_absent,
            "scoring_absent": _or(scored.absent_scoring, size) | _or(scored.absent_unscored, size),
            "review_for_data": lifted,
            "capacity_overflow": overflow,
            "class_capped": klass.capped,
            "class_floored": klass.floored,
            "quota_moved": klass.quota_moved,
            "exempt": klass.exempt,
        }
    )


def _merge_needs(gate_needs, scoring_needs, left_out: Unscorable, ruleset: RuleSet, cols: Columns) -> dict:
    needs = {name: mask.copy() for name, mask in gate_needs.items()}
    for name, mask in scoring_needs.items():
        needs[name] = needs.get(name, np.zeros(cols.size, dtype=bool)) | mask
    for name, spec in ruleset.inputs.items():
        if spec.required and name in cols.absent:
            needs[name] = np.ones(cols.size, dtype=bool)
    return needs


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
        cls: d.code
        for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT)
        for cls in getattr(decision_map, d.value)
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
    """1..n: admitted first, then review, then rejected, each by score order (an evaluation: graded by score)."""
    in_order = decision[order]
    ranked = np.concatenate([order[in_order == code] for code in (ADMIT, REVIEW, REJECT, GRADED)])
    rank = np.full(len(decision), np.nan)
    rank[ranked] = np.arange(1, len(ranked) + 1)
    return rank
