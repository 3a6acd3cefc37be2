"""The screening engine: indicators -> gates -> points -> bonus -> classes -> decision -> rank.

Every step works on whole columns (numpy); loops run over rules, never over firms.
Decision precedence: a failed veto rejects (even with other data missing); otherwise missing
data that a rule needs means "not scored"; otherwise the class decides, a failed or unjudgeable
review gate caps the decision at "review", and the park's land quota is filled in rank order.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..issues.record import concat_issues, issues_frame, make_issue
from ..rules.formulas import evaluate
from ..rules.loading import ParamValue, RuleSet, apply_overrides
from ..rules.schema import Gate, GateTest
from . import grading
from .conditions import (
    FAIL,
    MISSING,
    NA,
    PASS,
    Columns,
    combine,
    evaluate_condition,
    industry_threshold,
    test_status,
    tiered_threshold,
)
from .conditions import margin as margin_of
from .result import DECISIONS, GateOutcome, Result, TestOutcome
from .scoring import score_criterion

IDENTITY = ("name", "credit_code", "industry_code")
# Floating-point noise (3.3 / 0.11 = 29.999999999999996) must not fail a "≥ 30" gate or drop a
# 40.0 score out of a "≥ 40" band: indicators and totals are rounded before any comparison.
INDICATOR_DECIMALS = 9
SCORE_DECIMALS = 6
ADMIT, REVIEW, REJECT, NOT_SCORED = range(4)


def screen(
    firms: pd.DataFrame,
    ruleset: RuleSet,
    overrides: Mapping[str, ParamValue] | None = None,
    issues: pd.DataFrame | None = None,
) -> Result:
    """Screen every row of ``firms`` (canonical columns + ``source_row``) against ``ruleset``."""
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    firms = firms.reset_index(drop=True)
    if "source_row" not in firms.columns:
        firms = firms.assign(source_row=np.arange(2, len(firms) + 2))
    cols = Columns(firms, ruleset.inputs)
    found = [_absent_inputs(ruleset, firms)]
    indicators, div_issues = _indicators(ruleset, cols, firms["source_row"].to_numpy())
    found.append(div_issues)
    gates = {gate.id: _gate(gate, cols) for gate in ruleset.model.gates}
    scored = _score(ruleset, cols, firms)
    found.append(scored.pop("issues"))
    return _decide(ruleset, firms, cols, indicators, gates, scored, concat_issues(issues, *found))


# --- inputs and indicators -------------------------------------------------------------------


def _absent_inputs(ruleset: RuleSet, firms: pd.DataFrame) -> pd.DataFrame:
    uses = _rule_uses(ruleset)
    found = []
    for name, rules in uses.items():
        if name in ruleset.inputs and name not in firms.columns:
            label = ruleset.inputs[name].label
            found.append(
                make_issue(
                    "rule-input-absent",
                    column=label.zh,
                    value=name,
                    detail_zh="、".join(r[0] for r in rules),
                    detail_en=", ".join(r[1] for r in rules),
                )
            )
    return issues_frame(found)


def _rule_uses(ruleset: RuleSet) -> dict[str, list[tuple[str, str]]]:
    """input id -> [(rule label zh, en)] for every rule that depends on it (through indicators too)."""

    def inputs_of(name: str) -> set[str]:
        if name in ruleset.indicators:
            return {i for dep in ruleset.indicators[name].formula.names for i in inputs_of(dep)}
        return {name}

    uses: dict[str, list[tuple[str, str]]] = {}
    model = ruleset.model
    for gate in model.gates:
        for test in gate.tests():
            for name in inputs_of(test.indicator or test.input):
                uses.setdefault(name, []).append((gate.label.zh, gate.label.get("en")))
    for scoring_set in model.scoring.all_sets():
        for crit in scoring_set.criteria:
            label = ruleset.indicators[crit.indicator].spec.label
            for name in inputs_of(crit.indicator):
                uses.setdefault(name, []).append((f"评分项 {label.zh}", f"criterion {label.get('en')}"))
    return uses


def _indicators(ruleset: RuleSet, cols: Columns, rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = {}
    issue_parts = []
    for key, indicator in ruleset.indicators.items():
        inputs = {name: cols.number(name) for name in indicator.formula.names}
        result, div_zero = evaluate(indicator.formula, inputs, cols.size)
        result = denoise(result, INDICATOR_DECIMALS)
        cols.numbers[key] = result
        values[key] = result
        limit = indicator.spec.plausible_max
        if limit is not None and (result > limit).any():
            big = result > limit
            issue_parts.append(
                _row_issues(
                    "indicator-implausible",
                    rows[big],
                    column=indicator.spec.label.zh,
                    value=f"> {limit:g}",
                    unit=indicator.spec.unit,
                )
            )
        if div_zero.any():
            issue_parts.append(
                _row_issues(
                    "indicator-not-computable",
                    rows[div_zero],
                    column=indicator.spec.label.zh,
                    formula=indicator.formula.text,
                )
            )
    return pd.DataFrame(values, index=range(cols.size), copy=False), concat_issues(*issue_parts)


def denoise(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round away floating-point noise; a value too large to round keeps its own value."""
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(values, decimals)
    broken = np.isinf(rounded)
    if broken.any():
        rounded[broken] = values[broken]
    return rounded


