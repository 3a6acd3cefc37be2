"""Files that say they are Excel but are something else, as systems really export them:
an HTML page with a table, or SpreadsheetML 2003 (XML), saved with an .xls name.

Both are read into the same shape as calamine's sheets: (name, rows, merged ranges, visible).
Run inside the isolated parser (sandbox.py); lxml parses HTML without network access or
entities, and SpreadsheetML goes through defusedxml.
"""

from __future__ import annotations

import contextlib
from typing import Any

from defusedxml import ElementTree as DefusedET

SS = "urn:schemas-microsoft-com:office:spreadsheet"
Sheet = tuple[str, list[list[Any]], list[Any], bool]


def kind_of_markup(head: bytes) -> str | None:
    """'html' or 'xml2003' from the first bytes (any encoding that keeps ASCII), else None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        return "html"
    return None


def read_html(data: bytes) -> list[Sheet]:
    """Every <table> as a sheet, colspan/rowspan kept as merged ranges."""
    import lxml.html

    root = lxml.html.document_fromstring(data)
    sheets = []
    for number, table in enumerate(root.iter("table"), start=1):
        rows, merges = _grid([[_html_cell(c) for c in tr.iter("td", "th")] for tr in table.iter("tr")])
        if rows:
            sheets.append((f"表{number}", rows, merges, True))
    return sheets


def _html_cell(cell) -> tuple[str | None, int, int]:
    text = " ".join(cell.text_content().split())
    return text or None, int(cell.get("colspan", 1) or 1), int(cell.get("rowspan", 1) or 1)


def _grid(rows: list[list[tuple[Any, int, int]]]) -> tuple[list[list[Any]], list[Any]]:
    """Cells with spans -> a rectangular grid; a span's value sits in its top-left cell."""
    grid: dict[tuple[int, int], Any] = {}
    occupied: set[tuple[int, int]] = set()
    merges = []
    for r, cells in enumerate(rows):
        c = 0
        for value, across, down in cells:
            while (r, c) in occupied:
                c += 1
            across, down = max(1, min(across, 200)), max(1, min(down, 10_000))
            for dr in range(down):
                for dc in range(across):
                    occupied.add((r + dr, c + dc))
            grid[(r, c)] = value
            if across > 1 or down > 1:
                merges.append(((r, c), (r + down - 1, c + across - 1)))
            c += across
    height = max((r for r, _ in occupied), default=-1) + 1
    width = max((c for _, c in occupied), default=-1) + 1
    table = [[grid.get((r, c)) for c in range(width)] for r in range(height)]
    return table, merges


def read_spreadsheetml(data: bytes) -> list[Sheet]:
    """Excel 2003 XML: Worksheet/Table/Row/Cell/Data, with ss:Index, MergeAcross/MergeDown, hidden sheets."""
    root = DefusedET.fromstring(data)
    sheets = []
    for sheet in root.iter(f"{{{SS}}}Worksheet"):
        rows = []
        for row in sheet.iter(f"{{{SS}}}Row"):
            rows.append([_xml_cell(cell) for cell in row.iter(f"{{{SS}}}Cell")])
        grid, merges = _grid_with_index(rows)
        visible = not any(
            (v.text or "").strip() in ("SheetHidden", "SheetVeryHidden")
            for v in sheet.iter("{urn:schemas-microsoft-com:office:excel}Visible")
        )
        sheets.append((sheet.get(f"{{{SS}}}Name", "Sheet"), grid, merges, visible))
    return sheets


def _xml_cell(cell) -> tuple[Any, int, int, int | None]:
    data = cell.find(f"{{{SS}}}Data")
    value: Any = None
    if data is not None and data.text is not None:
        value = data.text
        if data.get(f"{{{SS}}}Type") == "Number":
            with contextlib.suppress(ValueError):
                value = float(data.text)
    index = cell.get(f"{{{SS}}}Index")
    across = int(cell.get(f"{{{SS}}}MergeAcross", 0)) + 1
    down = int(cell.get(f"{{{SS}}}MergeDown", 0)) + 1
    return value, across, down, int(index) - 1 if index else None


def _grid_with_index(rows: list[list[tuple[Any, int, int, int | None]]]) -> tuple[list[list[Any]], list[Any]]:
    """SpreadsheetML skips empty cells with ss:Index; turn that into explicit blanks, then spans."""
    spanned = []
    for cells in rows:
        out: list[tuple[Any, int, int]] = []
        position = 0
        for value, across, down, index in cells:
            if index is not None and index > position:
                out += [(None, 1, 1)] * (index - position)
                position = index
            out.append((value, across, down))
            position += across
        spanned.append(out)
    return _grid(spanned)
