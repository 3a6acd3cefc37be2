"""A firm list as it arrives (bytes of .xlsx/.xlsm/.xls/.csv, or HTML/XML saved as .xls) -> typed
firms, skipped rows and issues.

guards (size, zip directory, sheet extent) -> read (child process) -> choose the sheet (never a
hidden one unless asked) -> find the header (with its unit and 栏次 rows) -> map columns (saved
mapping, person's choices, matching) -> fill merged cells down -> sort rows into firms / non-firms
(a second table below is read on its own or refused) -> parse and validate cells. Every physical
row of the chosen sheet is accounted for: header, skipped (with a reason) or firm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..issues.record import Issue, ScreeningError, concat_issues, issues_frame, make_issue
from ..rules.fields import FieldSpec
from .guards import Limits, inspect
from .headers import SCAN_ROWS, SKIP_REASONS, Header, classify_rows, find_header
from .layout import fill_merged_down, second_table
from .mapping import Column, ColumnMapping, columns_from_header, find_column, map_columns
from .matching import recogniser
from .reading import RawSheet, read_sheets
from .saved import fingerprint, save_mapping, saved_mapping
from .text import cell_text
from .validation import parse_table

SKIPPED_COLUMNS = ["source_row", "reason_code", "reason_zh", "reason_en", "text"]
SAMPLE = 200


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
    layout: str = ""  # fingerprint of the header layout (saved mappings are keyed by it)
    extra: dict = field(default_factory=dict)

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
    remember: bool = True,
    strict_manual: bool = True,
) -> LoadedTable:
    """``manual``: a person's choices (input id or label -> column letter or header; None = no column).
    They are saved for this header layout when ``remember``; without them, a saved mapping of the same
    layout is applied (and said so)."""
    limits = limits or Limits()
    facts, notes = inspect(data, file_name, limits)
    sheets, read_notes = read_sheets(data, facts, file_name, limits)
    notes += read_notes
    chosen, header, sheet_notes = _choose_sheet(sheets, fields, sheet, file_name)
    notes += sheet_notes
    notes.append(make_issue("header-found", source=file_name, value="、".join(str(r + 1) for r in header.rows)))
    if header.unit_row is not None:
        shown = "、".join(sorted(set(header.units.values())))
        notes.append(make_issue("header-unit-row", source=file_name, row=header.unit_row + 1, value=shown))
    columns = columns_from_header(header.names, header.units)
    body = _body(chosen, header)
    body, filled = fill_merged_down(body, chosen.merges, header, columns, file_name)
    layout = fingerprint([(c.letter, c.header) for c in columns])
    manual, how, mapping_notes = _person_choices(manual, fields, layout, file_name)
    samples = {c.index: body[c.index].dropna().head(SAMPLE).tolist() for c in columns if c.index in body.columns}
    if manual:
        manual = _present(manual, columns, file_name, strict_manual)
    mapping = map_columns(columns, fields, manual, header.sheet_unit, file_name, samples, how_manual=how)
    if manual and how == "manual" and remember:
        mapping_notes.append(_save(layout, mapping, file_name, columns))
    firms, skipped_rows, cell_issues, table_notes = _firms(body, header, mapping, fields, file_name)
    issues = concat_issues(issues_frame(notes + filled + mapping_notes + mapping.issues + table_notes), cell_issues)
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
        layout=layout,
    )


def _body(sheet: RawSheet, header: Header) -> pd.DataFrame:
    """The raw cells under the header, one column per sheet column (0-based indexes)."""
    width = len(header.names)
    start = header.first_data_row
    body = pd.DataFrame(
        [row[:width] for row in sheet.rows[start:]],
        dtype=object,
        columns=range(width) if sheet.height > start else None,
    )
    return body.reindex(columns=range(width))


def _firms(body: pd.DataFrame, header: Header, mapping: ColumnMapping, fields, file_name: str):
    """Rows -> firms (parsed), skipped rows with reasons, cell issues, notes about a second table."""
    data_columns = [m.column.index for m in mapping.inputs.values() if m.column is not None]
    reasons = classify_rows(body, header, data_columns)
    start = header.first_data_row
    notes: list[Issue] = []
    parts = []
    found = second_table(body, header, reasons, mapping, fields, file_name)
    if found is not None:
        reasons, notes, extra = found.reasons, found.notes, found.firms
        parts = [extra] if extra is not None else []
    firm = reasons == ""
    rows = np.flatnonzero(firm) + start + 1
    skipped = [(r, "title-row") for r in range(header.rows[0])] + [
        (i + start, code) for i, code in enumerate(reasons) if code in SKIP_REASONS
    ]
    firms, cell_issues = parse_table(body[firm].reset_index(drop=True), rows, mapping, fields, source=file_name)
    if parts:
        firms = pd.concat([firms, *[p[0] for p in parts]], ignore_index=True).sort_values("source_row")
        firms = firms.reset_index(drop=True)
        cell_issues = concat_issues(cell_issues, *[p[1] for p in parts])
    return firms, skipped, cell_issues, notes


def _person_choices(manual, fields: Mapping[str, FieldSpec], layout: str, file_name: str):
    """A person's choices now, else the ones saved for this layout; ids or Chinese labels as keys."""
    by_label = {spec.label.zh: key for key, spec in fields.items()}
    if manual:
        resolved = {by_label.get(k, k): v for k, v in manual.items()}
        unknown = [k for k in resolved if k not in fields]
        if unknown:
            allowed = "、".join(f"{k}（{s.label.zh}）" for k, s in fields.items())
            detail = f"不认识的输入 {'、'.join(unknown)}；可用：{allowed}"
            raise ScreeningError([make_issue("mapping-file-bad", source=file_name, value="--map", detail=detail)])
        return resolved, "manual", []
    saved = saved_mapping(layout)
    if saved is None:
        return None, "manual", []
    choices = {k: v for k, v in saved.choices.items() if k in fields}
    if not choices:
        return None, "manual", []
    shown = "，".join(f"{fields[k].label.zh}→{v or '无'}" for k, v in choices.items())
    note = make_issue("mapping-applied", source=file_name, value=saved.file, saved_at=saved.saved_at, detail=shown)
    return choices, "saved", [note]


