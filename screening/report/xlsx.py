"""The Excel workbook for the leadership meeting: shortlist, all firms, issues, rules, how to read it.

Safety: every text cell is written as text (XlsxWriter ``strings_to_formulas`` off; the bulk rows
as inline strings by ``xlsx_rows``), so a firm named ``=HYPERLINK(...)`` never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from ..engine.result import Result
from ..vocabulary import Decision
from .guide import guide_lines
from .rules_sheet import rules_blocks
from .tables import all_firms_frame, issues_frame_for_export, shortlist_frame
from .words import WORDS
from .xlsx_rows import splice_rows


def write_xlsx(result: Result, lang: str = "zh", run_time: str | None = None) -> bytes:
    run_time = run_time or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buffer, options)
    styles = _styles(book)
    names = WORDS[lang]["sheets_evaluation" if result.is_evaluation else "sheets"]
    park = result.ruleset.model.park.name.get(lang)
    tables = [
        (names[0], shortlist_frame(result, lang), f"{park} · {names[0]}", True),
        (names[1], all_firms_frame(result, lang), f"{park} · {names[1]}", True),
        (names[2], issues_frame_for_export(result, lang), f"{park} · {names[2]}", False),
    ]
    rest = {}
    for number, (name, frame, title, decorate) in enumerate(tables, start=1):
        _write_table(book, name, frame, styles, lang, title, decorate)
        rest[f"xl/worksheets/sheet{number}.xml"] = (frame.iloc[1:], 3)  # rows after the first data row
    _write_blocks(book, names[3], rules_blocks(result, lang, run_time), styles)
    _write_lines(book, names[4], guide_lines(result, lang), styles)
    book.close()
    return splice_rows(buffer.getvalue(), rest)


def _styles(book) -> dict[str, Any]:
    return {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        "title": book.add_format({"bold": True, "font_size": 13}),
        "bold": book.add_format({"bold": True}),
        "text": book.add_format({"text_wrap": False}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "book": book,
        "numbers": {},
        "admit": book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "review": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "reject": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "graded": book.add_format({"bg_color": "#DDEBF7", "font_color": "#1F4E78"}),
        "not_scored": book.add_format({"bg_color": "#EDEDED", "font_color": "#595959"}),
    }


def _write_table(
    book, name: str, frame: pd.DataFrame, styles: dict, lang: str, page_title: str, decorate: bool = True
) -> None:
    sheet = book.add_worksheet(name)
    words = WORDS[lang]
    sheet.set_row(0, 48)
    sheet.write_row(0, 0, list(frame.columns), styles["header"])
    digits = frame.attrs.get("digits", {})
    formats = [_number_format(column, frame[column], styles, digits) for column in frame.columns]
    for c, column in enumerate(frame.columns):
        sheet.set_column(c, c, _width(column, frame[column]), formats[c])
    for values in _rows(frame.head(1)):  # the first data row; xlsx_rows adds the others in its style
        for c, value in enumerate(values):
            if value is None:
                sheet.write_blank(1, c, None, formats[c])
            else:
                sheet.write(1, c, value, formats[c])
    last_row, last_col = len(frame), max(len(frame.columns) - 1, 0)
    sheet.freeze_panes(1, 2 if decorate else 0)
    sheet.autofilter(0, 0, max(last_row, 1), last_col)
    if decorate and len(frame):
        _decorate(sheet, frame, words, lang, styles, last_row)
    sheet.set_landscape()
    sheet.set_paper(8 if len(frame.columns) > 12 else 9)  # A3 for wide tables, else A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f'&L&"-,Bold"{_escape_header(page_title)}&R&D')
    sheet.set_footer("&C&P / &N")


def _decorate(sheet, frame: pd.DataFrame, words: dict, lang: str, styles: dict, last_row: int) -> None:
    columns = list(frame.columns)
    if words["decision"] in columns:
        c = columns.index(words["decision"])
        for key in ("admit", "review", "reject", "graded", "not_scored"):
            sheet.conditional_format(
                1,
                c,
                last_row,
                c,
                {"type": "cell", "criteria": "==", "value": f'"{Decision(key).label(lang)}"', "format": styles[key]},
            )
    if words["total"] in columns:
        c = columns.index(words["total"])
        sheet.conditional_format(
            1,
            c,
            last_row,
            c,
            {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True, "min_type": "num", "min_value": 0},
        )


def _rows(frame: pd.DataFrame):
    data = frame.astype(object).where(frame.notna(), None)
    for values in data.itertuples(index=False, name=None):
        yield [None if isinstance(v, float) and not np.isfinite(v) else v for v in values]


def _number_format(column: str, series: pd.Series, styles: dict, digits: dict[str, int]):
    """Text stays text; numbers get the decimals their indicator declares (2 when nothing says)."""
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return styles["text"]
    places = digits.get(column, 2)
    if places not in styles["numbers"]:
        styles["numbers"][places] = styles["book"].add_format(
            {"num_format": "#,##0" + ("." + "0" * places if places else "")}
        )
    return styles["numbers"][places]


def _width(column: str, series: pd.Series) -> float:
    sample = [str(column)[:24]] + [str(v) for v in series.head(50) if v is not None]
    widest = max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text) for text in sample)
    limit = 60 if str(column) in ("原因", "Reasons", "说明", "Message") else 28
    return min(max(widest + 2, 8), limit)


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def _write_blocks(book, name: str, blocks: list[tuple[str, pd.DataFrame]], styles: dict) -> None:
    sheet = book.add_worksheet(name)
    row = 0
    widths: dict[int, float] = {}
    for title, frame in blocks:
        if title:
            sheet.write(row, 0, title, styles["title"])
            row += 1
        sheet.write_row(row, 0, list(frame.columns), styles["header"])
        row += 1
        for values in _rows(frame):
            sheet.write_row(row, 0, values)
            row += 1
        for c, column in enumerate(frame.columns):
            widths[c] = max(widths.get(c, 8), _width(column, frame[column]))
        row += 1
    for c, width in widths.items():
        sheet.set_column(c, c, width)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_lines(book, name: str, lines: list[str], styles: dict) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 120)
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, styles["title"] if r == 0 else styles["text"])
