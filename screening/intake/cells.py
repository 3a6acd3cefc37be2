"""Reading single cell values: numbers written as text, yes/no words, codes and categories.

Each reader takes one raw value and returns ``(value, note)`` where note says how it was read
(``"ok"``, ``"empty"``, or an issue code). Columns are read through :func:`by_unique`, which
applies a reader once per distinct value — a column of 100 k cells holding "是"/"否" costs two
calls — and spreads the answers back over the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .text import EMPTY_MARKERS, EXCEL_ERRORS, nfkc

NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PLAIN = re.compile(rf"^{NUMBER}$")
_ONE_NUMBER = re.compile(rf"^[^\d.+\-]*({NUMBER})[^\d.]*$")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
_SPACE = re.compile(r"\s+")
_MINUS = re.compile(r"[\u2212\u2012\u2013\u2010\u2011](?=[\d.])")  # minus signs NFKC leaves alone
_CELL_UNIT = re.compile(rf"^({NUMBER})(万元|亿元|千元|元|万|亿|千|万平方米|平方米|亩|公顷|吨|万吨|人|件|个)$")
FORMULA_MARKS = ("=", "@", "+=", "-=")
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
TEXT_EMPTY = EMPTY_MARKERS - {"无"}
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_PATTERN = r"[0-9A-HJ-NPQRTUWXY]{18}"
CREDIT_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)

Reader = Callable[[Any], tuple[Any, str]]


def by_unique(cells: pd.Series, reader: Reader) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``reader`` once per distinct value: (values, notes) as object arrays, row for row."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    answers = [reader(u) for u in uniques] + [(None, "empty")]
    values = np.empty(len(answers), dtype=object)
    notes = np.empty(len(answers), dtype=object)
    for i, (value, note) in enumerate(answers):
        values[i], notes[i] = value, note
    return values[codes], notes[codes]


def is_blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def number(value: Any) -> tuple[float | None, str]:
    """'1,234.5' -> 1234.5; '约120' -> 120 (cell-number-with-text); '3.5%' -> 3.5 (percent);
    '120万' -> 120 (cell-unit:万元: the cell's own unit); '−3' (U+2212) -> -3;
    '#DIV/0!' -> empty (cell-excel-error); '—' -> empty; True, '待核实' or '=cmd|…' -> cell-not-number."""
    if is_blank(value):
        return None, "empty"
    if isinstance(value, bool | np.bool_):
        return None, "cell-not-number"
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value), "ok"
    if not isinstance(value, str):
        return None, "cell-not-number"
    text = _THOUSANDS.sub("", _SPACE.sub("", nfkc(value)))
    if text.lower() in EMPTY_MARKERS:
        return None, "empty"
    if text.upper() in EXCEL_ERRORS:
        return None, "cell-excel-error"
    if text.startswith(FORMULA_MARKS):
        return None, "cell-not-number"  # =cmd|' /C calc'!A0 is a formula someone typed, never 0
    text = _MINUS.sub("-", text)
    percent = text.endswith("%")
    body = text.rstrip("%")
    if _PLAIN.match(body):
        return float(body), "percent" if percent else "ok"
    unit = _CELL_UNIT.match(body)
    if unit:
        return float(unit.group(1)), f"cell-unit:{unit.group(2)}"
    match = _ONE_NUMBER.match(body)
    if match:
        return float(match.group(1)), "cell-number-with-text"
    return None, "cell-not-number"


def flag(value: Any) -> tuple[bool | None, str]:
    """是/否, 有/无, √/×, Y/N, yes/no, true/false, 1/0 (text or number) -> True/False."""
    if is_blank(value):
        return None, "empty"
    if isinstance(value, bool | np.bool_):
        return bool(value), "ok"
    if isinstance(value, int | float | np.integer | np.floating):
        return (bool(value), "ok") if value in (0, 1) else (None, "cell-not-flag")
    word = _SPACE.sub("", nfkc(str(value))).lower()
    if word in TRUE_WORDS:
        return True, "ok"
    if word in FALSE_WORDS:
        return False, "ok"
    if word in EMPTY_MARKERS:
        return None, "empty"
    return None, "cell-not-flag"


def text(value: Any) -> tuple[str | None, str]:
    """Trimmed text with inner runs of spaces and line breaks made single; whole numbers lose '.0'."""
    if is_blank(value):
        return None, "empty"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), "ok"
    cleaned = _SPACE.sub(" ", str(value)).strip()
    if not cleaned or cleaned.lower() in TEXT_EMPTY:
        return None, "empty"
    return cleaned, "ok"


def choice(allowed: tuple[str, ...]) -> Reader:
    """A reader for a category: exact, with 类 added, without 企业, or a known synonym (规模以上 -> 规上)."""

    def read(value: Any) -> tuple[str | None, str]:
        cleaned, note = text(value)
        if cleaned is None:
            return None, note
        key = _SPACE.sub("", cleaned)
        key = CHOICE_SYNONYMS.get(key, key)
        for candidate in (key, key + "类", key.removesuffix("企业")):
            if candidate in allowed:
                return candidate, "ok"
        return None, "cell-unknown-category"

    return read


def industry_code(value: Any) -> tuple[str | None, str]:
    """'3512', 3512, 'C3512', '3512 金属加工机械' -> '3512'; two-digit division must be 01–97."""
    cleaned, note = text(value)
    if cleaned is None:
        return None, note
    match = re.match(r"^[A-Ta-t]?\s*(\d{2,4})(?:\D.*)?$", nfkc(cleaned))
    if not match or not 1 <= int(match.group(1)[:2]) <= 97:
        return None, "industry-code-unknown"
    return match.group(1), "ok"


def credit_code(value: Any) -> tuple[str | None, str]:
    """Upper-case, without spaces or dashes; a number is flagged (Excel keeps only 15 digits)."""
    if isinstance(value, str) and value.isascii() and value.isalnum():  # the usual, already clean code
        return value.upper(), "ok"
    if (
        isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool)
        and not is_blank(value)
    ):
        return f"{value:.0f}", "credit-code-as-number" if abs(value) >= 1e15 else "ok"
    cleaned, note = text(value)
    if cleaned is None:
        return None, note
    return re.sub(r"[\s\-]", "", nfkc(cleaned)).upper(), "ok"


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
