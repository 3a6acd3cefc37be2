"""Cells -> typed columns, with an issue for everything that was not clean.

Nothing is dropped and nothing is guessed silently: a cell that cannot be read becomes empty
*and* an issue with its Excel row, column and value; a cell that was read with a guess
("约120" -> 120, a fraction read as a percentage) is read *and* reported. The per-value readers
live in ``cells.py``; this module applies them to whole columns and checks the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..issues.record import concat_issues, issues_frame, make_issue, show_value
from ..rules.fields import FieldSpec
from . import cells as read
from .mapping import ColumnMapping, MappedInput
from .numbers import read_numbers
from .units import PREFIXES
from .units import factor as unit_factor

AREA_INPUTS = ("land_area", "requested_land")


@dataclass
class Parsed:
    values: pd.Series
    issues: list[pd.DataFrame]


def parse_table(
    raw: pd.DataFrame, rows: np.ndarray, mapping: ColumnMapping, fields: Mapping[str, FieldSpec], source: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw cells of the firm rows (columns = sheet column indexes) -> (typed firms frame, issues)."""
    data = {"source_row": rows}
    found: list[pd.DataFrame] = []
    for key, mapped in mapping.inputs.items():
        if mapped.column is None:
            continue
        spec = fields[key]
        cells = raw[mapped.column.index] if mapped.column.index in raw.columns else pd.Series([None] * len(raw))
        parsed = parse_column(cells.reset_index(drop=True), rows, spec, mapped, source)
        data[key] = parsed.values
        found += parsed.issues
    firms = pd.DataFrame(data)
    found += [_required(firms, fields, source), _duplicates(firms, source)]
    return firms, concat_issues(*found)


def parse_column(cells: pd.Series, rows: np.ndarray, spec: FieldSpec, mapped: MappedInput, source: str) -> Parsed:
    """One sheet column -> float64 numbers (NaN empty), nullable booleans, or texts (None empty)."""
    label = spec.label.zh
    if spec.type == "number":
        return _numbers(cells, rows, spec, mapped, label, source)
    reader = {"flag": read.flag, "industry": read.industry_code, "id": read.credit_code}.get(spec.type)
    if reader is None:
        reader = read.choice(spec.values) if spec.values else read.text
    values, notes = read.by_unique(cells, reader)
    found = [
        _issues(code, notes == code, cells, rows, source, label, allowed="、".join(spec.values or ()))
        for code in set(notes.tolist()) - {"ok", "empty"}
    ]
    if spec.type == "id":
        invalid = (notes == "ok") & ~read.credit_code_valid(pd.Series(values)).to_numpy()
        found.append(_issues("credit-code-invalid", invalid, pd.Series(values), rows, source, label))
    if spec.type == "flag":
        column = pd.array(values.tolist(), dtype="boolean")
    else:
        column = values
    return Parsed(column, found)


def _issues(
    code: str,
    mask: np.ndarray,
    cells: pd.Series,
    rows: np.ndarray,
    source: str,
    column: str,
    per_row: dict[str, np.ndarray] | None = None,
    **context,
) -> pd.DataFrame:
    """One issue per masked row; each message is rendered once per distinct (value, per-row context)."""
    if not mask.any():
        return issues_frame([])
    shown = cells[mask].map(show_value).tolist()
    extras = {k: np.asarray(v)[mask].tolist() for k, v in (per_row or {}).items()}
    keys = list(zip(shown, *extras.values(), strict=True))
    names = list(extras)
    rendered = {}
    for key in dict.fromkeys(keys):
        extra = dict(zip(names, key[1:], strict=True))
        rendered[key] = make_issue(code, source=source, column=column, value=key[0], **context, **extra)
    first = rendered[keys[0]]
    return pd.DataFrame(
        {
            "code": code,
            "severity": first.severity,
            "source": source,
            "row": pd.array(rows[mask], dtype="Int64"),
            "column": column,
            "value": [rendered[k].value for k in keys],
            "message_zh": [rendered[k].message_zh for k in keys],
            "message_en": [rendered[k].message_en for k in keys],
        }
    )


# --- numbers ------------------------------------------------------------------------------------


def _numbers(cells, rows, spec: FieldSpec, mapped: MappedInput, label: str, source: str) -> Parsed:
    values, notes = read_numbers(cells)
    factors, notes, found = _cell_units(values, notes, cells, rows, spec, mapped, label, source)
    found += [
        _issues(code, notes == code, cells, rows, source, label) for code in ("cell-excel-error", "cell-not-number")
    ]
    with_text = notes == "cell-number-with-text"
    if with_text.any():
        parsed = np.where(with_text, [f"{v:g}" for v in values], "")
        found.append(
            _issues("cell-number-with-text", with_text, cells, rows, source, label, per_row={"parsed": parsed})
        )
    values, notes_found = _percent(values, notes == "percent", spec, mapped, source)
    if spec.unit != "%":
        unexpected = notes == "percent"
        found.append(_issues("cell-percent-unexpected", unexpected, cells, rows, source, label, unit=spec.unit or "—"))
    found += notes_found
    values = values * factors
    values, checks = _check_range(values, rows, spec, label, source)
    return Parsed(values, found + checks)


