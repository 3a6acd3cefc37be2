"""Whole-column tests: operators, per-industry and tiered thresholds, all/any, missing data.

Every test answers per firm with a status code: PASS, FAIL, MISSING (the value needed is not
there) or NA (the rule does not apply). Combinations follow three-valued logic: ``all``
fails if any part fails, else is missing if any part is missing; ``any`` passes if any part
passes, else is missing if any part is missing; ``not`` swaps pass and fail and keeps missing
(a floor "unless vetoed" is ``not: {any: [veto conditions]}``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rules.operators import ABS_TOL, OPERATORS, REL_TOL
from ..rules.schema import Condition
from ..vocabulary import Status
from .columns import Coded, Columns

PASS, FAIL, MISSING, NA = (np.int8(s) for s in Status)


# --- thresholds -----------------------------------------------------------------------------


def industry_threshold(default: float, by_industry: dict[str, float], cols: Columns) -> np.ndarray | float:
    """The threshold per firm: the longest matching GB/T 4754 code prefix wins, else the default."""
    if not by_industry or cols.industry_input is None:
        return default
    coded = cols.coded(cols.industry_input)
    prefixes = sorted(by_industry, key=len, reverse=True)
    table = np.array(
        [next((by_industry[p] for p in prefixes if str(u).startswith(p)), default) for u in coded.uniques],
        dtype=np.float64,
    )
    return coded.lookup(table, default)


def tiered_threshold(tiers: Any, cols: Columns) -> np.ndarray:
    """Threshold from the band the firm's ``tiers.by`` value falls in (``upto`` is inclusive)."""
    by = cols.number(tiers.by)
    limits = np.array([b.upto for b in tiers.bands[:-1]], dtype=np.float64)
    limits = limits + REL_TOL * np.abs(limits) + ABS_TOL  # upto is inclusive, also of a noisy 5000.000000001
    values = np.array([b.value for b in tiers.bands], dtype=np.float64)
    index = np.searchsorted(limits, by, side="left")
    return np.where(np.isnan(by), np.nan, values[np.minimum(index, len(values) - 1)])


# --- operators --------------------------------------------------------------------------------


def numeric_status(values: np.ndarray, op: str, threshold: Any) -> np.ndarray:
    """Status of ``values op threshold`` (threshold: scalar, array, (low, high) or a list)."""
    ok, missing = OPERATORS[op].status_parts(values, threshold)
    return np.where(missing, MISSING, np.where(ok, PASS, FAIL)).astype(np.int8)


def margin(values: np.ndarray, op: str, threshold: Any) -> np.ndarray | None:
    """How far a value is on the passing side (negative: short of the threshold), in its unit."""
    measure = OPERATORS[op].margin
    return None if measure is None else measure(values, threshold)


def text_status(coded: Coded, op: str, value: Any, prefix: bool) -> np.ndarray:
    wanted = [str(v) for v in (value if isinstance(value, list) else [value])]
    if prefix:
        member = np.array([any(u.startswith(w) for w in wanted) for u in coded.uniques], dtype=bool)
    else:
        member = np.isin(coded.uniques.astype(str), wanted)
    passes = member if OPERATORS[op].members_pass else ~member
    table = np.where(passes, PASS, FAIL).astype(np.int8)
    return coded.lookup(table, MISSING)


def test_status(name: str, is_input: bool, op: str, value: Any, threshold: Any, cols: Columns) -> np.ndarray:
    """Status of one test on an input or indicator (threshold already resolved for numbers)."""
    field = cols.inputs.get(name) if is_input else None
    if field is not None and field.is_textual:
        return text_status(cols.coded(name), op, value, prefix=field.type == "industry")
    values = cols.number(name)
    if field is not None and field.type == "flag":
        threshold = 1.0 if value is True else 0.0
    return numeric_status(values, op, threshold)


def evaluate_condition(cond: Condition, cols: Columns) -> np.ndarray:
    if cond.all is not None:
        return combine([evaluate_condition(c, cols) for c in cond.all], "all")
    if cond.any is not None:
        return combine([evaluate_condition(c, cols) for c in cond.any], "any")
    if cond.not_ is not None:
        return negate(evaluate_condition(cond.not_, cols))
    if cond.missing is not None:
        name = cond.missing
        if name in cols.absent:  # the list has no such column: nobody "failed to report" it
            return np.full(cols.size, MISSING, dtype=np.int8)
        field = cols.inputs.get(name)
        missing = cols.coded(name).codes < 0 if field is not None and field.is_textual else np.isnan(cols.number(name))
        return np.where(missing, PASS, FAIL).astype(np.int8)
    name = cond.input if cond.input is not None else cond.indicator
    value = tuple(cond.value) if cond.op == "between" else cond.value
    return test_status(name, cond.input is not None, cond.op, cond.value, value, cols)


def negate(status: np.ndarray) -> np.ndarray:
    """``not``: a pass fails and a failure passes; missing stays missing, not applicable stays so."""
    return np.where(status == PASS, FAIL, np.where(status == FAIL, PASS, status)).astype(np.int8)


def combine(statuses: list[np.ndarray], how: str) -> np.ndarray:
    stacked = np.vstack(statuses)
    if how == "all":
        any_fail = (stacked == FAIL).any(axis=0)
        any_missing = (stacked == MISSING).any(axis=0)
        return np.where(any_fail, FAIL, np.where(any_missing, MISSING, PASS)).astype(np.int8)
    any_pass = (stacked == PASS).any(axis=0)
    any_missing = (stacked == MISSING).any(axis=0)
    return np.where(any_pass, PASS, np.where(any_missing, MISSING, FAIL)).astype(np.int8)