def _row_issues(code: str, rows: np.ndarray, column: str, **context) -> pd.DataFrame:
    """The same issue for many Excel rows, rendered once."""
    template = make_issue(code, column=column, **context)
    frame = issues_frame([template])
    frame = frame.loc[np.zeros(len(rows), dtype=int)].reset_index(drop=True)
    frame["row"] = pd.array(rows, dtype="Int64")
    return frame


# --- gates -----------------------------------------------------------------------------------


def _gate(gate: Gate, cols: Columns) -> GateOutcome:
    tests = [_test(gate, test, cols) for test in gate.tests()]
    how = "any" if gate.any is not None else "all"
    status = tests[0].status if len(tests) == 1 else combine([t.status for t in tests], how)
    if gate.only_if is not None:
        applies = evaluate_condition(gate.only_if, cols) != FAIL
        status = np.where(applies, status, NA).astype(np.int8)
    return GateOutcome(gate, status, tests)


def _test(gate: Gate, test: GateTest | Gate, cols: Columns) -> TestOutcome:
    key = gate.id if test is gate else f"{gate.id}.{test.id}"
    name = test.indicator or test.input
    is_input = test.input is not None
    field = cols.inputs.get(name) if is_input else None
    numeric = field is None or field.type == "number"
    threshold = None
    if numeric:
        if test.tiers is not None:
            threshold = tiered_threshold(test.tiers, cols)
        elif test.op == "between":
            threshold = tuple(float(v) for v in test.value)
        elif test.op in ("in", "not_in"):
            threshold = [float(v) for v in test.value]
        else:
            threshold = industry_threshold(float(test.value), test.by_industry or {}, cols)
    status = test_status(name, is_input, test.op, test.value, threshold, cols)
    margin = margin_of(cols.number(name), test.op, threshold) if numeric else None
    return TestOutcome(key, gate, test, status, threshold, margin)


# --- scoring -----------------------------------------------------------------------------------


