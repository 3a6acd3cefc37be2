"""Whole-column tests: operators, per-industry and tiered thresholds, all/any, missing data.

Every test answers per firm with a status code: PASS, FAIL, MISSING (the value needed is not
there) or NA (the rule does not apply). Combinations follow three-valued logic: ``all``
fails if any part fails, else is missing if any part is missing; ``any`` passes if any part
passes, else is missing if any part is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..rules.fields import FieldSpec
from ..rules.schema import Condition

PASS, FAIL, MISSING, NA = np.int8(0), np.int8(1), np.int8(2), np.int8(3)
STATUS_NAMES = {0: "pass", 1: "fail", 2: "missing", 3: "n/a"}


@dataclass(frozen=True)
class Coded:
    """A text column as integer codes into ``uniques`` (-1 = missing)."""

    codes: np.ndarray
    uniques: np.ndarray

    def lookup(self, table: np.ndarray, missing: Any) -> np.ndarray:
        """Per-firm value from a per-unique table; ``missing`` where the text is missing."""
        extended = np.append(table, np.asarray([missing], dtype=table.dtype))
        return extended[np.where(self.codes < 0, len(table), self.codes)]


class Columns:
    """The firms' inputs and computed indicators as numpy arrays, built on first use."""

    def __init__(self, firms: pd.DataFrame, inputs: dict[str, FieldSpec]):
        self.firms = firms
        self.inputs = inputs
        self.size = len(firms)
        self.numbers: dict[str, np.ndarray] = {}
        self._coded: dict[str, Coded] = {}

    def has(self, name: str) -> bool:
        return name in self.numbers or name in self.firms.columns

    def number(self, name: str) -> np.ndarray:
        if name not in self.numbers:
            if name in self.firms.columns:
                self.numbers[name] = _as_float(self.firms[name])
            else:
                self.numbers[name] = np.full(self.size, np.nan)
        return self.numbers[name]

    def coded(self, name: str) -> Coded:
        if name not in self._coded:
            if name not in self.firms.columns:
                self._coded[name] = Coded(np.full(self.size, -1, dtype=np.int64), np.array([], dtype=object))
            else:
                self._coded[name] = _factorize(self.firms[name])
        return self._coded[name]

    @cached_property
    def industry_input(self) -> str | None:
        return next((k for k, f in self.inputs.items() if f.type == "industry"), None)


def _as_float(series: pd.Series) -> np.ndarray:
    if series.dtype == np.float64:
        return series.to_numpy()
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _factorize(series: pd.Series) -> Coded:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return Coded(
            series.cat.codes.to_numpy(dtype=np.int64), series.cat.categories.astype(str).to_numpy(dtype=object)
        )
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return Coded(codes.astype(np.int64), np.asarray(uniques, dtype=object).astype(str))


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
    values = np.array([b.value for b in tiers.bands], dtype=np.float64)
    index = np.searchsorted(limits, by, side="left")
    return np.where(np.isnan(by), np.nan, values[np.minimum(index, len(values) - 1)])


# --- operators --------------------------------------------------------------------------------


def numeric_status(values: np.ndarray, op: str, threshold: Any) -> np.ndarray:
    """Status of ``values op threshold`` (threshold: scalar, array, or (low, high) for between)."""
    with np.errstate(invalid="ignore"):
        if op in ("in", "not_in"):
            member = np.isin(values, np.asarray(threshold, dtype=float))
            ok = member if op == "in" else ~member
            missing = np.isnan(values)
        elif op == "between":
            low, high = threshold
            ok = (values >= low) & (values <= high)
            missing = (
                np.isnan(values) | np.isnan(np.asarray(low, dtype=float)) | np.isnan(np.asarray(high, dtype=float))
            )
        else:
            ok = _COMPARE[op](values, threshold)
            missing = np.isnan(values) | np.isnan(np.asarray(threshold, dtype=float))
    return np.where(missing, MISSING, np.where(ok, PASS, FAIL)).astype(np.int8)


_COMPARE = {
    ">=": np.greater_equal,
    "<=": np.less_equal,
    ">": np.greater,
    "<": np.less,
    "==": np.equal,
    "!=": np.not_equal,
}


def margin(values: np.ndarray, op: str, threshold: Any) -> np.ndarray | None:
    """How far a value is on the passing side (negative: short of the threshold), in its unit."""
    if op in (">=", ">"):
        return values - threshold
    if op in ("<=", "<"):
        return threshold - values
    if op == "between":
        low, high = threshold
        return np.minimum(values - low, high - values)
    return None


def text_status(coded: Coded, op: str, value: Any, prefix: bool) -> np.ndarray:
    wanted = [str(v) for v in (value if isinstance(value, list) else [value])]
    if prefix:
        member = np.array([any(u.startswith(w) for w in wanted) for u in coded.uniques], dtype=bool)
    else:
        member = np.isin(coded.uniques.astype(str), wanted)
    passes = member if op in ("in", "==") else ~member
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
    if cond.missing is not None:
        name = cond.missing
        field = cols.inputs.get(name)
        missing = cols.coded(name).codes < 0 if field is not None and field.is_textual else np.isnan(cols.number(name))
        return np.where(missing, PASS, FAIL).astype(np.int8)
    name = cond.input if cond.input is not None else cond.indicator
    value = tuple(cond.value) if cond.op == "between" else cond.value
    return test_status(name, cond.input is not None, cond.op, cond.value, value, cols)


def combine(statuses: list[np.ndarray], how: str) -> np.ndarray:
    stacked = np.vstack(statuses)
    if how == "all":
        any_fail = (stacked == FAIL).any(axis=0)
        any_missing = (stacked == MISSING).any(axis=0)
        return np.where(any_fail, FAIL, np.where(any_missing, MISSING, PASS)).astype(np.int8)
    any_pass = (stacked == PASS).any(axis=0)
    any_missing = (stacked == MISSING).any(axis=0)
    return np.where(any_pass, PASS, np.where(any_missing, MISSING, FAIL)).astype(np.int8)
