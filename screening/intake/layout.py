"""Structures under the header that real lists carry: merged cells in data columns (拟入园区 merged
over the firms applying to one park) and a second table stacked below the first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..issues.record import Issue, make_issue
from ..rules.fields import FieldSpec
from .headers import MIN_MATCHES, Header, classify_rows
from .mapping import Column, ColumnMapping, columns_from_header, map_columns
from .matching import recogniser
from .text import cell_text, normalize_label
from .validation import parse_table


def fill_merged_down(
    body: pd.DataFrame, merges: list, header: Header, columns: list[Column], source: str
) -> tuple[pd.DataFrame, list[Issue]]:
    """Copy the value of a vertically merged cell below the header into every row it covers."""
    start = header.first_data_row
    spans: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, c1) in merges:
        if r0 < start or r1 <= r0:
            continue
        for c in range(c0, c1 + 1):
            if c in body.columns:
                spans.setdefault(c, []).append((r0, r1))
    if not spans:
        return body, []
    body = body.copy()
    headers = {c.index: c.header for c in columns}
    notes = []
    for c, ranges in sorted(spans.items()):
        for r0, r1 in ranges:
            body.iloc[r0 - start + 1 : r1 - start + 1, c] = body.iat[r0 - start, c]
        shown = "、".join(f"{r0 + 1}–{r1 + 1}" for r0, r1 in ranges[:5]) + ("…" if len(ranges) > 5 else "")
        rows = sum(r1 - r0 for r0, r1 in ranges)
        notes.append(
            make_issue(
                "cells-filled-down",
                source=source,
                column=headers.get(c, str(c)),
                value=shown,
                detail=f"{rows} 格 / {rows} cells",
            )
        )
    return body, notes


@dataclass
class SecondTable:
    reasons: np.ndarray  # skip reasons for every body row ("" = a firm of the first or second table)
    notes: list[Issue]
    firms: tuple[pd.DataFrame, pd.DataFrame] | None  # the second table's (firms, cell issues), if read


def second_table(
    body: pd.DataFrame,
    header: Header,
    reasons: np.ndarray,
    mapping: ColumnMapping,
    fields: Mapping[str, FieldSpec],
    source: str,
) -> SecondTable | None:
    """A header of another table below the first (not a repeat of it): its rows are read under their
    own header when it maps the same inputs, else refused with a message. Never read under the first."""
    at = _second_header(body, reasons, mapping, fields)
    if at is None:
        return None
    start = header.first_data_row
    names = tuple(("", cell_text(v)) for v in body.iloc[at].tolist())
    columns = columns_from_header(names)
    second = map_columns(columns, fields, source=source)
    first_inputs = {k for k, m in mapping.inputs.items() if m.column is not None}
    second_inputs = {k for k, m in second.inputs.items() if m.column is not None}
    shown = " | ".join(c.header for c in columns)[:120]
    reasons = reasons.copy()
    reasons[at] = "table-header"
    rest = body.iloc[at + 1 :].reset_index(drop=True)
    if not first_inputs <= second_inputs:
        reasons[at + 1 :] = np.where(rest.isna().all(axis=1), "blank-row", "second-table")
        zh = "其列与上表不同，未读取；请把它另存为单独的工作表再读取"
        en = "its columns differ from the first table's, so it was not read; put it on a sheet of its own to read it"
        note = make_issue("table-second", source=source, row=start + at + 1, value=shown, detail_zh=zh, detail_en=en)
        return SecondTable(reasons, [note], None)
    keys = tuple(tuple(normalize_label(v) for _, v in names) for _ in (0,))
    inner = Header((start + at,), names, header.sheet_unit, len(second_inputs), keys, (tuple(body.iloc[at]),))
    data_columns = [m.column.index for m in second.inputs.values() if m.column is not None]
    inner_reasons = classify_rows(rest, inner, data_columns)
    reasons[at + 1 :] = np.where(inner_reasons == "", "", inner_reasons)
    firm = inner_reasons == ""
    rows = np.flatnonzero(firm) + start + at + 2
    parsed = parse_table(rest[firm].reset_index(drop=True), rows, second, fields, source=source)
    zh, en = "已按它自己的表头读取", "it was read under its own header"
    notes = [make_issue("table-second", source=source, row=start + at + 1, value=shown, detail_zh=zh, detail_en=en)]
    taken = reasons.copy()
    taken[at + 1 :] = np.where(inner_reasons == "", "second-firm", inner_reasons)
    return SecondTable(taken, notes + second.issues, parsed)


def _second_header(body, reasons, mapping: ColumnMapping, fields) -> int | None:
    """The first row whose number columns hold words, and which names at least two fields."""
    numeric = [
        m.column.index
        for key, m in mapping.inputs.items()
        if m.column is not None and fields[key].type == "number" and m.column.index in body.columns
    ]
    if len(numeric) < 2:
        return None
    wordy = np.zeros(len(body), dtype=np.int64)
    for c in numeric:
        column = body[c]
        text = column.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if text.any():
            wordy[text] += ~column[text].astype(str).str.contains(r"\d", regex=True).to_numpy(dtype=bool)
    candidates = np.flatnonzero((wordy >= 2) & (reasons != "repeated-header"))
    recognise = recogniser(fields)
    for i in candidates:
        cells = [cell_text(v) for v in body.iloc[i].tolist()]
        if sum(1 for t in cells if t and recognise(t)) >= MIN_MATCHES:
            return int(i)
    return None