def _cell_units(values, notes, cells, rows, spec: FieldSpec, mapped: MappedInput, label: str, source: str):
    """A unit written in the cell ('120万' under 元) wins over the column's: per-row factors, and an
    info issue per converted cell; a unit that does not fit the field makes the cell unreadable."""
    factors = np.full(len(values), mapped.factor)
    units = [n for n in set(notes.tolist()) if isinstance(n, str) and n.startswith("cell-unit:")]
    if not units:
        return factors, notes, []
    notes = notes.copy()
    for note in units:
        unit = note.split(":", 1)[1]
        rows_of = notes == note
        factor = unit_factor(unit, spec)
        if factor is None and unit in PREFIXES:
            factor = PREFIXES[unit] * mapped.factor  # 1.2万 under 人 = 12 000 人
        if factor is None:
            notes[rows_of] = "cell-not-number"
        else:
            factors[rows_of] = factor
            notes[rows_of] = "cell-unit"
    converted = notes == "cell-unit"
    shown = np.where(converted, [f"{v * f:g} {spec.unit}" for v, f in zip(values, factors, strict=True)], "")
    unit = mapped.unit or spec.unit or "—"
    found = [
        _issues("cell-unit-converted", converted, cells, rows, source, label, per_row={"parsed": shown}, unit=unit)
    ]
    return factors, notes, found


def _percent(
    values: np.ndarray, percent: np.ndarray, spec: FieldSpec, mapped: MappedInput, source: str
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """'3.5%' and 3.5 mean the same for a % input; a column of fractions (all ≤ 1, no % anywhere)
    is read as fractions and said so. A % sign on a non-% input makes the cell unreadable."""
    if spec.unit != "%":
        return np.where(percent, np.nan, values), []  # reported as cell-percent-unexpected
    header_percent = mapped.column is not None and mapped.column.unit == "%"
    plain = ~percent & ~np.isnan(values)
    if header_percent or percent.any() or not plain.any() or np.nanmax(np.abs(values[plain])) > 1:
        return values, []
    note = make_issue("percent-as-fraction", source=source, column=mapped.column.letter, value=mapped.column.header)
    return np.where(plain, values * 100, values), [issues_frame([note])]


def _check_range(values: np.ndarray, rows, spec: FieldSpec, label: str, source: str):
    found = []
    shown = pd.Series(values)
    if spec.min is not None:
        negative = values < spec.min
        found.append(_issues("value-negative", negative, shown, rows, source, label))
        values = np.where(negative, np.nan, values)
    if spec.id in AREA_INPUTS:
        zero = values == 0
        found.append(_issues("zero-land-area", zero, shown, rows, source, label))
        values = np.where(zero, np.nan, values)
    if spec.max is not None:
        big = values > spec.max
        found.append(
            _issues("value-implausible", big, shown, rows, source, label, unit=f" {spec.unit}" if spec.unit else "")
        )
    return values, found


# --- table-level checks ----------------------------------------------------------------------------


def required_issues(firms: pd.DataFrame, fields: Mapping[str, FieldSpec], sources: np.ndarray) -> pd.DataFrame:
    """Required values missing, each firm reported against its own file (``sources``, row for row)."""
    return concat_issues(*[_required(firms[sources == s], fields, s) for s in dict.fromkeys(sources.tolist())])


def _required(firms: pd.DataFrame, fields: Mapping[str, FieldSpec], source: str) -> pd.DataFrame:
    found = []
    rows = firms["source_row"].to_numpy()
    for key, spec in fields.items():
        if spec.required and key in firms.columns:
            missing = firms[key].isna().to_numpy()
            found.append(_issues("value-required-missing", missing, firms[key], rows, source, spec.label.zh))
    return concat_issues(*found)


def _duplicates(firms: pd.DataFrame, source: str) -> pd.DataFrame:
    found = []
    rows = firms["source_row"].to_numpy()
    keys = []
    if "credit_code" in firms.columns:
        keys.append(("credit_code", "统一社会信用代码相同", "same credit code"))
    if "name" in firms.columns:
        keys.append(("name", "企业名称相同", "same name"))
    seen = np.zeros(len(firms), dtype=bool)
    for key, zh, en in keys:
        values = firms[key]
        usable = values.notna() & ~seen if key == "name" else values.notna()
        if key == "name" and "credit_code" in firms.columns:
            usable &= firms["credit_code"].isna()
        dup = values.duplicated(keep="first") & usable
        if not dup.any():
            continue
        first = pd.Series(rows, index=values.index).groupby(values).transform("first").to_numpy()
        found.append(
            _issues(
                "duplicate-firm",
                dup.to_numpy(),
                values,
                rows,
                source,
                key,
                per_row={"first_row": first},
                detail_zh=zh,
                detail_en=en,
            )
        )
        seen |= dup.to_numpy()
    return concat_issues(*found)