def _score(ruleset: RuleSet, cols: Columns, firms: pd.DataFrame) -> dict:
    scoring = ruleset.model.scoring
    sets = scoring.all_sets()
    set_index = np.full(cols.size, -1, dtype=np.int64)
    for i, scoring_set in enumerate(sets):
        match = (
            np.ones(cols.size, dtype=bool)
            if scoring_set.when is None
            else (evaluate_condition(scoring_set.when, cols) == PASS)
        )
        set_index = np.where((set_index < 0) & match, i, set_index)
    points, references = {}, {}
    criterion_unscored = np.zeros(cols.size, dtype=bool)
    weighted = np.zeros(cols.size)
    for i, scoring_set in enumerate(sets):
        members = set_index == i
        for crit in scoring_set.criteria:
            better = ruleset.indicators[crit.indicator].spec.better
            outcome = score_criterion(cols.number(crit.indicator), members, crit, better)
            points[crit.key] = outcome.points
            references[crit.key] = outcome.references
            weighted += np.where(members, np.nan_to_num(outcome.points), 0.0)
            if crit.missing == "not_scored":
                criterion_unscored |= outcome.missing
    adjustments = {}
    for adj in scoring.adjustments:
        applies = evaluate_condition(adj.when, cols) == PASS
        adjustments[adj.id] = np.where(applies, adj.points, 0.0)
    adjustment = _adjustment_total(adjustments, scoring.bonus_cap, cols.size)
    no_set = set_index < 0
    rows = firms["source_row"].to_numpy()
    issue = (
        _row_issues(
            "no-scoring-set",
            rows[no_set],
            column="",
            detail_zh="、".join(s.label.zh for s in sets),
            detail_en=", ".join(s.label.get("en") for s in sets),
        )
        if no_set.any()
        else None
    )
    return {
        "set_index": set_index,
        "set_ids": [s.id for s in sets],
        "points": points,
        "references": references,
        "weighted": weighted,
        "adjustments": adjustments,
        "adjustment": adjustment,
        "no_set": no_set,
        "criterion_unscored": criterion_unscored,
        "issues": issue,
    }


def _adjustment_total(adjustments: dict[str, np.ndarray], bonus_cap: float | None, size: int) -> np.ndarray:
    bonus, penalty = np.zeros(size), np.zeros(size)
    for points in adjustments.values():
        if (points > 0).any():
            bonus += points.clip(min=0)
        if (points < 0).any():
            penalty += points.clip(max=0)
    if bonus_cap is not None:
        bonus = np.minimum(bonus, bonus_cap)
    return bonus + penalty


# --- decision ----------------------------------------------------------------------------------


def _decide(
    ruleset: RuleSet,
    firms: pd.DataFrame,
    cols: Columns,
    indicators: pd.DataFrame,
    gates: dict[str, GateOutcome],
    scored: dict,
    issues: pd.DataFrame,
) -> Result:
    model = ruleset.model
    size = cols.size
    veto_fail, review_fail, missing_review, missing_unscored = (np.zeros(size, dtype=bool) for _ in range(4))
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
        if gate.severity == "veto":
            veto_fail |= failed
        elif gate.severity == "review":
            review_fail |= failed
    required_missing = _required_missing(ruleset, cols)
    not_scored = required_missing | scored["no_set"] | scored["criterion_unscored"] | missing_unscored
    total = np.where(not_scored, np.nan, denoise(scored["weighted"] + scored["adjustment"], SCORE_DECIMALS))
    order = score_order(ruleset, cols, total, firms["source_row"].to_numpy())
    klass = grading.assign(model.classes, cols, total, order, scored["set_index"])
    decision = _class_decision(model.decision, klass, not_scored)
    decision = np.where((decision == ADMIT) & (review_fail | missing_review), REVIEW, decision)
    decision = np.where(veto_fail, REJECT, decision)
    overflow = _capacity_overflow(model.decision.capacity, cols, decision, order)
    if model.decision.capacity is not None:
        target = REVIEW if model.decision.capacity.overflow == "review" else REJECT
        decision = np.where(overflow, target, decision)
    rank = _rank(decision, order)
    summary = _summary(firms, scored, total, klass, decision, rank)
    flags = pd.DataFrame(
        {
            "veto_fail": veto_fail,
            "review_fail": review_fail,
            "gate_missing_review": missing_review,
            "gate_missing_unscored": missing_unscored,
            "required_missing": required_missing,
            "no_scoring_set": scored["no_set"],
            "criterion_unscored": scored["criterion_unscored"],
            "capacity_overflow": overflow,
            "class_capped": klass.capped,
            "class_floored": klass.floored,
            "quota_moved": klass.quota_moved,
            "exempt": klass.exempt,
        }
    )
    return Result(
        ruleset=ruleset,
        firms=firms,
        indicators=indicators,
        gates=gates,
        points=pd.DataFrame(scored["points"], index=range(size), copy=False),
        references=scored["references"],
        adjustments=pd.DataFrame(scored["adjustments"], index=range(size), copy=False),
        summary=summary,
        flags=flags,
        issues=issues,
    )


