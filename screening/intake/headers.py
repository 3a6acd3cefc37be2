"""Find the header in a messy sheet and sort the rows under it into firms and non-firms.

Real lists carry a title ("XX区拟入园企业情况表"), a "填报单位/单位：万元" line, sometimes a
two-row header (a merged group such as 经济指标 over its sub-columns), totals (合计/小计),
notes (注：…), blank lines and the header repeated on every printed page. The header is the
row — or pair of rows — in the first 30 whose cells name the most known fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .reading import RawSheet
from .text import cell_text, normalize_label
from .units import read_unit

SCAN_ROWS = 30
LOOK_BELOW = 3  # rows examined below the best header found so far
LEADING_COLUMNS = 4  # totals and notes are written in the first columns
MIN_MATCHES = 2
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "总合计", "全区合计", "全县合计", "全市合计")
NOTE_PREFIXES = (
    "注:",
    "注：",
    "注1",
    "说明",
    "填表说明",
    "备注:",
    "备注：",
    "填报人",
    "审核人",
    "制表人",
    "制表",
    "单位负责人",
    "联系人",
    "填报日期",
    "数据来源",
    "资料来源",
    "统计负责人",
)
_NOTE_KEYS = tuple(normalize_label(p) for p in NOTE_PREFIXES)
_SHEET_UNIT = re.compile(r"(?:金额)?单位[:：]\s*([^\s,，;；()（）]+)")

SKIP_REASONS = {
    "title-row": ("表头上方的标题或说明行", "title or note above the header"),
    "blank-row": ("空行", "blank row"),
    "total-row": ("合计/小计行", "total or subtotal row"),
    "note-row": ("注释或签字行", "note or signature row"),
    "repeated-header": ("重复的表头行", "repeated header row"),
    "no-data-row": ("除序号外没有任何数据", "no data besides a serial number"),
    "part-row": ("“其中”分项行（已含在上一行中）", "a breakdown row (其中…), already in the row above"),
    "second-table": ("下方另一张表的行（未读取）", "a row of a second table below (not read)"),
    "table-header": ("下方另一张表的表头", "the header of a second table below"),
}
PART_PREFIXES = ("其中", "#", "在总计中", "其中:")
COLUMN_NUMBER_WORDS = frozenset("甲乙丙丁戊己庚辛")
Recognise = Callable[[str], bool]


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # 0-based physical rows that form the header
    names: tuple[tuple[str, str], ...]  # (group, name) per column; group "" for one-row headers
    sheet_unit: str | None
    matches: int
    keys: tuple[tuple[str, ...], ...] = ()  # each header row's cells as normalised text
    raw: tuple[tuple, ...] = ()  # each header row's cells as they are
    units: dict[int, str] = field(default_factory=dict)  # column index -> unit, from a separate unit row
    unit_row: int | None = None  # 0-based

    def repeats(self, row: list) -> bool:
        """Is this data row one of the header rows again (a printed page break)?"""
        cells = [normalize_label(cell_text(v)) for v in row]
        for keys in self.keys:
            wanted = [(i, k) for i, k in enumerate(keys) if k]
            same = sum(1 for i, k in wanted if i < len(cells) and cells[i] == k)
            if wanted and same >= max(2, (len(wanted) + 1) // 2):
                return True
        return False

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1


def find_header(sheet: RawSheet, recognise: Recognise) -> Header | None:
    """The best-matching header in the first rows; a two-row header only if it beats its lower row
    alone. A unit row (计量单位 …) and a 栏次 row (甲 乙 1 2 3 …) right below belong to the header."""
    limit = min(SCAN_ROWS, sheet.height)
    width = max((len(r) for r in sheet.rows[: limit + 1]), default=0)
    singles = [[("", cell_text(v)) for v in _padded(sheet.rows[r], width)] for r in range(min(limit + 1, sheet.height))]
    single_scores = [_matches(names, recognise) for names in singles]
    best: Header | None = None
    for r in range(limit):
        if best is not None and r > best.rows[-1] + LOOK_BELOW:
            break  # a header is contiguous: rows far below the best one are data
        candidates = [((r,), singles[r], single_scores[r])]
        if r + 1 < len(singles):
            names = _pair(sheet, r, width)
            score = _matches(names, recognise)
            if score > single_scores[r + 1]:
                candidates.append(((r, r + 1), names, score))
        for rows, names, score in candidates:
            if score >= MIN_MATCHES and (best is None or score > best.matches):
                best = Header(rows, tuple(names), None, score)
    if best is None:
        return None
    rows, units, unit_row = _header_parts_below(sheet, best.rows)
    keys = tuple(tuple(normalize_label(cell_text(v)) for v in sheet.rows[r]) for r in best.rows)
    raw = tuple(tuple(sheet.rows[r]) for r in best.rows)
    sheet_unit = _sheet_unit(sheet.rows[: best.rows[0]])
    return Header(rows, best.names, sheet_unit, best.matches, keys, raw, units, unit_row)


def _header_parts_below(sheet: RawSheet, rows: tuple[int, ...]) -> tuple[tuple[int, ...], dict[int, str], int | None]:
    """Extend the header by a unit row and a 栏次 row directly below it (in either order)."""
    units: dict[int, str] = {}
    unit_row = None
    below = rows[-1] + 1
    while below < sheet.height:
        row = sheet.rows[below]
        found = _unit_row(row)
        if found and not units:
            units, unit_row = found, below
        elif not _column_numbers(row):
            break
        rows = (*rows, below)
        below += 1
    return rows, units, unit_row


def _unit_row(row: list) -> dict[int, str] | None:
    """计量单位 | 万元 | 亩 | 人 …: most filled cells are units (a label such as 单位 may lead)."""
    texts = {c: cell_text(v) for c, v in enumerate(row) if cell_text(v)}
    units = {c: read_unit(t) for c, t in texts.items()}
    found = {c: u for c, u in units.items() if u is not None and not u.isdigit()}
    labels = [t for c, t in texts.items() if c not in found]
    if len(found) < 2 or any(
        not normalize_label(t).startswith(("单位", "计量单位", "栏次", "甲", "乙")) for t in labels
    ):
        return None
    return found


def _column_numbers(row: list) -> bool:
    """栏次 row: 甲 乙 丙 … then 1 2 3 … (or only numbers counting up from 1)."""
    texts = [normalize_label(cell_text(v)) for v in row if cell_text(v)]
    if len(texts) < 3:
        return False
    words = [t for t in texts if t in COLUMN_NUMBER_WORDS or t == "栏次"]
    numbers = [t for t in texts if t.isdigit()]
    if len(words) + len(numbers) != len(texts) or not numbers:
        return False
    return [int(t) for t in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))


def _padded(row: list, width: int) -> list:
    return list(row) + [""] * (width - len(row))


def _pair(sheet: RawSheet, r: int, width: int) -> list[tuple[str, str]]:
    top = [cell_text(v) for v in _padded(sheet.rows[r], width)]
    sub = [cell_text(v) for v in _padded(sheet.rows[r + 1], width)]
    filled = _fill_merged(top, sheet.merges, r)
    if filled == top:  # no merge information (CSV): carry a group label right over its sub-columns
        for c in range(1, width):
            if not filled[c] and sub[c] and filled[c - 1] and sub[c - 1]:
                filled[c] = filled[c - 1]
    return [(t if s else "", s or t) for t, s in zip(filled, sub, strict=True)]


def _fill_merged(cells: list[str], merges: list, row: int) -> list[str]:
    out = list(cells)
    for (r0, c0), (r1, c1) in merges:
        if r0 <= row <= r1 and c0 < len(out):
            for c in range(c0, min(c1 + 1, len(out))):
                out[c] = out[c] or cells[c0]
    return out


def _matches(names: list[tuple[str, str]], recognise: Recognise) -> int:
    return sum(1 for _, name in names if name and recognise(name))


def _sheet_unit(rows: list[list]) -> str | None:
    for row in rows:
        for value in row:
            match = _SHEET_UNIT.search(normalize_label(cell_text(value)))
            if match and read_unit(match.group(1)):
                return read_unit(match.group(1))
    return None


def classify_rows(body: pd.DataFrame, header: Header, data_columns: list[int]) -> np.ndarray:
    """The rows under the header (a frame of raw cells) -> skip reason per row, "" for a firm row.

    Whole columns at a time: blank rows, notes (注：…), totals (合计/小计 in the first columns),
    repeated header rows, and rows with nothing in any mapped column (a lone serial number).
    """
    size = len(body)
    reasons = np.full(size, "", dtype=object)
    if size == 0:
        return reasons
    texts = pd.DataFrame({c: _normalised(body[c]) for c in body.columns[:LEADING_COLUMNS]})
    first = pd.Series("", index=body.index, dtype=object)
    for column in reversed(list(texts.columns)):  # the first non-empty of the leading cells
        first = texts[column].where(texts[column].notna(), first)
    total = (texts.isin(TOTAL_WORDS) | texts.apply(lambda col: col.str.startswith(TOTAL_WORDS[:3], na=False))).any(
        axis=1
    )
    repeated = np.zeros(size, dtype=bool)
    for i in np.flatnonzero(_header_like(body, header)):
        repeated[i] = header.repeats(body.iloc[i].tolist())
    no_data = (
        body[[c for c in data_columns if c in body.columns]].isna().all(axis=1).to_numpy()
        if data_columns
        else np.zeros(size, dtype=bool)
    )
    checks = [
        ("no-data-row", no_data),
        ("repeated-header", repeated),
        ("total-row", total.to_numpy()),
        ("note-row", first.str.startswith(_NOTE_KEYS, na=False).to_numpy()),
        ("part-row", first.str.startswith(PART_PREFIXES, na=False).to_numpy()),
        ("blank-row", body.isna().all(axis=1).to_numpy()),
    ]
    for code, mask in checks:  # later checks win: a blank row is blank before anything else
        reasons[mask] = code
    return reasons


def _header_like(body: pd.DataFrame, header: Header) -> np.ndarray:
    """Rows where at least two cells equal the header's own cells (cheap; confirmed by Header.repeats)."""
    maybe = np.zeros(len(body), dtype=bool)
    for raw in header.raw:
        same = np.zeros(len(body), dtype=np.int64)
        labelled = [(c, v) for c, v in enumerate(raw) if c in body.columns and isinstance(v, str) and v.strip()]
        for c, value in labelled[:4]:  # a repeated header repeats them all; four are enough to notice
            same += body[c].eq(value).to_numpy(dtype=bool)
        maybe |= same >= 2
    return maybe


def _normalised(column: pd.Series) -> pd.Series:
    """A column's cells as header-like keys (NFKC, no spaces, lower case); NaN where empty or not text
    (a number is never a total or a note). Vectorised string methods over the text cells only."""
    out = pd.Series(np.nan, index=column.index, dtype=object)
    texts = column[column.map(type).eq(str)] if column.dtype == object else column.iloc[:0]
    if len(texts):
        keys = texts.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.strip("*※★:：?？").str.lower()
        out[keys.index] = keys.where(keys != "", np.nan)
    return out
