"""The analyses as tables and a workbook: labels in both languages, text never a formula."""

import io

import numpy as np
import openpyxl
import pytest

from screening.analysis.robustness import robustness
from screening.analysis.targets import Target
from screening.analysis.weights import parse_weights
from screening.analysis.whatif import what_it_takes
from screening.pipeline import screen_file
from screening.report.analysis_sheets import (
    admission_columns,
    gap_table,
    robustness_table,
    whatif_table,
    write_analysis_xlsx,
)


@pytest.fixture(scope="module")
def analysed(profiles, demo_bytes):
    result = screen_file(demo_bytes, profiles["smart-mfg-town"], file_name="demo.xlsx")
    whatif = what_it_takes(result, targets=[Target("admit")])
    robust = robustness(result, parse_weights("spread:0.2"), samples=300, seed=2)
    return result, whatif, robust


def test_gap_table_is_one_firms_differences(analysed):
    result, whatif, _ = analysed
    gaps = gap_table(result, whatif, 21)
    assert list(gaps.columns) == ["目标", "可调整项", "现值", "需达到", "差额（需增加为正）", "说明"]
    assert len(gaps) == len(whatif.levers)
    assert "其他规则限制，单调此项无效" in set(gaps["说明"])


def test_admission_columns_one_per_lever(analysed):
    result, whatif, _ = analysed
    cols = admission_columns(result, whatif, "en")
    assert len(cols) == result.size
    assert [c for c in cols.columns if c.startswith("To be admitted: ")] == [
        "To be admitted: " + result.ruleset.label_of(k, "en") + f" ({result.ruleset.unit_of(k)})" for k in whatif.levers
    ]
    admitted = result.summary["decision"].to_numpy() == "admit"
    assert (cols.iloc[admitted, 1:].fillna(0).to_numpy() == 0).all()


def test_robustness_table_borderline_first_and_labels(analysed):
    result, _, robust = analysed
    table = robustness_table(result, robust, "en")
    assert table["Robustness"].iloc[0] in {"borderline", "core"}
    assert set(table["Robustness"]) <= {"core", "borderline", "exterior"}
    assert np.allclose(table[[c for c in table.columns if c.startswith("P(class)")]].sum(axis=1), 1.0)


def test_workbook_keeps_text_as_text(analysed):
    result, whatif, robust = analysed
    names = whatif.changes["name"].copy()
    whatif.changes.loc[0, "name"] = '=HYPERLINK("http://x","y")'
    try:
        data = write_analysis_xlsx(result, whatif, robust)
    finally:
        whatif.changes["name"] = names
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["差距分析", "稳健性分析"]
    cell = book["差距分析"].cell(2, 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert book["稳健性分析"].max_row == result.size + 1
    assert len(whatif_table(result, whatif)) == book["差距分析"].max_row - 1
