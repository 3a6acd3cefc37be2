"""A firm list as it arrives (bytes of .xlsx/.xlsm/.xls/.csv) -> typed firms, skipped rows and issues.

guards (size, zip directory, sheet extent) -> read (child process) -> choose the sheet ->
find the header -> map columns -> sort rows into firms / non-firms -> parse and validate cells.
Every physical row of the chosen sheet is accounted for: header, skipped (with a reason) or firm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..issues.record import Issue, ScreeningError, concat_issues, issues_frame, make_issue
from ..rules.fields import FieldSpec
from .guards import Limits, inspect
from .headers import SCAN_ROWS, SKIP_REASONS, Header, classify_rows, find_header
from .mapping import Column, ColumnMapping, columns_from_header, known_names, map_columns
from .reading import RawSheet, read_sheets
from .text import cell_text
from .validation import parse_table

SKIPPED_COLUMNS = ["source_row", "reason_code", "reason_zh", "reason_en", "text"]


@dataclass
class LoadedTable:
    file_name: str
    sha256: str
    kind: str
    sheet: str
    sheet_names: list[str]
    header: Header
    physical_rows: int
    columns: list[Column]
    mapping: ColumnMapping
    firms: pd.DataFrame
    skipped: pd.DataFrame
    issues: pd.DataFrame

    def accounting(self) -> pd.DataFrame:
        """One line per physical row of the sheet: header, skipped (reason) or firm."""
        parts = [
            pd.DataFrame({"source_row": [r + 1 for r in self.header.rows], "kind": "header", "reason_code": ""}),
            pd.DataFrame(
                {
                    "source_row": self.skipped["source_row"],
                    "kind": "skipped",
                    "reason_code": self.skipped["reason_code"],
                }
            ),
            pd.DataFrame({"source_row": self.firms["source_row"], "kind": "firm", "reason_code": ""}),
        ]
        return pd.concat(parts, ignore_index=True).sort_values("source_row", ignore_index=True)

    @property
    def source_info(self) -> dict:
        return {
            "file_name": self.file_name,
            "sha256": self.sha256,
            "sheet": self.sheet,
            "header_rows": [r + 1 for r in self.header.rows],
            "physical_rows": self.physical_rows,
        }


def load_firms(
    data: bytes,
    file_name: str,
    fields: Mapping[str, FieldSpec],
    *,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
) -> LoadedTable:
    limits = limits or Limits()
    facts, notes = inspect(data, file_name, limits)
    sheets, read_notes = read_sheets(data, facts, file_name, limits)
    notes += read_notes
    chosen, header, note = _choose_sheet(sheets, fields, sheet, file_name)
    if note:
        notes.append(note)
    notes.append(make_issue("header-found", source=file_name, value="、".join(str(r + 1) for r in header.rows)))
    columns = columns_from_header(header.names)
    mapping = map_columns(columns, fields, manual, header.sheet_unit, source=file_name)
    data_columns = [m.column.index for m in mapping.inputs.values() if m.column is not None]
    width = len(header.names)
    body = pd.DataFrame(
        [row[:width] for row in chosen.rows[header.first_data_row :]],
        dtype=object,
        columns=range(width) if chosen.height > header.first_data_row else None,
    )
    body = body.reindex(columns=range(width))
    reasons = classify_rows(body, header, data_columns)
    firm = reasons == ""
    rows = np.flatnonzero(firm) + header.first_data_row + 1
    skipped_rows = [(r, "title-row") for r in range(header.rows[0])] + [
        (i + header.first_data_row, code) for i, code in enumerate(reasons) if code
    ]
    firms, cell_issues = parse_table(body[firm].reset_index(drop=True), rows, mapping, fields, source=file_name)
    issues = concat_issues(issues_frame(notes + mapping.issues), cell_issues)
    return LoadedTable(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=facts.kind,
        sheet=chosen.name,
        sheet_names=[s.name for s in sheets],
        header=header,
        physical_rows=chosen.height,
        columns=columns,
        mapping=mapping,
        firms=firms,
        skipped=_skipped_frame(chosen, skipped_rows),
        issues=issues,
    )


def _choose_sheet(
    sheets: list[RawSheet], fields: Mapping[str, FieldSpec], wanted: str | None, file_name: str
) -> tuple[RawSheet, Header, Issue | None]:
    names = [s.name for s in sheets]
    if wanted is not None:
        match = [s for s in sheets if s.name == wanted]
        if not match:
            raise ScreeningError(
                [make_issue("sheet-not-found", source=file_name, value=wanted, allowed="、".join(names))]
            )
        candidates = match
    else:
        candidates = [s for s in sheets if not s.is_empty]
        if not candidates:
            raise ScreeningError([make_issue("file-no-sheets", source=file_name)])
    known = known_names(fields)
    scored = []
    for position, sheet in enumerate(candidates):
        header = find_header(sheet, known)
        if header is None:
            continue
        matched = map_columns(columns_from_header(header.names), fields).matched
        scored.append((-matched, position, sheet, header))
    if not scored:
        raise ScreeningError(
            [make_issue("header-not-found", source=file_name, limit=SCAN_ROWS, column=candidates[0].name)]
        )
    _, _, sheet, header = min(scored, key=lambda item: item[:2])
    note = None
    if wanted is None and len(candidates) > 1:
        others = [s.name for s in candidates if s.name != sheet.name]
        note = make_issue("sheet-chosen", source=file_name, value=sheet.name, allowed="、".join(others))
    return sheet, header, note


def _skipped_frame(sheet: RawSheet, skipped: list[tuple[int, str]]) -> pd.DataFrame:
    records = []
    for r, code in skipped:
        zh, en = SKIP_REASONS[code]
        texts = [cell_text(v) for v in sheet.rows[r] if cell_text(v)]
        records.append((r + 1, code, zh, en, " | ".join(texts)[:80]))
    return pd.DataFrame.from_records(records, columns=SKIPPED_COLUMNS)
