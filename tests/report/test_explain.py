"""Reasons in words and the per-firm tables."""

import numpy as np
import pandas as pd

from screening.engine.screen import screen
from screening.report.explain import failed_gates, firm_reasons, gate_table, points_table, reasons, rule_text
from tests.conftest import firms, minimal_rules
from tests.engine.test_screen import REVIEW_GATE, base_frame


def _result(**overrides):
    return screen(base_frame(**overrides), minimal_rules(gates=REVIEW_GATE))


def test_failed_veto_reads_like_the_rule():
    result = _result(tax_paid=[500.0, 182.0, 600.0, 500.0])
    assert firm_reasons(result, 1, "zh") == ["亩均税收 18.2 < 30 万元/亩（经信，一票否决）"]
    assert firm_reasons(result, 1, "en") == ["Tax per mu 18.2 < 30 万元/亩 (economy, veto)"]


def test_flag_gates_missing_data_and_the_class_line():
    result = _result(rd_expense=[500.0, 500.0, np.nan, 500.0])
    assert firm_reasons(result, 3, "zh") == ["未满足“近三年无安全事故”：近三年安全事故为 是（安监，一票否决）"]
    assert firm_reasons(result, 2, "zh") == ["研发投入强度 无数据，无法判断（科技，需复核）"]
    assert firm_reasons(result, 0, "zh") == ["综合得分 100，A 级，准予入园"]


def test_reasons_for_selected_rows_only_and_failed_gate_ids_for_all():
    result = _result()
    picked = reasons(result, [1, 3])
    assert list(picked.index) == [1, 3]
    assert failed_gates(result).tolist() == ["", "min-tax", "min-rd", "no-accident"]


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


def test_rule_text_for_tiers_lists_and_industry_thresholds(profiles):
    bio = profiles["bio-medicine-park"]
    tiers = next(g for g in bio.model.gates if g.id == "hnte-rd")
    assert rule_text(tiers, bio) == "研发投入强度 ≥ [营业收入 ≤5,000: 5, ≤20,000: 4, else 3] %"
    chem = profiles["chemical-park"]
    tax = next(g for g in chem.model.gates if g.id == "min-tax-per-mu")
    assert rule_text(tax, chem) == "亩均税收 ≥ 20 万元/亩（分行业：26: 25, 29: 15）"


def test_industry_specific_threshold_shows_the_value_used_for_that_firm(profiles):
    chem = profiles["chemical-park"]
    frame = firms(
        name=["化一", "化二"], industry_code=["2614", "2511"], tax_paid=[220.0, 220.0], land_area=[10.0, 10.0]
    )
    result = screen(frame, chem)
    assert "亩均税收 22 < 25 万元/亩（经信，一票否决）" in firm_reasons(result, 0)
    assert not any(r.startswith("亩均税收") for r in firm_reasons(result, 1))
