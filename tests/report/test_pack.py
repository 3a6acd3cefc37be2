"""The meeting pack workbook: its sheets, one printed page per firm, the decision sheet, safe text."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from screening.pipeline import screen_file
from screening.report.pack import DECISION_HEADERS, PackFacts, meeting_positions, write_pack
from tests.conftest import DEMO, minimal_rules
from tests.fixtures.store.firms import NAMES, list_a

NO_OPINIONS = pd.DataFrame(columns=["source_row", "department", "verdict", "conditions", "note", "author", "at"])


@pytest.fixture(scope="module")
def demo_pack(profiles):
    result = screen_file(DEMO, profiles["smart-mfg-town"])
    return result, write_pack(result, PackFacts("三月会议", "王五 2026-03-02", NO_OPINIONS))


def _part(workbook: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(workbook)).read(name).decode("utf-8")


def test_the_pack_has_the_summary_the_pages_the_decision_list_and_the_guide(demo_pack):
    result, pack = demo_pack
    book = openpyxl.load_workbook(io.BytesIO(pack))
    assert book.sheetnames == ["汇总名单", "一企一表", "会议决定", "说明"]
    assert book["汇总名单"].max_row == 1 + result.size  # every screened firm
    meeting = result.counts()
    assert book["会议决定"].max_row == 2 + meeting["admit"] + meeting["review"]  # title, header, 9 + 10 firms


def test_one_printed_page_per_firm_before_the_meeting(demo_pack):
    result, pack = demo_pack
    firms = len(meeting_positions(result, NO_OPINIONS))
    assert firms == 19
    pages = _part(pack, "xl/worksheets/sheet2.xml")
    assert re.search(r'<rowBreaks count="(\d+)"', pages).group(1) == str(firms - 1)
    assert 'fitToPage="1"' in pages and 'fitToHeight="0"' in pages  # one page wide


def test_the_meeting_decision_is_a_drop_down_of_the_three_decisions(demo_pack):
    _, pack = demo_pack
    sheet = openpyxl.load_workbook(io.BytesIO(pack))["会议决定"]
    header = [c.value for c in sheet[2]]
    assert header == [words[0] for words in DECISION_HEADERS.values()]
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"准予入园,待复核,不予入园"'
    column = openpyxl.utils.get_column_letter(header.index("会议决定") + 1)
    assert str(validation.sqref).startswith(f"{column}3:")


def test_text_that_looks_like_a_formula_stays_text_and_the_hook_fills_the_gap_section():
    hostile = list_a().replace(NAMES["甲"].encode(), b"=cmd|' /C calc'!A0")
    result = screen_file(hostile, minimal_rules(), file_name="a.csv")
    opinions = pd.DataFrame(
        [[3, "econ", "disagree", "", "@SUM(1)", "王五", "t"]],
        columns=["source_row", "department", "verdict", "conditions", "note", "author", "at"],
    )
    facts = PackFacts("R", "x", opinions, gaps=lambda result, position, lang: [f"gap for {position}"])
    pack = write_pack(result, facts)
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
        assert "<f>" not in _part(pack, part)
    book = openpyxl.load_workbook(io.BytesIO(pack))
    cells = [str(c) for row in book["一企一表"].iter_rows(values_only=True) for c in row if c is not None]
    assert "=cmd|' /C calc'!A0" in cells and "@SUM(1)" in cells
    assert "gap for 0" in cells
    draft = pd.DataFrame(book["会议决定"].values).iloc[2:]
    draft.columns = [c.value for c in book["会议决定"][2]]
    assert draft.set_index("名单行号").loc[3, "建议决定"] == "待复核"  # admitted, but 经信 disagrees


def test_english_pack(profiles):
    result = screen_file(DEMO, profiles["smart-mfg-town"])
    book = openpyxl.load_workbook(io.BytesIO(write_pack(result, PackFacts("R", "x", NO_OPINIONS), lang="en")))
    assert book.sheetnames == ["Summary", "One page per firm", "Decisions", "How to use"]


def test_the_gap_section_tells_a_review_firm_what_it_would_take(profiles, demo_bytes):
    """Without a hook the pack computes 差距 itself (screening.analysis): a firm in review gets numbers."""
    from screening.pipeline import screen_file
    from screening.report.pack import meeting_positions, what_it_would_take

    result = screen_file(demo_bytes, profiles["smart-mfg-town"], file_name="demo.xlsx")
    empty = pd.DataFrame(columns=["source_row"])
    positions = meeting_positions(result, empty)
    gaps = what_it_would_take(result, positions, "zh")
    review = [p for p in positions if result.summary["decision"].iat[p] == "review"]
    admitted = [p for p in positions if result.summary["decision"].iat[p] == "admit"]
    assert review and admitted
    assert any("→" in line for p in review for line in gaps(result, p, "zh"))
    assert gaps(result, admitted[0], "zh") == ["已达到"]
