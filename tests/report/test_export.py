"""The exported workbook, CSV and JSON: content, formats, safety against formula injection, determinism."""

import io
import json
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from screening.engine.screen import screen
from screening.pipeline import screen_file
from screening.report.writers import neutralise, write_csv, write_json, write_rules
from screening.report.xlsx import write_xlsx
from screening.rules.loading import parse_rules
from screening.rules.overrides import apply_overrides
from tests.conftest import DEMO, firms

SHEETS_ZH = ["入园建议名单", "全部企业评分", "数据问题", "规则与参数", "说明"]


@pytest.fixture(scope="module")
def demo_result(profiles):
    rules = apply_overrides(profiles["smart-mfg-town"], {"gate.min-tax-per-mu": 25})
    return screen_file(DEMO, rules)


@pytest.fixture(scope="module")
def workbook(demo_result):
    data = write_xlsx(demo_result, run_time="2026-11-26T10:00:00+08:00")
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_sheet_names_and_row_counts(workbook, demo_result):
    _, book = workbook
    assert book.sheetnames == SHEETS_ZH
    shortlisted = demo_result.summary["decision"].isin(["admit", "review"]).sum()
    assert book["入园建议名单"].max_row == shortlisted + 1
    assert book["全部企业评分"].max_row == demo_result.size + 1  # rows in = rows out
    issues_and_skips = len(demo_result.issues) + len(demo_result.skipped) + len(demo_result.elsewhere)
    assert book["数据问题"].max_row == issues_and_skips + 1


def test_all_firms_sheet_has_every_excel_row_once(workbook, demo_result):
    _, book = workbook
    sheet = book["全部企业评分"]
    rows = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(rows) == sorted(demo_result.summary["source_row"].tolist())


def test_headers_and_formats(workbook):
    _, book = workbook
    sheet = book["入园建议名单"]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["排名", "企业名称", "统一社会信用代码", "行业代码", "结论", "等级", "综合得分"]
    assert "亩均税收（万元/亩）" in headers and "补偿回收年限（年）" in headers and headers[-1] == "原因"
    tax = headers.index("亩均税收（万元/亩）") + 1
    assert sheet.cell(2, tax).number_format == "#,##0.0"
    assert sheet.cell(2, headers.index("综合得分") + 1).number_format == "#,##0.00"
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.column_dimensions["B"].width > 15


def test_decision_colours_and_score_bar(workbook):
    data, _ = workbook
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "dataBar" in xml
    assert '<formula>"准予入园"</formula>' in xml and '<formula>"不予入园"</formula>' in xml


def test_rules_sheet_lists_a_slider_change_as_standard_to_used(workbook, demo_result):
    _, book = workbook
    values = [[c.value for c in row] for row in book["规则与参数"].iter_rows()]
    flat = {str(v) for row in values for v in row if v is not None}
    assert demo_result.ruleset.sha256 in flat and demo_result.source["sha256"] in flat
    row = next(r for r in values if r[0] == "gate.min-tax-per-mu")
    assert row[4:7] == ["30", "25", "是"]
    assert "2026-11-26T10:00:00+08:00" in flat


def test_guide_sheet_explains_decisions(workbook):
    _, book = workbook
    text = "\n".join(str(c.value) for c in book["说明"]["A"] if c.value)
    assert "准予入园" in text and "一票否决" in text and "SHA-256" in text


def test_english_workbook(demo_result):
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(demo_result, lang="en")))
    assert book.sheetnames == ["Shortlist", "All firms", "Data issues", "Rules and parameters", "How to read"]
    assert book["Shortlist"]["E2"].value in {"Admit", "Review"}


def _hostile_result(profiles):
    names = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3+4", "@SUM(A1:A2)", "\t=1+1", "=cmd|' /C calc'!A0"]
    frame = firms(
        name=names,
        industry_code=["3421"] * 6,
        tax_paid=[800.0] * 6,
        land_area=[20.0] * 6,
        revenue=[20000.0] * 6,
        rd_expense=[700.0] * 6,
        planned_investment=[8000.0] * 6,
        requested_land=[20.0] * 6,
    )
    return screen(frame, profiles["smart-mfg-town"]), names


def test_no_formula_comes_from_user_text(profiles):
    result, names = _hostile_result(profiles)
    data = write_xlsx(result)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for part in archive.namelist():
        if part.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(part).decode("utf-8"), part
    sheet = openpyxl.load_workbook(io.BytesIO(data))["全部企业评分"]
    written = {sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)}
    assert written == set(names)
    assert all(sheet.cell(r, 2).data_type == "s" for r in range(2, sheet.max_row + 1))


def test_csv_neutralises_formula_text_and_has_a_bom(profiles):
    result, _ = _hostile_result(profiles)
    data = write_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert all(name.startswith("'") for name in table["name"])
    assert {"source_row", "name", "decision", "score", "class", "rank", "failed_gates"} <= set(table.columns)
    assert neutralise("正常企业") == "正常企业" and neutralise(12) == 12