def _present(manual: Mapping[str, str | None], columns: list[Column], file_name: str, strict: bool) -> dict:
    """A person's choices whose column exists in this sheet; a missing one is an error (one file) or
    belongs to another file (several files)."""
    kept = {}
    for key, target in manual.items():
        if target is None or find_column(target, columns) is not None:
            kept[key] = target
        elif strict:
            letters = "、".join(f"{c.letter}={c.header}" for c in columns[:40])
            detail = f"{key} 指定的列 “{target}” 不存在；本表的列：{letters}"
            raise ScreeningError(
                [make_issue("mapping-file-bad", source=file_name, value=f"{key}={target}", detail=detail)]
            )
    return kept


def _save(layout: str, mapping: ColumnMapping, file_name: str, columns: list[Column]) -> Issue:
    choices = mapping.choices()
    save_mapping(layout, choices, file_name, [(c.letter, c.header) for c in columns])
    shown = "，".join(f"{k}→{v or '无'}" for k, v in choices.items() if v)
    return make_issue("mapping-saved", source=file_name, detail=shown)


def _choose_sheet(
    sheets: list[RawSheet], fields: Mapping[str, FieldSpec], wanted: str | None, file_name: str
) -> tuple[RawSheet, Header, list[Issue]]:
    names = [s.name for s in sheets]
    notes: list[Issue] = []
    if wanted is not None:
        candidates = [s for s in sheets if s.name == wanted]
        if not candidates:
            raise ScreeningError(
                [make_issue("sheet-not-found", source=file_name, value=wanted, allowed="、".join(names))]
            )
    else:
        candidates = [s for s in sheets if not s.is_empty and s.visible]
        hidden = [s.name for s in sheets if not s.visible and not s.is_empty]
        if hidden:
            notes.append(make_issue("sheet-hidden", source=file_name, value="、".join(hidden)))
        if not candidates:
            raise ScreeningError([make_issue("file-no-sheets", source=file_name)])
    recognise = recogniser(fields)
    scored = []
    for position, candidate in enumerate(candidates):
        header = find_header(candidate, recognise)
        if header is not None:
            scored.append((-header.matches, position, candidate, header))
    if not scored:
        raise ScreeningError(
            [make_issue("header-not-found", source=file_name, limit=SCAN_ROWS, column=candidates[0].name)]
        )
    _, _, chosen, header = min(scored, key=lambda item: item[:2])
    if wanted is None and len(candidates) > 1:
        others = [s.name for s in candidates if s.name != chosen.name]
        notes.append(make_issue("sheet-chosen", source=file_name, value=chosen.name, allowed="、".join(others)))
    return chosen, header, notes


def _skipped_frame(sheet: RawSheet, skipped: list[tuple[int, str]]) -> pd.DataFrame:
    records = []
    for r, code in skipped:
        zh, en = SKIP_REASONS[code]
        texts = [cell_text(v) for v in sheet.rows[r] if cell_text(v)]
        records.append((r + 1, code, zh, en, " | ".join(texts)[:80]))
    return pd.DataFrame.from_records(records, columns=SKIPPED_COLUMNS)
