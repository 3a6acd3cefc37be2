"""The meeting pack of a round, and its decisions read back through the importer's guards."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from screening.issues.record import ScreeningError
from screening.report.pack import DECISION_SHEET
from screening.store.access import Account, Actor, local_actor
from screening.store.meeting import build_pack, final_decisions, record_decisions
from screening.store.opinions import add_opinion
from tests.fixtures.store.firms import NAMES


def _filled(pack: bytes, decisions: dict[str, tuple[str, str]], edit=None) -> bytes:
    """The pack with the meeting's columns typed in: firm name -> (decision, reason)."""
    book = openpyxl.load_workbook(io.BytesIO(pack))
    sheet = book[DECISION_SHEET["zh"]]
    header = [c.value for c in sheet[2]]
    name_col, decision_col, reason_col = (header.index(h) + 1 for h in ("企业名称", "会议决定", "决定理由"))
    for row in range(3, sheet.max_row + 1):
        wanted = decisions.get(sheet.cell(row, name_col).value)
        if wanted:
            sheet.cell(row, decision_col, wanted[0])
            sheet.cell(row, reason_col, wanted[1])
    if edit:
        edit(sheet, header)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_decisions_typed_into_the_pack_become_the_rounds_final_decisions(two_rounds):
    pack = build_pack(two_rounds, "A")
    typed = {NAMES["甲"]: ("准予入园", ""), NAMES["戊"]: ("不予入园", "用地指标不足")}
    report = record_decisions(two_rounds, "A", _filled(pack, typed), "pack.xlsx", local_actor("办公室"))
    assert report.stored == 2 and report.undecided == [5]  # 丙 (row 5) left blank: undecided, not stored
    final = final_decisions(two_rounds, "A").set_index("source_row")
    assert final.loc[3, "decision"] == "admit" and final.loc[6, "decision"] == "reject"
    assert final.loc[6, "reason"] == "用地指标不足" and final.loc[6, "author"] == "办公室"


def _refused(two_rounds, workbook: bytes, actor=None) -> list[str]:
    with pytest.raises(ScreeningError) as caught:
        record_decisions(two_rounds, "A", workbook, "pack.xlsx", actor or local_actor())
    assert final_decisions(two_rounds, "A", history=True).empty  # nothing stored
    return [i.code for i in caught.value.issues]


def test_a_departure_from_the_screening_needs_a_reason(two_rounds):
    workbook = _filled(build_pack(two_rounds, "A"), {NAMES["戊"]: ("准予入园", "")})  # review -> admit, no reason
    assert _refused(two_rounds, workbook) == ["decision-reason-missing"]


def test_a_word_that_is_not_a_decision_is_refused_not_ignored(two_rounds):
    workbook = _filled(build_pack(two_rounds, "A"), {NAMES["甲"]: ("同意", "")})
    assert _refused(two_rounds, workbook) == ["decision-sheet-problem"]


def test_the_pack_of_another_round_is_refused(two_rounds):
    workbook = _filled(build_pack(two_rounds, "B"), {NAMES["甲"]: ("准予入园", "")})
    assert set(_refused(two_rounds, workbook)) >= {"decision-wrong-round"}


def test_a_moved_name_is_caught(two_rounds):
    def swap(sheet, header):
        col = header.index("企业名称") + 1
        sheet.cell(3, col, "别的公司")

    workbook = _filled(build_pack(two_rounds, "A"), {NAMES["甲"]: ("准予入园", "")}, edit=swap)
    assert "decision-name-mismatch" in _refused(two_rounds, workbook)


def test_the_importers_guards_apply_to_the_workbook(two_rounds):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<x>" + " " * (400 * 1024 * 1024) + "</x>")
    assert _refused(two_rounds, bomb.getvalue()) == ["file-zip-bomb"]
    assert _refused(two_rounds, b"not a workbook at all \x00\x01") == ["file-type-unknown"]


def test_only_an_account_that_decides_may_record_decisions(two_rounds):
    workbook = _filled(build_pack(two_rounds, "A"), {NAMES["甲"]: ("准予入园", "")})
    member = Actor("经信 王五", Account("经信 王五", None, False))
    assert _refused(two_rounds, workbook, member) == ["access-cannot-decide"]


def test_the_pack_shows_the_departments_opinions_on_each_firms_page(two_rounds):
    add_opinion(two_rounds, "A", 6, "env", "conditional", local_actor("赵六"), conditions="一年内完成改造")
    book = openpyxl.load_workbook(io.BytesIO(build_pack(two_rounds, "A")))
    pages = [[c for c in row if c is not None] for row in book["一企一表"].iter_rows(values_only=True)]
    flat = [str(c) for row in pages for c in row]
    assert (
        "有条件同意" in flat and "一年内完成改造" in flat and flat.count("尚无意见") == 3 * 4 - 1
    )  # 甲 丙 戊 on the pages, 4 departments each
