"""Why each firm got its decision: reasons in words (``reasons.py``), and the firm view's tables —
every gate with value, threshold, margin and status, every criterion with its points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.conditions import NA
from ..engine.result import Result, TestOutcome
from ..rules.operators import OPERATORS
from ..rules.sources import cite
from ..vocabulary import Status
from .reasons import SEP, failed_gates, firm_reasons, reasons  # noqa: F401 — the app and tables read them here
from .shown import (
    digits_of,
    fmt,
    method_text,
    raw_values,
    references_text,
    rule_text,
    threshold_texts,
    values_of,
)


def gate_table(result: Result, row: int, lang: str = "zh") -> pd.DataFrame:
    """Every test of every gate for one firm: value, threshold, margin, status, department, basis."""
    rs = result.ruleset
    rows = np.array([row])
    records = []
    for outcome in result.gates.values():
        gate = outcome.gate
        for test in outcome.tests:
            numeric = test.margin is not None
            digits = digits_of(result, test.subject)
            status = int(outcome.status[row]) if outcome.status[row] == NA else int(test.status[row])
            records.append(
                {
                    "gate": test.key,
                    "rule": test.label.get(lang),
                    "department": gate.department.label(lang),
                    "severity": gate.severity.label(lang),
                    "value": fmt(values_of(result, test.subject, rows)[0], digits)
                    if numeric
                    else raw_values(result, test.subject, rows, lang)[0],
                    "requirement": _requirement(test, row, rs, lang, digits),
                    "margin": float(test.margin[row]) if numeric else np.nan,
                    "status": Status(status).key,
                    "basis": cite(gate.basis),
                }
            )
    return pd.DataFrame.from_records(
        records, columns=["gate", "rule", "department", "severity", "value", "requirement", "margin", "status", "basis"]
    )


def _requirement(test: TestOutcome, row: int, ruleset, lang: str, digits: int) -> str:
    if isinstance(test.threshold, np.ndarray):
        unit = ruleset.unit_of(test.subject)
        used = threshold_texts(test, np.array([row]), digits)[0]
        return f"{ruleset.label_of(test.subject, lang)} {OPERATORS[test.test.op].shown} {used} {unit}".strip()
    return rule_text(test.test, ruleset, lang)


def points_table(result: Result, row: int, lang: str = "zh") -> pd.DataFrame:
    """Criterion by criterion: value, method, reference, weight, points; then bonus/penalty lines."""
    rs = result.ruleset
    set_id = result.summary["scoring_set"].iloc[row]
    rows = np.array([row])
    records = []
    for scoring_set in rs.model.scoring.all_sets():
        if scoring_set.id != set_id:
            continue
        for crit in scoring_set.criteria:
            spec = rs.indicators[crit.indicator].spec
            refs = result.references.get(crit.key, {})
            records.append(
                {
                    "item": (crit.label or spec.label).get(lang),
                    "kind": "criterion",
                    "value": fmt(values_of(result, crit.indicator, rows)[0], spec.digits),
                    "unit": spec.unit,
                    "method": method_text(crit, lang),
                    "reference": references_text(
                        [*refs.items(), ("cap", crit.cap), ("floor", crit.floor or None)], lang, spec.digits
                    ),
                    "weight": crit.weight,
                    "points": float(result.points[crit.key].iloc[row]),
                    "basis": cite(crit.basis),
                }
            )
    for adj in rs.model.scoring.adjustments:
        pts = float(result.adjustments[adj.id].iloc[row])
        if pts:
            records.append(
                {
                    "item": adj.label.get(lang),
                    "kind": "adjustment",
                    "value": "",
                    "unit": "",
                    "method": "",
                    "reference": "",
                    "weight": np.nan,
                    "points": pts,
                    "basis": cite(adj.basis),
                }
            )
    return pd.DataFrame.from_records(
        records, columns=["item", "kind", "value", "unit", "method", "reference", "weight", "points", "basis"]
    )
