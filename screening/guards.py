"""Checks on an uploaded file before any parser touches it.

Measured on this kind of machine (../shared/reference/io-and-safety-notes.md): a 5 KB xlsx
with one cell at XFD1048576 makes calamine abort the whole process with an uncatchable
SIGABRT, and a 6 MB zip bomb does the same after 20 s. So: cap the upload size, read the zip
directory (declared sizes and compression ratios), and stream-scan each worksheet's XML for
the rows and columns it claims, all before parsing. Parsing itself then runs in a child
process with memory and time limits (see ``sandbox.py``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .issues import Issue, ScreeningError, make_issue

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
CHUNK = MB

_ROW_NUMBER = re.compile(rb'<row[^>]*?\sr="(\d+)"')
_FAR_COLUMN = re.compile(rb'<c\s[^>]*?r="(?:[A-Z]{3}|[A-Z]{2}(?=\d))', re.S)
_CELL_COLUMN = re.compile(rb'<c\s[^>]*?r="([A-Z]{1,3})\d')
_FORMULA_NO_VALUE = re.compile(rb"</f>(?:<v>\s*</v>|<v/>)?</c>")


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
    kind: str  # xlsx | xls | csv
    rows: int | None = None  # largest row number any worksheet claims (xlsx only)
    columns: int | None = None
    formulas_without_value: int = 0


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
    if expected != kind:
        notes.append(make_issue("file-extension-mismatch", source=file_name, value=extension, actual=kind))
    if kind == "xlsx":
        return _inspect_zip(data, file_name, limits), notes
    return FileFacts(kind=kind), notes


def sniff(data: bytes) -> str | None:
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "encrypted" if ENCRYPTED_STREAM in data else "xls"
    head = data[:4096]
    if b"\x00" in head.replace(b"\x00\x00", b"") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "csv"


def _inspect_zip(data: bytes, file_name: str, limits: Limits) -> FileFacts:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        _stop("file-corrupt", file_name)
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
    rows = columns = formulas = 0
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            r, c, f = _scan_sheet(archive, info, file_name, limits)
            rows, columns, formulas = max(rows, r), max(columns, c), formulas + f
    return FileFacts(kind="xlsx", rows=rows, columns=columns, formulas_without_value=formulas)


def _scan_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, limits: Limits
) -> tuple[int, int, int]:
    """Largest row and column a sheet's XML claims, read in bounded chunks (zipfile enforces the
    declared size, so a part that lies about its size fails here, cheaply)."""
    max_row = max_col = formulas = row_tags = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                block = tail + chunk
                for match in _ROW_NUMBER.finditer(block):
                    max_row = max(max_row, int(match.group(1)))
                if _FAR_COLUMN.search(block):
                    columns = {m.group(1) for m in _CELL_COLUMN.finditer(block)}
                    max_col = max([max_col] + [column_number(c.decode()) for c in columns])
                formulas += len(_FORMULA_NO_VALUE.findall(chunk))
                row_tags += chunk.count(b"<row")
                max_row = max(max_row, row_tags)
                if max_row > limits.max_rows or max_col > limits.max_columns:
                    break
                tail = block[-256:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        _stop("file-corrupt", file_name)
    if max_row > limits.max_rows:
        _stop("file-too-many-rows", file_name, value=max_row, limit=limits.max_rows)
    if max_col > limits.max_columns:
        _stop("file-too-many-columns", file_name, value=column_letter(max_col), limit=limits.max_columns)
    return max_row, max_col, formulas


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def column_letter(number: int) -> str:
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _stop(code: str, file_name: str, **context) -> None:
    raise ScreeningError([make_issue(code, source=file_name, **context)])