def test_json_result(demo_result):
    payload = json.loads(write_json(demo_result))
    assert payload["park"] == "smart-mfg-town" and len(payload["firms"]) == demo_result.size
    assert payload["changes"] == [{"parameter": "gate.min-tax-per-mu", "standard": 30.0, "used": 25.0}]
    first = payload["firms"][0]
    assert {"source_row", "name", "decision", "score", "class", "rank", "failed_gates"} <= set(first)


def test_same_input_same_workbook_values(demo_result):
    def values(data):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}

    a = values(write_xlsx(demo_result, run_time="t1"))
    b = values(write_xlsx(demo_result, run_time="t2"))
    for name in a:
        rows_a = [r for r in a[name] if "t1" not in r]
        rows_b = [r for r in b[name] if "t2" not in r]
        assert rows_a == rows_b, name


def test_exported_rule_file_reproduces_the_result(demo_result):
    reloaded = parse_rules(write_rules(demo_result))
    again = screen_file(DEMO, reloaded)
    pd.testing.assert_frame_equal(again.summary, demo_result.summary)
    np.testing.assert_array_equal(again.points.to_numpy(), demo_result.points.to_numpy())


def test_large_exports_stream_without_losing_rows(profiles):
    rng = np.random.default_rng(1)
    n = 25_000
    frame = firms(
        name=[f"企业{i}" for i in range(n)],
        industry_code=rng.choice(["3421", "2614"], n),
        tax_paid=rng.uniform(10, 2000, n),
        land_area=rng.uniform(5, 50, n),
        revenue=rng.uniform(1e3, 1e5, n),
        rd_expense=rng.uniform(0, 3000, n),
        planned_investment=rng.uniform(1e3, 2e4, n),
        requested_land=rng.uniform(5, 40, n),
    )
    result = screen(frame, profiles["smart-mfg-town"])
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(result)), read_only=True)
    assert book["全部企业评分"].max_row == n + 1


def test_csv_and_json_keep_full_precision_and_every_criterions_points(demo_result):
    summary, points = demo_result.summary, demo_result.points
    by_row = summary.set_index("source_row")
    csv = pd.read_csv(io.BytesIO(write_csv(demo_result)), encoding="utf-8-sig").set_index("source_row")
    firms_json = pd.DataFrame(json.loads(write_json(demo_result))["firms"]).set_index("source_row")
    for table in (csv, firms_json):
        scored = table["score"].notna()
        assert scored.sum() > 50
        # exact equality: the double printed is the double computed (no 4- or 6-decimal rounding)
        assert (table.loc[scored, "score"] == by_row.loc[table.index[scored], "total"]).all()
        for key in points.columns:
            column = table[f"points.{key}"]
            expected = pd.Series(points[key].to_numpy(), index=summary["source_row"]).loc[table.index]
            assert ((column == expected) | (column.isna() & expected.isna())).all(), key
        tax = pd.Series(demo_result.indicators["tax_per_mu"].to_numpy(), index=summary["source_row"])
        assert (table["tax_per_mu"].dropna() == tax.loc[table["tax_per_mu"].dropna().index]).all()
    assert any(len(repr(v)) > 12 for v in firms_json["score"].dropna())  # digits beyond any display rounding


def test_ranks_and_excel_rows_are_integers_in_every_output(demo_result, workbook):
    text = write_csv(demo_result).decode("utf-8-sig").splitlines()
    header = text[0].split(",")
    rank_at, row_at = header.index("rank"), header.index("source_row")
    for line in text[1:]:
        cells = line.split(",")
        assert "." not in cells[row_at] and "." not in cells[rank_at]
    records = json.loads(write_json(demo_result))["firms"]
    assert all(isinstance(r["source_row"], int) and (r["rank"] is None or isinstance(r["rank"], int)) for r in records)
    _, book = workbook
    for name, header_name in (("入园建议名单", "排名"), ("全部企业评分", "排名"), ("全部企业评分", "Excel行号")):
        sheet = book[name]
        column = [c.value for c in sheet[1]].index(header_name) + 1
        values = [sheet.cell(r, column).value for r in range(2, sheet.max_row + 1)]
        assert values and all(v is None or type(v) is int for v in values), (name, header_name)


def test_no_nan_none_or_rule_identifiers_anywhere_in_the_workbook(profiles):
    """Every text cell of every sheet, every shipped profile, both languages (the sample, all firms)."""
    raw = re.compile(r"\b(nan|NaN|None|inf|ratio|lower_ratio|inverse_ratio|linear|percentile|baseline|not_scored)\b")
    for name, rules in profiles.items():
        result = screen_file(DEMO, rules, applicants_only=False)
        for lang in ("zh", "en"):
            book = openpyxl.load_workbook(io.BytesIO(write_xlsx(result, lang)), read_only=True)
            hits = {
                (sheet.title, cell)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if isinstance(cell, str) and raw.search(cell)
            }
            book.close()
            assert not hits, (name, lang, sorted(hits)[:5])
