"""Bytes -> sheets of raw cell values (row 0 = Excel row 1), after the guards have passed.

Cells keep their native types (text stays text: an 18-digit credit code or a code with a
leading zero is never turned into a float by type inference).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from ..issues.record import Issue, ScreeningError, make_issue
from . import sandbox
from .guards import FileFacts, Limits, scan_worksheets

CSV_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


@dataclass
class RawSheet:
    name: str
    rows: list[list[Any]]
    merges: list[Any] = field(default_factory=list)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def is_empty(self) -> bool:
        return not any(_filled(v) for row in self.rows for v in row)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_sheets(data: bytes, facts: FileFacts, file_name: str, limits: Limits) -> tuple[list[RawSheet], list[Issue]]:
    """Parse the workbook (in a child process) while the worksheets are scanned here; the parse is
    cancelled if the scan refuses the file."""
    if facts.kind == "csv":
        return _read_csv(data, file_name)
    reader = sandbox.IsolatedRead(data, limits.parse_seconds, limits.parse_memory) if limits.isolate else None
    try:
        facts = scan_worksheets(data, file_name, limits) if facts.kind == "xlsx" else facts
    except ScreeningError:
        if reader is not None:
            reader.cancel()
        raise
    outcome, payload = reader.result() if reader is not None else _read_here(data)
    notes = []
    if facts.formulas_without_value:
        notes.append(make_issue("formula-no-cached-value", source=file_name, value=facts.formulas_without_value))
    if outcome == "encrypted":
        raise ScreeningError([make_issue("file-encrypted", source=file_name)])
    if outcome == "timeout":
        seconds = f"{limits.parse_seconds:.0f}"
        raise ScreeningError(
            [make_issue("file-parse-failed", source=file_name, detail=f"超过 {seconds} 秒 / over {seconds} s")]
        )
    if outcome != "ok":
        raise ScreeningError([make_issue("file-parse-failed", source=file_name, detail=payload or outcome)])
    sheets = [RawSheet(name, rows, merges) for name, rows, merges in payload]
    for sheet in sheets:
        _restore_errors(sheet, facts.error_cells.get(sheet.name, {}))
    return sheets, notes


def _restore_errors(sheet: RawSheet, errors: dict[tuple[int, int], str]) -> None:
    """calamine reads error cells (#DIV/0!, #N/A) as blanks; put the error text back so it is reported."""
    for (r, c), text in errors.items():
        if r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] in ("", None):
            sheet.rows[r][c] = text


def _read_here(data: bytes) -> tuple[str, Any]:
    try:
        return "ok", sandbox.read_calamine(data)
    except sandbox.python_calamine.PasswordError:
        return "encrypted", ""
    except Exception as exc:  # parser errors become messages
        return "failed", f"{type(exc).__name__}: {exc}"[:300]


def _read_csv(data: bytes, file_name: str) -> tuple[list[RawSheet], list[Issue]]:
    text, encoding = decode_text(data, file_name)
    notes = (
        []
        if encoding == "utf-8-sig"
        else [
            make_issue("csv-encoding", source=file_name, value="GB18030 (GBK)" if encoding == "gb18030" else encoding)
        ]
    )
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [[v if v.strip() else None for v in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "csv"
    return [RawSheet(stem, rows)], notes


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK); never replace bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        order = ("utf-16",)
    else:
        order = CSV_ENCODINGS[:2]
    for encoding in order:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ScreeningError(
        [
            make_issue(
                "file-parse-failed",
                source=file_name,
                detail="无法识别的文本编码 / unknown text encoding (use UTF-8 or GBK)",
            )
        ]
    )
