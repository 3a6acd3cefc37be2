"""The firm view's tables: every gate with value, requirement, margin and status; every criterion's points."""

import pandas as pd

from screening.engine.screen import screen
from screening.report.explain import gate_table, points_table
from tests.conftest import firms, minimal_rules
from tests.engine.test_screen import REVIEW_GATE, base_frame


def _result(**overrides):
    return screen(base_frame(**overrides), minimal_rules(gates=REVIEW_GATE))


def test_gate_table_shows_value_requirement_margin_and_status():
    result = _result()
    table = gate_table(result, 1)
    row = table[table["gate"] == "min-tax"].iloc[0]
    assert (row["value"], row["requirement"], row["margin"], row["status"]) == (
        "10",
        "亩均税收 ≥ 30 万元/亩",
        -20.0,
        "fail",
    )
    assert row["department"] == "经信" and "model" not in row["basis"]


def test_points_table_adds_up_to_the_total():
    adjustments = """  adjustments:
    - {id: ht, label: {zh: 高新}, when: {input: high_tech, op: "==", value: true}, points: 5, basis: wuxi-bonus}"""
    frame = base_frame(high_tech=pd.array([True, False, False, False], dtype="boolean"))
    result = screen(frame, minimal_rules(gates=REVIEW_GATE, adjustments=adjustments))
    table = points_table(result, 0)
    assert table["points"].sum() == result.summary["total"].iloc[0]
    assert table["kind"].tolist() == ["criterion", "criterion", "adjustment"]


def test_points_table_words_the_method_and_references(profiles):
    chem = profiles["chemical-park"]
    frame = firms(name=["化一"], industry_code=["2614"], tax_paid=[220.0], land_area=[10.0], revenue=[5000.0])
    table = points_table(screen(frame, chem), 0)
    first = table.iloc[0]
    assert (
        first["method"] == "比值法：指标值 ÷ 基准值 × 权重"
        and first["reference"] == "基准值 48.2，封顶（权重的倍数） 1"
    )
    texts = " ".join(table["method"].tolist() + table["reference"].tolist())
    assert "ratio" not in texts and "linear" not in texts and "baseline" not in texts
