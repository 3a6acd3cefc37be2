"""The district workbook and JSON: every firm once, every sheet, text never a formula."""

from __future__ import annotations

import dataclasses
import io
import json

import openpyxl
import pytest

from screening.district import Options, district_matrix, load_batch
from screening.district.plan import allocate
from screening.report.district_sheets import (
    allocation_frame,
    district_json,
    matrix_frame,
    write_district_json,
    write_district_xlsx,
)
from screening.rules.loading import list_rule_files, load_rules
from tests.conftest import DEMO

HOSTILE = '=HYPERLINK("http://example.invalid","点我")'


@pytest.fixture(scope="module")
def plan():
    batch = load_batch([(DEMO.name, DEMO.read_bytes())], [load_rules(p) for p in list_rule_files()])
    firms = batch.firms.copy()
    firms["name"] = firms["name"].astype(object)
    firms.loc[2, "name"] = HOSTILE  # row 6, eligible at two parks: it will be in the workbook's every sheet
    batch = dataclasses.replace(batch, firms=firms)
    return allocate(batch, district_matrix(batch), Options(tax_lines=(500.0,)))


def test_workbook_sheets_and_rows(plan):
    book = openpyxl.load_workbook(io.BytesIO(write_district_xlsx(plan, run_time="2026-11-27T10:00:00+08:00")))
    assert book.sheetnames == ["全区汇总", "分配方案", "园区矩阵", "最优与排序法差异", "各园区", "资金", "数据问题"]
    assert book["分配方案"].max_row == book["园区矩阵"].max_row == book["资金"].max_row == 301
    assert book["各园区"].max_row == 6
    assert book["最优与排序法差异"].max_row == len(plan.differences) + 1
    rows = [book["分配方案"].cell(r, 1).value for r in range(2, 302)]
    assert sorted(rows) == list(range(4, 304))  # every Excel row of the list, once


def test_english_workbook(plan):
    book = openpyxl.load_workbook(io.BytesIO(write_district_xlsx(plan, lang="en")))
    assert book.sheetnames[:3] == ["Summary", "Allocation", "Park matrix"]
    assert book["Allocation"].cell(1, 3).value == "Firm"


def test_text_is_never_a_formula(plan):
    book = openpyxl.load_workbook(io.BytesIO(write_district_xlsx(plan)))
    for sheet in ("分配方案", "园区矩阵", "资金"):
        cells = [c for row in book[sheet].iter_rows() for c in row if c.value == HOSTILE]
        assert cells and all(c.data_type == "s" for c in cells)


def test_frames_carry_names_words_and_decimals(plan):
    allocation = allocation_frame(plan)
    assert allocation["企业名称"].tolist()[2] == HOSTILE
    assert allocation.attrs["digits"]["拟申请用地（亩）"] == 1
    matrix = matrix_frame(plan, "en")
    assert "Smart Manufacturing Town · Decision" in matrix.columns
    assert set(matrix["Smart Manufacturing Town · Decision"]) <= {"Admit", "Review", "Reject", "Not scored"}


def test_json_is_plain_and_complete(plan):
    payload = json.loads(write_district_json(plan))
    assert payload == json.loads(json.dumps(district_json(plan)))  # no NaN, numpy or pandas types left
    assert len(payload["allocation"]) == 300 and len(payload["matrix"]) == 1500
    assert payload["summary"][0]["above_500"] + payload["summary"][0]["below_500"] == 300