def _required_missing(ruleset: RuleSet, cols: Columns) -> np.ndarray:
    missing = np.zeros(cols.size, dtype=bool)
    for name, field in ruleset.inputs.items():
        if field.required:
            missing |= (cols.coded(name).codes < 0) if field.is_textual else np.isnan(cols.number(name))
    return missing


def score_order(ruleset: RuleSet, cols: Columns, total: np.ndarray, source_row: np.ndarray) -> np.ndarray:
    """Firm positions from best to worst score; declared tie-breaks, then Excel row; unscored last.

    One stable argsort on the score does nearly all the work; only firms that tie on the score go
    through the (slower) multi-key sort of the declared tie-breaks.
    """
    if len(source_row) < 2 or (np.diff(source_row) > 0).all():  # the usual case: rows in sheet order
        order = np.argsort(-total, kind="stable")
    else:
        by_row = np.argsort(source_row, kind="stable")
        order = by_row[np.argsort(-total[by_row], kind="stable")]
    tie_break = ruleset.model.ranking.tie_break
    if not tie_break:
        return order
    ordered = total[order]
    same_as_next = np.r_[ordered[1:] == ordered[:-1], False]
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


def _class_decision(decision_map, klass, not_scored: np.ndarray) -> np.ndarray:
    outcome = {
        cls: code
        for code, key in ((ADMIT, "admit"), (REVIEW, "review"), (REJECT, "reject"))
        for cls in getattr(decision_map, key)
    }
    table = np.array([outcome[name] for name in klass.names] + [NOT_SCORED], dtype=np.int64)
    decision = table[klass.codes]  # code -1 picks the last entry: not scored
    return np.where(not_scored, NOT_SCORED, decision)


def _capacity_overflow(capacity, cols: Columns, decision: np.ndarray, order: np.ndarray) -> np.ndarray:
    overflow = np.zeros(cols.size, dtype=bool)
    if capacity is None:
        return overflow
    land = cols.number(capacity.input)
    admitted = decision[order] == ADMIT
    used = np.cumsum(np.where(admitted, np.nan_to_num(land[order]), 0.0))
    overflow[order] = admitted & ((used > capacity.quota_mu + 1e-9) | np.isnan(land[order]))
    return overflow


def _rank(decision: np.ndarray, order: np.ndarray) -> np.ndarray:
    """1..n over scored firms: admitted first, then review, then rejected, each by score order."""
    in_order = decision[order]
    ranked = np.concatenate([order[in_order == code] for code in (ADMIT, REVIEW, REJECT)])
    rank = np.full(len(decision), np.nan)
    rank[ranked] = np.arange(1, len(ranked) + 1)
    return rank


def _summary(
    firms: pd.DataFrame, scored: dict, total: np.ndarray, klass, decision: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    unscored = np.isnan(total)
    data = {"source_row": firms["source_row"].to_numpy()}
    for key in IDENTITY:
        if key in firms.columns:
            data[key] = firms[key].array
    data.update(
        {
            "scoring_set": pd.Categorical.from_codes(scored["set_index"], categories=scored["set_ids"]),
            "score": np.where(unscored, np.nan, scored["weighted"]),
            "adjustment": np.where(unscored, np.nan, scored["adjustment"]),
            "total": total,
            "class": pd.Categorical.from_codes(np.where(unscored, -1, klass.codes), categories=klass.names),
            "decision": pd.Categorical.from_codes(decision, categories=list(DECISIONS), ordered=True),
            "rank": pd.arrays.IntegerArray(np.nan_to_num(rank).astype(np.int64), np.isnan(rank)),
        }
    )
    return pd.DataFrame(data, copy=False)
