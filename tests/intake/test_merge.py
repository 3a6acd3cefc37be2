"""Several department files, one list (screening/intake/merge.py)."""

import json

import openpyxl
import pytest

from screening.intake.guards import Limits
from screening.intake.merge import load_files
from screening.pipeline import screen_file, screen_files
from screening.report.writers import write_json
from tests.conftest import DEMO
from tests.fixtures.layouts import CODES, NAMES, workbook

DEPARTMENTS = {  # the issue's split: 经信 tax, land, revenue; 科技 R&D, patents, 高新; 环保; 安监
    "经信": [
        "行业代码",
        "所属行业",
        "拟入园区",
        "企业规模",
        "投产年限（年）",
        "营业收入（万元）",
        "工业增加值（万元）",
        "实缴税金（万元）",
        "用电量（万千瓦时）",
        "年平均职工人数（人）",
        "现用地面积（亩）",
        "拟申请用地（亩）",
        "计划总投资（万元）",
        "搬迁补偿（万元）",
        "上市企业",
        "产业目录类别",
        "备注",
    ],
    "科技": ["研发费用（万元）", "科技人员数（人）", "有效发明专利（件）", "高新技术企业", "专精特新", "隐形冠军"],
    "环保": ["综合能耗（吨标准煤）", "主要污染物排放量（吨）", "近三年环境违法", "两高项目"],
    "安监": ["近三年安全事故", "涉及危险化学品"],
}
IDENTITY = ["序号", "企业名称", "统一社会信用代码"]
HERE = Limits(isolate=False)


def split_demo() -> list[tuple[str, bytes]]:
    rows = [list(r) for r in openpyxl.load_workbook(DEMO).active.iter_rows(values_only=True)]
    header = rows[2]
    files = []
    for department, columns in DEPARTMENTS.items():
        keep = [header.index(c) for c in IDENTITY + columns]
        files.append((f"{department}.xlsx", workbook([[r[i] for i in keep] for r in rows])))
    return files


@pytest.fixture(scope="module")
def department_files():
    return split_demo()


def test_the_split_covers_every_column_of_the_sample():
    header = next(openpyxl.load_workbook(DEMO).active.iter_rows(min_row=3, max_row=3, values_only=True))
    assert sorted(IDENTITY + [c for columns in DEPARTMENTS.values() for c in columns]) == sorted(header)


def test_four_department_files_give_exactly_the_single_file_result(department_files, profiles):
    for park in ("smart-mfg-town", "huangyan-2022"):
        rules = profiles[park]
        single = json.loads(write_json(screen_file(DEMO, rules)))
        merged = json.loads(write_json(screen_files(department_files, rules)))
        assert merged["firms"] == single["firms"]
        assert merged["counts"] == single["counts"]


def test_every_row_of_every_file_is_accounted_for(department_files, profiles):
    table = load_files(department_files, profiles["smart-mfg-town"].load_fields, limits=HERE)
    rows = table.report.rows
    for name, _ in department_files:
        own = rows[rows["file"] == name]
        assert own["source_row"].tolist() == list(range(1, 306))  # 305 physical rows in each file
    firm_rows = rows[rows["kind"] == "firm"]
    assert firm_rows["firm_row"].notna().all()
    assert set(firm_rows["firm_row"]) == set(table.firms["source_row"])
    assert len(table.firms) == 300


def _dept(name, header, firms) -> tuple[str, bytes]:
    return name, workbook([header, *firms])


def test_conflicts_absences_duplicates_and_name_joins_are_reported(profiles):
    econ = _dept(
        "经信.xlsx",
        ["企业名称", "统一社会信用代码", "实缴税金（万元）", "现用地面积（亩）"],
        [[NAMES[0], CODES[0], 800, 20], [NAMES[1], CODES[1], 360, 15], [NAMES[1], CODES[1], 361, 15]],
    )
    tech = _dept(
        "科技.xlsx",
        ["企业名称", "实缴税金（万元）", "研发费用（万元）"],  # no credit codes: joined by name
        [[NAMES[0], 810, 700], [NAMES[2], 250, 300]],
    )
    table = load_files([econ, tech], profiles["smart-mfg-town"].load_fields, limits=HERE)
    codes = set(table.issues["code"])
    assert {"merge-conflict", "merge-missing-in", "merge-duplicate-key", "merge-key-name"} <= codes
    conflict = table.report.conflicts.iloc[0]
    assert (conflict["input"], conflict["winner"]) == ("tax_paid", "经信.xlsx")
    first = table.firms.set_index("name").loc[NAMES[0]]
    assert first["tax_paid"] == 800 and first["rd_expense"] == 700  # 经信 listed first wins; 科技 adds R&D
    assert set(table.report.missing["name"]) == {NAMES[1], NAMES[2]}
    assert table.report.duplicates["rows"].tolist() == ["3、4"]
    assert len(table.firms) == 4  # the repeated row stays a firm of its own: rows in = rows out
    assert (table.report.rows["kind"] == "firm").sum() == 5
