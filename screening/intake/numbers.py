"""A column of cells -> numbers, column-wise first.

Real lists rarely repeat a number, so reading every distinct value in Python costs one call per
cell. Instead the whole column goes through ``pandas.to_numeric`` (C); only the cells it cannot
read — text with commas, units, full-width digits, percent signs, other minus signs, words — go
to the per-cell reader (:func:`cells.number`), once per distinct value. Every note the per-cell
reader gives is kept, so the issues are the same as reading every cell by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import cells as read

NUMERIC_KINDS = ("floating", "integer", "mixed-integer-float", "empty")


def read_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values as float64 with NaN for empty or unreadable, notes per cell: ok | empty | percent |
    cell-unit:<unit> | an issue code)."""
    kind = pd.api.types.infer_dtype(cells, skipna=True)
    raw = cells.to_numpy(dtype=object)
    if kind in NUMERIC_KINDS:
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float)
        return values, np.where(np.isnan(values), "empty", "ok").astype(object)
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    blank = pd.isna(cells).to_numpy()
    odd = np.isnan(values) | ~np.isfinite(values)
    if kind in ("mixed", "boolean", "mixed-integer"):
        odd |= np.fromiter((isinstance(v, bool | np.bool_) for v in raw), dtype=bool, count=len(raw))
    odd &= ~blank
    notes = np.where(blank, "empty", "ok").astype(object)
    values = np.where(odd | blank, np.nan, values)
    if odd.any():
        subset = cells[odd]
        slow_values, slow_notes = read.by_unique(subset, read.number)
        values[odd] = np.array([np.nan if v is None else v for v in slow_values.tolist()], dtype=float)
        notes[odd] = slow_notes
    return values, notes
