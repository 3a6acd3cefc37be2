"""Parse a workbook in a separate process with an address-space limit and a timeout.

calamine is fast, but a hostile file can make it abort the whole process (an uncatchable
SIGABRT, measured on this kind of machine) or allocate gigabytes. Running the parser as
``python -m screening.intake.sandbox`` keeps the caller — the app server — alive whatever the file
does: only the child dies, and the caller turns that into a plain message. The child reads
the file from stdin and writes JSON (plain values only) to stdout.
This module imports nothing heavy: it is what the child runs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import python_calamine

from . import formats

Sheets = list[tuple[str, list[list[Any]], list[Any], bool]]
ROOT = Path(__file__).resolve().parents[2]


def read_any(data: bytes) -> Sheets:
    """An HTML page or SpreadsheetML 2003 saved as .xls by its markup, anything else by calamine."""
    kind = formats.kind_of_markup(data[:4096])
    if kind == "html":
        return formats.read_html(data)
    if kind == "xml2003":
        return formats.read_spreadsheetml(data)
    return read_calamine(data)


def read_calamine(data: bytes) -> Sheets:
    """Every worksheet as (name, rows from Excel row 1 and column A, merged ranges, visible)."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in workbook.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        rows = [
            [None if isinstance(v, str) and not v.strip() else v for v in row]
            for row in sheet.to_python(skip_empty_area=False)
        ]
        merges = [[list(a), list(b)] for a, b in (sheet.merged_cell_ranges or [])]
        sheets.append((meta.name, rows, merges, meta.visible == python_calamine.SheetVisibleEnum.Visible))
    return sheets


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


class IsolatedRead:
    """The parse running in a child process; the caller may do other work, then ask for the result
    (or cancel it, when the guards it ran meanwhile refused the file)."""

    def __init__(self, data: bytes, seconds: float, memory: int):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "screening.intake.sandbox", str(memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        self.answer: tuple[str, Any] = ("crashed", "no answer")
        self.thread = threading.Thread(target=self._talk, args=(data, seconds), daemon=True)
        self.thread.start()

    def _talk(self, data: bytes, seconds: float) -> None:
        try:
            out, _ = self.process.communicate(data, timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            self.answer = ("timeout", "")
            return
        except (BrokenPipeError, OSError, ValueError):
            out = b""
        self.answer = _interpret(self.process.returncode, out)

    def cancel(self) -> None:
        self.process.kill()
        self.thread.join(10)

    def result(self) -> tuple[str, Any]:
        self.thread.join()
        return self.answer


def _interpret(returncode: int, out: bytes) -> tuple[str, Any]:
    if returncode != 0 or not out:
        return "crashed", f"exit code {returncode}"
    try:
        answer = json.loads(out)
    except ValueError:
        return "crashed", "unreadable answer"
    if answer["status"] == "ok":
        return "ok", [
            (name, rows, [tuple(map(tuple, m)) for m in merges], visible)
            for name, rows, merges, visible in answer["sheets"]
        ]
    return answer["status"], answer.get("detail", "")


def main() -> int:
    memory = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data = sys.stdin.buffer.read()
    try:
        answer = {"status": "ok", "sheets": read_any(data)}
    except python_calamine.PasswordError:
        answer = {"status": "encrypted"}
    except MemoryError:
        answer = {"status": "failed", "detail": "out of memory / 内存不足"}
    except Exception as exc:  # any parser failure becomes a message, never a crash of the caller
        answer = {"status": "failed", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    text = json.dumps(answer, ensure_ascii=False, default=_plain, check_circular=False, separators=(",", ":"))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
