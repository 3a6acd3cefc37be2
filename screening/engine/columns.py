"""The firms' inputs and indicators as numpy arrays, converted once and shared by every rule.

Numbers become float64 (NaN where missing); texts become integer codes into their distinct
values (-1 where missing), so a test on a text column runs once per distinct value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..rules.fields import FieldSpec


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
        # inputs the list has no column for, and indicators built on them (set by the screen)
        self.absent: frozenset[str] = frozenset(name for name in inputs if name not in firms.columns)

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

    def assuming(self, name: str, value) -> Columns:
        """These columns with ``name`` (an absent input, or an indicator built on one) replaced by one
        assumed value for every firm: a gate's ``on_absent: {assume: …}``."""
        other = Columns(self.firms, self.inputs)
        other.numbers = dict(self.numbers)
        other._coded = dict(self._coded)
        other.absent = self.absent - {name}
        field = self.inputs.get(name)
        if field is not None and field.is_textual:
            other._coded[name] = Coded(np.zeros(self.size, dtype=np.int64), np.array([str(value)], dtype=object))
        else:
            other.numbers[name] = np.full(self.size, float(value))  # a flag's True/False is 1.0/0.0
        return other

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
