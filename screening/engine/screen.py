"""The screening engine: indicators -> gates -> points -> bonus -> classes -> decision -> rank.

Every step works on whole columns (numpy); loops run over rules, never over firms.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..intake.loading import SKIPPED_COLUMNS
from ..issues.record import concat_issues
from ..rules.loading import RuleSet
from ..rules.overrides import apply_overrides
from ..rules.parameters import ParamValue
from ..vocabulary import Decision
from .columns import Columns
from .decide import Decided, decide, gate_verdicts, unscorable
from .gaps import absence_issue, fill_defaults, find_absence, materials
from .gates import evaluate_gates
from .indicators import compute_indicators
from .points import Scored, score_firms
from .result import ELSEWHERE_COLUMNS, Result, Setting

IDENTITY = ("name", "credit_code", "industry_code")


def screen(
    firms: pd.DataFrame,
    ruleset: RuleSet,
    overrides: Mapping[str, ParamValue] | None = None,
    setting: Setting | None = None,
) -> Result:
    """Screen every row of ``firms`` (canonical columns + ``source_row``) against ``ruleset``.
    ``setting`` carries what the import found (issues, skipped rows …) into the result."""
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    setting = setting or Setting()
    firms = firms.reset_index(drop=True)
    if "source_row" not in firms.columns:
        firms = firms.assign(source_row=np.arange(2, len(firms) + 2))
    rows = firms["source_row"].to_numpy()
    firms, filled, default_issues = fill_defaults(ruleset, firms)
    absence = find_absence(ruleset, firms)
    cols = Columns(firms, ruleset.inputs)
    cols.absent = frozenset(absence.inputs) | absence.indicators
    indicators, indicator_issues = compute_indicators(ruleset, cols, rows)
    gates = evaluate_gates(ruleset.model.gates, cols, absence)
    verdicts = gate_verdicts(gates, cols.size)
    left_out = unscorable(ruleset, cols, verdicts)  # known before scoring: kept out of every batch statistic
    scored = score_firms(ruleset, cols, rows, excluded=left_out.mask, absence=absence)
    decided = decide(ruleset, cols, rows, verdicts, left_out, scored)
    issues = concat_issues(setting.issues, absence_issue(absence), default_issues, indicator_issues, scored.issues)
    return Result(
        ruleset=ruleset,
        firms=firms,
        indicators=indicators,
        gates=gates,
        points=scored.points,
        references=scored.references,
        adjustments=scored.adjustments,
        summary=_summary(firms, scored, decided),
        flags=decided.flags,
        issues=issues,
        skipped=setting.skipped if setting.skipped is not None else pd.DataFrame(columns=SKIPPED_COLUMNS),
        elsewhere=setting.elsewhere if setting.elsewhere is not None else pd.DataFrame(columns=ELSEWHERE_COLUMNS),
        source=setting.source or {},
        absent=absence.inputs,
        materials=materials(absence, decided.needs, cols.size),
        filled=filled,
    )


def _summary(firms: pd.DataFrame, scored: Scored, decided: Decided) -> pd.DataFrame:
    total, rank = decided.total, decided.rank
    unscored = np.isnan(total)
    data = {"source_row": firms["source_row"].to_numpy()}
    for key in IDENTITY:
        if key in firms.columns:
            data[key] = firms[key].array
    data.update(
        {
            "scoring_set": pd.Categorical.from_codes(scored.set_index, categories=scored.set_ids),
            "score": np.where(unscored, np.nan, scored.weighted),
            "adjustment": np.where(unscored, np.nan, scored.adjustment),
            "total": total,
            "class": pd.Categorical.from_codes(
                np.where(unscored, -1, decided.klass.codes), categories=decided.klass.names
            ),
            "decision": pd.Categorical.from_codes(
                decided.decision, categories=[d.value for d in Decision], ordered=True
            ),
            "rank": pd.arrays.IntegerArray(np.nan_to_num(rank).astype(np.int64), np.isnan(rank)),
        }
    )
    return pd.DataFrame(data, copy=False)
