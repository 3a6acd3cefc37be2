"""Checks on an uploaded file before any parser touches it.

Measured on this kind of machine (../shared/reference/io-and-safety-notes.md): a 5 KB xlsx
with one cell at XFD1048576 makes calamine abort the whole process with an uncatchable
SIGABRT, and a 6 MB zip bomb does the same after 20 s. So: cap the upload size, read the zip
directory (declared sizes and compression ratios), and stream-scan each worksheet's XML for
the rows and columns it claims, all before parsing. Parsing itself then runs in a child
process with memory and time limits (see ``sandbox.py``).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as DefusedET

from ..excel import column_letter, column_number
from ..issues.record import Issue, ScreeningError, make_issue
from .formats import kind_of_markup

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
CHUNK = MB
KIND_WORDS = {"html": "HTML 网页 / an HTML page", "xml2003": "Excel 2003 XML (SpreadsheetML)", "csv": "文本 / text"}

_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})\d')
_FORMULA_NO_VALUE = re.compile(rb"</f>(?:<v>\s*</v>|<v/>)?</c>")
_ERROR_CELL = re.compile(rb'<c\s([^>]*?t="e"[^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'r="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Limits:
    """Caps on what an upload may make the tool do (all configurable)."""

    max_bytes: int = 20 * MB
    max_uncompressed: int = 300 * MB
    max_ratio: float = 100.0
    ratio_floor: int = 1 * MB  # parts smaller than this may compress as well as they like
    max_rows: int = 1_000_000
    max_columns: int = 200
    parse_seconds: float = 120.0
    parse_memory: int = 4096 * MB
    isolate: bool = True  # parse in a child process


@dataclass(frozen=True)
class FileFacts:
    kind: str  # xlsx | xls | csv | html | xml2003
    rows: int | None = None  # largest row number any worksheet claims (xlsx only)
    columns: int | None = None
    formulas_without_value: int = 0
    error_cells: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # sheet -> cells


def inspect(data: bytes, file_name: str, limits: Limits) -> tuple[FileFacts, list[Issue]]:
    """What the bytes are and whether they are safe to parse; raises ScreeningError if not."""
    notes: list[Issue] = []
    if len(data) > limits.max_bytes:
        _stop("file-too-large", file_name, value=f"{len(data) / MB:.1f} MB", limit=f"{limits.max_bytes / MB:.0f} MB")
    if not data:
        _stop("file-empty", file_name)
    kind = sniff(data)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if kind == "encrypted":
        _stop("file-encrypted", file_name)
    if kind is None:
        _stop("file-type-unknown", file_name, value=extension or "?")
    expected = {"xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "csv": "csv", "txt": "csv"}.get(extension)
    if expected is None:
        _stop("file-type-unknown", file_name, value=extension or "?")
    if kind in KIND_WORDS and (kind != "csv" or expected == "xls"):
        notes.append(make_issue("file-content-kind", source=file_name, value=extension, actual=KIND_WORDS[kind]))
    elif expected != kind:
        notes.append(make_issue("file-extension-mismatch", source=file_name, value=extension, actual=kind))
    if kind == "xlsx":
        _check_zip_directory(data, file_name, limits)
    return FileFacts(kind=kind), notes


def sniff(data: bytes) -> str | None:
    """xlsx (a zip), xls or encrypted (an OLE2 container), an HTML page or SpreadsheetML 2003,
    csv (decodable text), or None."""
    markup = kind_of_markup(data[:4096])
    if markup is not None:
        return markup
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "encrypted" if ENCRYPTED_STREAM in data else "xls"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError as exc:
            if b"\n" in head[: exc.start]:
                return "csv"  # text lines first, then a bad byte: reading it says where (reading.decode_text)
            continue
        return "csv"
    return None


def _open_zip(data: bytes, file_name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError):
        _stop("file-corrupt", file_name)


def _check_zip_directory(data: bytes, file_name: str, limits: Limits) -> None:
    """Declared sizes and compression ratios, from the zip directory alone (microseconds)."""
    infos = _open_zip(data, file_name).infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        _stop("file-type-unknown", file_name, value="zip")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_uncompressed:
        _stop(
            "file-zip-bomb", file_name, value=f"{declared / MB:.0f} MB", limit=f"{limits.max_uncompressed / MB:.0f} MB"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            _stop("file-zip-bomb", file_name, value=f"{info.filename} ×{ratio:.0f}", limit=f"×{limits.max_ratio:.0f}")


def scan_worksheets(data: bytes, file_name: str, limits: Limits) -> FileFacts:
    """Stream every worksheet's XML once: the extent it claims, error cells, formulas without values.
    Raises ScreeningError when a sheet reaches beyond the row or column limit, or lies about its size."""
    archive = _open_zip(data, file_name)
    infos = archive.infolist()
    scans = {
        info.filename: _scan_sheet(archive, info, file_name, limits)
        for info in infos
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    }
    parts = _sheet_parts(archive)
    errors = {parts[part]: scan.errors for part, scan in scans.items() if scan.errors and part in parts}
    return FileFacts(
        kind="xlsx",
        rows=max((s.rows for s in scans.values()), default=0),
        columns=max((s.columns for s in scans.values()), default=0),
        formulas_without_value=sum(s.formulas for s in scans.values()),
        error_cells=errors,
    )


@dataclass
class SheetScan:
    rows: int = 0
    columns: int = 0
    formulas: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based -> "#DIV/0!"


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, limits: Limits) -> SheetScan:
    """Largest row and column a sheet's XML claims, formula cells without values and error cells,
    read in bounded chunks (zipfile enforces the declared size, so a part that lies about its size
    fails here, cheaply). calamine turns error cells into blanks, so they are picked up here."""
    scan = SheetScan()
    far_column = _far_column_pattern(limits.max_columns)
    # row numbers with at least as many digits as the limit are the only ones that can exceed it
    far_row = re.compile(rb' r="(\d{%d,})"' % len(str(limits.max_rows)))
    row_tags = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                block = tail + chunk
                for match in far_row.finditer(block):
                    scan.rows = max(scan.rows, int(match.group(1)))
                if far_column.search(block):
                    columns = {m.group(1) for m in _CELL_COLUMN.finditer(block)}
                    scan.columns = max([scan.columns] + [column_number(c.decode()) for c in columns])
                if b't="e"' in block:
                    scan.errors.update(_error_cells(block))
                if b"</f>" in chunk:
                    scan.formulas += len(_FORMULA_NO_VALUE.findall(chunk))
                row_tags += chunk.count(b"<row")
                scan.rows = max(scan.rows, row_tags)
                if scan.rows > limits.max_rows or scan.columns > limits.max_columns:
                    break
                tail = block[-512:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        _stop("file-corrupt", file_name)
    if scan.rows > limits.max_rows:
        _stop("file-too-many-rows", file_name, value=scan.rows, limit=limits.max_rows)
    if scan.columns > limits.max_columns:
        _stop("file-too-many-columns", file_name, value=column_letter(scan.columns), limit=limits.max_columns)
    return scan


def _far_column_pattern(max_columns: int) -> re.Pattern:
    """A regex that finds any cell reference beyond ``max_columns`` (cheap to search for)."""
    limit = column_letter(max_columns)
    if len(limit) > 3:  # beyond Excel's last column XFD: nothing can exceed it
        return re.compile(rb"(?!)")
    alternatives = [f"[A-Z]{{{len(limit) + 1},3}}"] if len(limit) < 3 else []
    for i, ch in enumerate(limit):
        if ch < "Z":
            alternatives.append(limit[:i] + f"[{chr(ord(ch) + 1)}-Z]" + "[A-Z]" * (len(limit) - i - 1))
    return re.compile(rb' r="(?:' + "|".join(alternatives).encode() + rb")\d")


def _error_cells(block: bytes) -> dict[tuple[int, int], str]:
    found = {}
    for match in _ERROR_CELL.finditer(block):
        ref = _REF.search(match.group(1))
        value = _VALUE.search(match.group(2))
        if ref and value:
            row, col = int(ref.group(2)) - 1, column_number(ref.group(1).decode()) - 1
            found[(row, col)] = value.group(1).decode("utf-8", "replace")
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name (xl/worksheets/sheet1.xml) -> sheet name, from workbook.xml and its rels."""
    try:
        workbook = DefusedET.fromstring(archive.read("xl/workbook.xml"))
        rels = DefusedET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, DefusedET.ParseError, ValueError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[part] = sheet.get("name", "")
    return parts


def _stop(code: str, file_name: str, **context) -> None:
    raise ScreeningError([make_issue(code, source=file_name, **context)])
