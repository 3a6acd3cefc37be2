"""Derived indicators (亩均税收 = 税收 ÷ 用地 …) for every firm, and the inputs the list lacks.

Formulas are the rule file's whitelisted arithmetic, evaluated column by column. A division by
zero or an overflow is "not computable" for that firm (NaN and an issue), never ``inf``. Values
keep full double precision: comparisons are tolerant of noise instead (``rules/operators.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..issues.record import concat_issues, issues_frame, make_issue
from ..rules.formulas import evaluate
from ..rules.loading import RuleSet
from .columns import Columns


def compute_indicators(ruleset: RuleSet, cols: Columns, rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every indicator in dependency order, stored in ``cols`` for the rules; (values, issues)."""
    values = {}
    issue_parts = []
    for key, indicator in ruleset.indicators.items():
        inputs = {name: cols.number(name) for name in indicator.formula.names}
        result, not_computable = evaluate(indicator.formula, inputs, cols.size)
        cols.numbers[key] = result
        values[key] = result
        label = indicator.spec.label.zh
        limit = indicator.spec.plausible_max
        if limit is not None and (result > limit).any():
            big = result > limit
            issue_parts.append(
                row_issues(
                    "indicator-implausible", rows[big], column=label, value=f"> {limit:g}", unit=indicator.spec.unit
                )
            )
        if not_computable.any():
            issue_parts.append(
                row_issues(
                    "indicator-not-computable", rows[not_computable], column=label, formula=indicator.formula.text
                )
            )
    return pd.DataFrame(values, index=range(cols.size), copy=False), concat_issues(*issue_parts)


def row_issues(code: str, rows: np.ndarray, column: str, **context) -> pd.DataFrame:
    """The same issue for many Excel rows, rendered once."""
    frame = issues_frame([make_issue(code, column=column, **context)])
    frame = frame.loc[np.zeros(len(rows), dtype=int)].reset_index(drop=True)
    frame["row"] = pd.array(rows, dtype="Int64")
    return frame
