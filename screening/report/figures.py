"""Numbers behind the app's headline figures and charts, computed here so the UI only draws.

- :func:`headline` — candidates, decisions, land and tax of the admitted against the quota.
- :func:`gate_sweep` — how many firms pass one gate (and the tax they pay) as its threshold moves.
- :func:`admitted_sweep` — how many firms are admitted overall as one parameter moves (re-screens).
- :func:`radar` — a firm's criteria as shares of their weight, against the gate and the park median.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..engine.conditions import PASS, numeric_status
from ..engine.result import Result
from ..engine.scoring import score_criterion
from ..engine.screen import screen
from ..rules.loading import RuleSet
from ..rules.operators import ORDERING
from ..rules.overrides import apply_overrides
from ..rules.schema import Criterion
from ..vocabulary import Decision


def _column(result: Result, name: str) -> np.ndarray:
    if name not in result.firms.columns:
        return np.full(result.size, np.nan)
    return pd.to_numeric(result.firms[name], errors="coerce").to_numpy(dtype=float)


def headline(result: Result) -> dict:
    """Counts by decision, and land, tax and compensation of the admitted firms."""
    admitted = (result.summary["decision"] == "admit").to_numpy()
    capacity = result.ruleset.model.decision.capacity
    land = _column(result, capacity.input if capacity else "requested_land")
    return {
        "candidates": result.size,
        "elsewhere": len(result.elsewhere),
        **{d: 0 for d in Decision},  # every outcome a key (0 where this profile cannot give it)
        **result.counts(),
        "skipped_rows": len(result.skipped),
        "land_admitted": float(np.nansum(land[admitted])),
        "land_quota": capacity.quota_mu if capacity else None,
        "tax_admitted": float(np.nansum(_column(result, "tax_paid")[admitted])),
        "compensation_admitted": float(np.nansum(_column(result, "relocation_compensation")[admitted])),
        "errors": int((result.issues["severity"] == "error").sum()),
        "warnings": int((result.issues["severity"] == "warning").sum()),
    }


def sweep_points(low: float, high: float, step: float | None, count: int) -> np.ndarray:
    """Evenly spread values over a slider's range (on its step grid when it has one)."""
    values = np.linspace(low, high, count)
    if step:
        values = np.unique(np.round(low + np.round((values - low) / step) * step, 10))
    return values


def gate_sweep(result: Result, parameter: str, count: int = 41) -> pd.DataFrame:
    """For a tunable threshold: firms passing that test, and their tax, at each value of the range.
    Industry-specific thresholds stay as the rule file sets them (the slider moves the default)."""
    param = result.ruleset.parameters[parameter]
    test = _test_of(result, parameter)
    values = (
        result.indicators[test.subject].to_numpy()
        if test.subject in result.indicators.columns
        else _column(result, test.subject)
    )
    fixed = _industry_specific(result, test)
    tax = _column(result, "tax_paid")
    rows = []
    for t in sweep_points(param.low, param.high, param.step, count):
        threshold = t if not isinstance(test.threshold, np.ndarray) else np.where(fixed, test.threshold, t)
        passing = numeric_status(values, test.test.op, threshold) == PASS
        rows.append((float(t), int(passing.sum()), float(np.nansum(tax[passing]))))
    return pd.DataFrame(rows, columns=["threshold", "passing", "tax"])


def _test_of(result: Result, parameter: str):
    path = result.ruleset.parameters[parameter].path
    gate = result.gates[result.ruleset.model.gates[path[1]].id]
    return gate.tests[0] if len(path) == 3 else gate.tests[path[3]]


def _industry_specific(result: Result, test) -> np.ndarray:
    if not isinstance(test.threshold, np.ndarray):
        return np.zeros(result.size, dtype=bool)
    default = float(test.test.value)
    return ~np.isclose(test.threshold, default) & ~np.isnan(test.threshold)


def admitted_sweep(
    firms: pd.DataFrame,
    ruleset: RuleSet,
    parameter: str,
    values: Sequence[float],
    overrides: dict | None = None,
) -> pd.DataFrame:
    """Re-screen at each value of one parameter (other overrides kept): admitted firms and their tax."""
    rows = []
    for value in values:
        changed = apply_overrides(ruleset, {**(overrides or {}), parameter: float(value)})
        result = screen(firms, changed)
        admitted = (result.summary["decision"] == "admit").to_numpy()
        rows.append((float(value), int(admitted.sum()), float(np.nansum(_column(result, "tax_paid")[admitted]))))
    return pd.DataFrame(rows, columns=["threshold", "admitted", "tax"])


def gate_line(result: Result, indicator: str) -> float | None:
    """The (default) threshold of the first numeric gate on an indicator, for drawing a line."""
    for outcome in result.gates.values():
        for test in outcome.tests:
            if test.subject == indicator and test.test.op in ORDERING and test.threshold is not None:
                value = test.test.value
                return float(value) if isinstance(value, int | float) else None
    return None


def radar(result: Result, row: int) -> pd.DataFrame:
    """A firm's criteria as % of each weight, the same for the gate threshold on that indicator
    (where there is one) and for the median firm of its scoring set."""
    set_id = result.summary["scoring_set"].iloc[row]
    sets = {s.id: s for s in result.ruleset.model.scoring.all_sets()}
    if set_id not in sets:
        return pd.DataFrame(columns=["axis", "firm", "threshold", "median"])
    members = (result.summary["scoring_set"] == set_id).to_numpy()
    records = []
    for crit in sets[set_id].criteria:
        if crit.weight <= 0:
            continue
        points = result.points[crit.key].to_numpy()
        label = crit.label or result.ruleset.indicators[crit.indicator].spec.label
        threshold = gate_line(result, crit.indicator)
        records.append(
            {
                "axis": label.zh,
                "axis_en": label.get("en"),
                "firm": 100 * points[row] / crit.weight,
                "threshold": np.nan if threshold is None else 100 * _share_at(result, crit, threshold, members),
                "median": 100 * np.nanmedian(points[members]) / crit.weight if members.any() else np.nan,
            }
        )
    return pd.DataFrame(records)


def _share_at(result: Result, crit: Criterion, value: float, members: np.ndarray) -> float:
    """The share of the weight a firm exactly at ``value`` would get (batch statistics as for the set)."""
    x = result.indicators[crit.indicator].to_numpy()
    probe = np.append(x, value)
    inside = np.append(members, True)
    better = result.ruleset.indicators[crit.indicator].spec.better
    share = score_criterion(probe, inside, crit, better).points[-1] / crit.weight
    return float(share)


def class_counts(result: Result) -> pd.DataFrame:
    scored = result.summary[result.summary["class"].notna()]
    counts = scored.groupby(["class", "decision"], observed=True).size().rename("firms").reset_index()
    return counts[counts["firms"] > 0].reset_index(drop=True)
