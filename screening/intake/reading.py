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
DELIMITERS = (",", "\t", ";", "|")


@dataclass
class RawSheet:
    name: str
    rows: list[list[Any]]
    merges: list[Any] = field(default_factory=list)
    visible: bool = True

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
    sheets = [RawSheet(name, rows, merges, visible) for name, rows, merges, visible in payload]
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
        return "ok", sandbox.read_any(data)
    except sandbox.python_calamine.PasswordError:
        return "encrypted", ""
    except Exception as exc:  # parser errors become messages
        return "failed", f"{type(exc).__name__}: {exc}"[:300]


def _read_csv(data: bytes, file_name: str) -> tuple[list[RawSheet], list[Issue]]:
    text, encoding = decode_text(data, file_name)
    notes = []
    if encoding != "utf-8-sig":
        shown = "GB18030 (GBK)" if encoding == "gb18030" else encoding.upper()
        notes.append(make_issue("csv-encoding", source=file_name, value=shown))
    delimiter = sniff_delimiter(text)
    rows = [[v if v.strip() else None for v in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "csv"
    return [RawSheet(stem, rows)], notes


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number of fields (two or more), so a
    title line above the header does not mislead it (tab, semicolon, comma, |)."""
    lines = [line for line in text[:65536].splitlines()[:200] if line.strip()]
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        common = max(set(widths), key=widths.count, default=1)
        count = widths.count(common) if common > 1 else 0
        if count > best_count:
            best, best_count = delimiter, count
    return best


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """UTF-16 by its byte-order mark; else UTF-8 (with or without BOM), then GB18030 (a superset of GBK).
    Never replaces bytes. A file that is UTF-8 up to some point and then not (cut off, or another
    encoding pasted in) is refused with the byte offset, not read as GB18030 mojibake."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            _undecodable(file_name, exc.start, ("UTF-16",), truncated=exc.end >= len(data))
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    truncated = utf8_error.end >= len(data) and "end of data" in utf8_error.reason
    if truncated or not data[: utf8_error.start].isascii():  # real UTF-8 before the bad byte: not GBK
        _undecodable(file_name, utf8_error.start, ("UTF-8",), truncated=truncated)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        _undecodable(file_name, exc.start, ("UTF-8", "GB18030"), truncated=exc.end >= len(data))
    raise AssertionError("unreachable")


def _undecodable(file_name: str, offset: int, tried: tuple[str, ...], truncated: bool) -> None:
    if truncated:
        zh, en = "文件末尾不完整，可能被截断", "the end of the file is incomplete, it may be cut off"
    else:
        zh, en = "文件可能混用了两种编码", "the file may mix two encodings"
    raise ScreeningError(
        [
            make_issue(
                "text-encoding-failed",
                source=file_name,
                offset=offset,
                tried="、".join(tried),
                detail_zh=zh,
                detail_en=en,
            )
        ]
    )
