"""Reasons read like a verdict: vetoes, then review gates, then missing data, then the class, then notes."""

import re

import numpy as np
import pandas as pd

from screening.engine.screen import screen
from screening.report.reasons import failed_gates, firm_reasons, reasons
from tests.conftest import firms, minimal_rules
from tests.engine.test_screen import REVIEW_GATE, base_frame

RAW = re.compile(r"\b(nan|NaN|None|inf|ratio|lower_ratio|linear|percentile|baseline|not_scored)\b")


def _result(**overrides):
    return screen(base_frame(**overrides), minimal_rules(gates=REVIEW_GATE))


def test_failed_veto_reads_like_the_rule():
    result = _result(tax_paid=[500.0, 182.0, 600.0, 500.0])
    assert firm_reasons(result, 1, "zh") == ["亩均税收 18.2 < 30 万元/亩（经信，一票否决）"]
    assert firm_reasons(result, 1, "en") == ["Tax per mu 18.2 < 30 万元/亩 (economy, veto)"]


def test_flag_gates_missing_data_and_the_class_line():
    result = _result(rd_expense=[500.0, 500.0, np.nan, 500.0])
    assert firm_reasons(result, 3, "zh") == ["未满足“近三年无安全事故”：近三年安全事故为 是（安监，一票否决）"]
    # blank data names the value once, with the department waiting for it; then the score (B would
    # admit, but the review gate holds it, so the class line does not claim the decision)
    assert firm_reasons(result, 2, "zh") == ["缺少数据，无法判断：研发投入强度（科技）", "综合得分 60，B 级"]
    assert firm_reasons(result, 0, "zh") == ["综合得分 100，A 级，准予入园"]


def test_verdict_order_vetoes_then_reviews_then_missing_then_class():
    gates = (
        REVIEW_GATE
        + """  - id: class-known
    label: {zh: 企业规模已填}
    department: 发改
    severity: review
    input: scale
    op: in
    value: [规上, 规下]
    basis: district-choice
"""
    )
    frame = base_frame(
        tax_paid=[182.0, 500.0, 600.0, 500.0],
        rd_expense=[100.0, 500.0, 100.0, 500.0],
        safety_accident=pd.array([True, False, False, False], dtype="boolean"),
        scale=[None, "规上", None, "规上"],
    )
    result = screen(frame, minimal_rules(gates=gates))
    first = firm_reasons(result, 0, "zh")
    assert first[0].startswith("亩均税收 18.2 < 30") and "一票否决" in first[1]  # both vetoes first
    assert "需复核" in first[2] and first[3].startswith("缺少数据，无法判断：企业规模（发改）")
    third = firm_reasons(result, 2, "zh")
    assert third == [
        "研发投入强度 1 < 2 %（科技，需复核）",
        "缺少数据，无法判断：企业规模（发改）",
        "综合得分 68，B 级",
    ]


def test_each_gate_once_and_each_missing_value_once(profiles):
    # catalogue_class feeds a veto (淘汰类) and a review gate (限制类): a blank says so once, not twice
    chem = profiles["chemical-park"]
    frame = firms(name=["化一"], industry_code=["2614"], tax_paid=[300.0], land_area=[10.0], catalogue_class=[None])
    text = firm_reasons(screen(frame, chem), 0, "zh")
    blank = [t for t in text if t.startswith("缺少数据")]
    assert len(blank) == 1 and blank[0].count("产业目录类别") == 1
    assert not any("产业目录类别 无数据" in t for t in text)


def test_a_failing_value_never_prints_equal_to_its_threshold():
    result = _result(rd_expense=[500.0, 500.0, 199.0, 500.0])  # 1.99 % against "≥ 2 %"
    assert firm_reasons(result, 2, "zh")[0] == "研发投入强度 1.99 < 2 %（科技，需复核）"
    result = _result(rd_expense=[500.0, 500.0, 199.99, 500.0])  # 1.9999 %: two decimals would say "2 < 2"
    assert firm_reasons(result, 2, "zh")[0] == "研发投入强度 1.9999 < 2 %（科技，需复核）"


def test_no_nan_none_or_rule_identifiers_in_any_reason(profiles):
    rng = np.random.default_rng(5)
    n = 60
    frame = firms(
        name=[f"企业{i}" for i in range(n)],
        industry_code=rng.choice(["3421", "2614", None], n),
        tax_paid=np.where(rng.random(n) < 0.1, np.nan, rng.uniform(10, 900, n)),
        land_area=rng.uniform(0, 30, n),
        revenue=rng.uniform(100, 9000, n),
        rd_expense=np.where(rng.random(n) < 0.2, np.nan, rng.uniform(0, 300, n)),
        requested_land=rng.uniform(1, 30, n),
        planned_investment=rng.uniform(100, 9000, n),
        two_high=pd.array(rng.choice([True, False, None], n), dtype="boolean"),
    )
    for name, rules in profiles.items():
        result = screen(frame, rules)
        for lang in ("zh", "en"):
            for text in reasons(result, lang=lang):
                assert not RAW.search(text), (name, text)


def test_reasons_for_selected_rows_only_and_failed_gate_ids_for_all():
    result = _result()
    picked = reasons(result, [1, 3])
    assert list(picked.index) == [1, 3]
    assert failed_gates(result).tolist() == ["", "min-tax", "min-rd", "no-accident"]


def test_industry_specific_threshold_shows_the_value_used_for_that_firm(profiles):
    chem = profiles["chemical-park"]
    frame = firms(
        name=["化一", "化二"], industry_code=["2614", "2511"], tax_paid=[220.0, 220.0], land_area=[10.0, 10.0]
    )
    result = screen(frame, chem)
    assert "亩均税收 22 < 25 万元/亩（经信，一票否决）" in firm_reasons(result, 0)
    assert not any(r.startswith("亩均税收") for r in firm_reasons(result, 1))
