"""Cells -> typed columns, with an issue for everything that was not clean.

Nothing is dropped and nothing is guessed silently: a cell that cannot be read becomes empty
*and* an issue with its Excel row, column and value; a cell that was read with a guess
("约120" -> 120, a fraction read as a percentage) is read *and* reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .fields import FieldSpec
from .issues import concat_issues, issues_frame, make_issue
from .mapping import ColumnMapping, MappedInput
from .text import EMPTY_MARKERS, EXCEL_ERRORS

NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_ONE_NUMBER = rf"^[^\d.+\-]*({NUMBER})[^\d.]*$"
_THOUSANDS = r"(?<=\d)[,，](?=\d{3}(?:\D|$))"
TRUE_WORDS = frozenset({"是", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "是的", "对", "已认定", "涉及"})
FALSE_WORDS = frozenset(
    {"否", "无", "×", "✗", "✘", "☐", "n", "no", "false", "f", "0", "没有", "不是", "未认定", "不涉及"}
)
CHOICE_SYNONYMS = {
    "规模以上": "规上",
    "规上企业": "规上",
    "规模以上企业": "规上",
    "规模以下": "规下",
    "规下企业": "规下",
    "规模以下企业": "规下",
}
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_PATTERN = r"[0-9A-HJ-NPQRTUWXY]{18}"
CREDIT_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
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
        data[key] = _column_values(parsed.values, spec)
        found += parsed.issues
    firms = pd.DataFrame(data)
    found += [_required(firms, fields, mapping, source), _duplicates(firms, source)]
    return firms, concat_issues(*found)


def _column_values(values: pd.Series, spec: FieldSpec):
    """Numbers as float64 (NaN missing), flags as nullable booleans, texts as objects (None missing)."""
    if spec.type == "flag":
        return values.array
    if spec.type == "number":
        return values.to_numpy(dtype=float)
    array = values.to_numpy(dtype=object)
    return np.where(pd.isna(array), None, array)


def parse_column(cells: pd.Series, rows: np.ndarray, spec: FieldSpec, mapped: MappedInput, source: str) -> Parsed:
    column = mapped.column.display if mapped.column else spec.label.zh
    label = spec.label.zh
    if spec.type == "number":
        return _numbers(cells, rows, spec, mapped, label, column, source)
    if spec.type == "flag":
        return _flags(cells, rows, label, column, source)
    if spec.type == "industry":
        return _industry(cells, rows, column, source)
    if spec.type == "id":
        return _credit_codes(cells, rows, column, source)
    return _texts(cells, rows, spec, label, column, source)


# --- helpers ------------------------------------------------------------------------------------


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
    shown = cells[mask].map(_show).tolist()
    extras = {k: np.asarray(v)[mask].tolist() for k, v in (per_row or {}).items()}
    keys = list(zip(shown, *extras.values(), strict=True))
    names = list(extras)
    rendered = {}
    for key in dict.fromkeys(keys):
        extra = dict(zip(names, key[1:], strict=True))
        rendered[key] = make_issue(code, source=source, column=column, value=key[0], **context, **extra)
    frame = issues_frame(rendered[k] for k in keys)
    frame["row"] = pd.array(rows[mask], dtype="Int64")
    return frame


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kinds(cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    types = cells.map(type)
    is_str = types.isin([str]).to_numpy()
    is_num = types.isin([int, float, np.float64, np.int64]).to_numpy()
    is_bool = types.isin([bool, np.bool_]).to_numpy()
    return is_str, is_num, is_bool


def _clean_strings(cells: pd.Series) -> pd.Series:
    return cells.astype(str).str.normalize("NFKC").str.strip().str.replace(r"\s+", "", regex=True)


# --- numbers ------------------------------------------------------------------------------------


def _numbers(cells, rows, spec: FieldSpec, mapped: MappedInput, label: str, column: str, source: str) -> Parsed:
    n = len(cells)
    values = np.full(n, np.nan)
    is_str, is_num, is_bool = _kinds(cells)
    values[is_num] = cells[is_num].astype(float).to_numpy()
    values[is_num & np.isnan(values)] = np.nan
    text = pd.Series([""] * n, dtype=object)
    text[is_str] = _clean_strings(cells[is_str])
    text = text.str.replace(_THOUSANDS, "", regex=True)
    lowered = text.str.lower()
    empty = is_str & lowered.isin(EMPTY_MARKERS).to_numpy()
    excel_error = is_str & text.str.upper().isin(EXCEL_ERRORS).to_numpy()
    percent = is_str & text.str.endswith("%").to_numpy()
    body = text.str.rstrip("%")
    plain = is_str & ~empty & body.str.fullmatch(NUMBER).fillna(False).to_numpy()
    values[plain] = body[plain].astype(float).to_numpy()
    rest = is_str & ~empty & ~excel_error & ~plain
    extracted = body[rest].str.extract(_ONE_NUMBER, expand=False)
    with_text = np.zeros(n, dtype=bool)
    with_text[np.flatnonzero(rest)[extracted.notna().to_numpy()]] = True
    values[with_text] = extracted.dropna().astype(float).to_numpy()
    not_number = (rest & ~with_text) | is_bool | ~(is_str | is_num | is_bool | cells.isna().to_numpy())
    found = [
        _issues("cell-excel-error", excel_error, cells, rows, source, label),
        _issues("cell-not-number", not_number, cells, rows, source, label),
    ]
    parsed = np.array([f"{v:g}" for v in values[with_text]], dtype=object)
    per_row = np.full(n, "", dtype=object)
    per_row[with_text] = parsed
    found.append(_issues("cell-number-with-text", with_text, cells, rows, source, label, per_row={"parsed": per_row}))
    values, notes = _percent(values, percent, spec, mapped, column, source)
    found += notes
    values = values * mapped.factor
    values, checks = _check_range(values, cells, rows, spec, label, source)
    return Parsed(pd.Series(values), found + checks)


def _percent(
    values: np.ndarray, percent: np.ndarray, spec: FieldSpec, mapped: MappedInput, column: str, source: str
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    if spec.unit != "%":
        bad = percent
        values = np.where(bad, np.nan, values)
        return values, []
    header_percent = mapped.column is not None and mapped.column.unit == "%"
    plain = ~percent & ~np.isnan(values)
    if header_percent or percent.any() or not plain.any() or np.nanmax(np.abs(values[plain])) > 1:
        return values, []
    note = make_issue("percent-as-fraction", source=source, column=mapped.column.letter, value=mapped.column.header)
    return np.where(plain, values * 100, values), [issues_frame([note])]


def _check_range(values, cells, rows, spec: FieldSpec, label: str, source: str):
    found = []
    if spec.min is not None:
        negative = values < spec.min
        found.append(_issues("value-negative", negative, pd.Series(values), rows, source, label))
        values = np.where(negative, np.nan, values)
    if spec.id in AREA_INPUTS:
        zero = values == 0
        found.append(_issues("zero-land-area", zero, pd.Series(values), rows, source, label))
        values = np.where(zero, np.nan, values)
    if spec.max is not None:
        big = values > spec.max
        found.append(
            _issues(
                "value-implausible",
                big,
                pd.Series(values),
                rows,
                source,
                label,
                unit=f" {spec.unit}" if spec.unit else "",
            )
        )
    return values, found


# --- flags, categories, codes -------------------------------------------------------------------------


def _flags(cells, rows, label: str, column: str, source: str) -> Parsed:
    n = len(cells)
    is_str, is_num, is_bool = _kinds(cells)
    result = pd.array([pd.NA] * n, dtype="boolean")
    result[is_bool] = cells[is_bool].astype(bool).to_numpy()
    numbers = cells[is_num].astype(float)
    result[np.flatnonzero(is_num)[(numbers == 1).to_numpy()]] = True
    result[np.flatnonzero(is_num)[(numbers == 0).to_numpy()]] = False
    text = _clean_strings(cells[is_str]).str.lower()
    positions = np.flatnonzero(is_str)
    result[positions[text.isin(TRUE_WORDS).to_numpy()]] = True
    result[positions[text.isin(FALSE_WORDS).to_numpy()]] = False
    known = text.isin(TRUE_WORDS | FALSE_WORDS | EMPTY_MARKERS).to_numpy()
    bad = np.zeros(n, dtype=bool)
    bad[positions[~known]] = True
    bad[np.flatnonzero(is_num)[~numbers.isin([0, 1]).to_numpy() & numbers.notna().to_numpy()]] = True
    return Parsed(pd.Series(result), [_issues("cell-not-flag", bad, cells, rows, source, label)])


def _plain_text(cells: pd.Series) -> pd.Series:
    def one(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = re.sub(r"\s+", " ", str(value)).strip()
        return None if text.lower() in EMPTY_MARKERS - {"无"} or text == "" else text

    return cells.map(one).astype(object)


def _texts(cells, rows, spec: FieldSpec, label: str, column: str, source: str) -> Parsed:
    values = _plain_text(cells)
    if not spec.values:
        return Parsed(values, [])
    uniques = values.dropna().unique()
    table = {u: _match_choice(u, spec.values) for u in uniques}
    matched = values.map(lambda v: table.get(v) if v is not None else None)
    bad = (values.notna() & matched.isna()).to_numpy()
    issue = _issues("cell-unknown-category", bad, values, rows, source, label, allowed="、".join(spec.values))
    return Parsed(matched.astype(object), [issue])


def _match_choice(text: str, allowed: tuple[str, ...]) -> str | None:
    key = re.sub(r"\s+", "", text)
    key = CHOICE_SYNONYMS.get(key, key)
    for candidate in (key, key + "类", key.removesuffix("企业")):
        if candidate in allowed:
            return candidate
    return None


def _industry(cells, rows, column: str, source: str) -> Parsed:
    values = _plain_text(cells)
    uniques = values.dropna().unique()
    table = {u: _industry_code(u) for u in uniques}
    codes = values.map(lambda v: table.get(v) if v is not None else None).astype(object)
    bad = (values.notna() & codes.isna()).to_numpy()
    return Parsed(codes, [_issues("industry-code-unknown", bad, values, rows, source, "行业代码")])


def _industry_code(text: str) -> str | None:
    match = re.match(r"^[A-Ta-t]?\s*(\d{2,4})(?:\D.*)?$", text.strip())
    if not match:
        return None
    code = match.group(1)
    return code if 1 <= int(code[:2]) <= 97 else None


def _credit_codes(cells, rows, column: str, source: str) -> Parsed:
    _, is_num, _ = _kinds(cells)
    as_number = is_num & (cells.map(lambda v: isinstance(v, int | float) and abs(v) >= 1e15)).to_numpy()
    values = _plain_text(cells)
    values = values.map(lambda v: re.sub(r"[\s\-]", "", v).upper() if isinstance(v, str) else v)
    valid = credit_code_valid(values)
    bad = (values.notna() & ~valid & ~as_number).to_numpy()
    return Parsed(
        values,
        [
            _issues("credit-code-as-number", as_number, values, rows, source, "统一社会信用代码"),
            _issues("credit-code-invalid", bad, values, rows, source, "统一社会信用代码"),
        ],
    )


def credit_code_valid(codes: pd.Series) -> pd.Series:
    """GB 32100-2015 check digit, for all codes at once (False for missing or malformed codes)."""
    ok = codes.astype("string").str.fullmatch(CREDIT_PATTERN).fillna(False).astype(bool)
    result = pd.Series(False, index=codes.index)
    if not ok.any():
        return result
    table = np.full(256, -1, dtype=np.int64)
    for i, ch in enumerate(CREDIT_CHARS):
        table[ord(ch)] = i
    raw = np.frombuffer("".join(codes[ok]).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = table[raw]
    check = (31 - (digits[:, :17] @ CREDIT_WEIGHTS) % 31) % 31
    result[ok] = check == digits[:, 17]
    return result


# --- table-level checks ----------------------------------------------------------------------------


def _required(
    firms: pd.DataFrame, fields: Mapping[str, FieldSpec], mapping: ColumnMapping, source: str
) -> pd.DataFrame:
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
