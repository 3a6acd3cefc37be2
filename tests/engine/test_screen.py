"""Engine: decision precedence, gates with margins, land quota, ranks, and rules that cannot apply."""

import numpy as np
import pandas as pd

from screening.engine.conditions import FAIL, MISSING, NA, PASS
from screening.engine.screen import screen
from tests.conftest import BANDS, TAX_GATE, firms, minimal_rules

NO_ACCIDENT = """  - id: no-accident
    label: {zh: 近三年无安全事故}
    department: 安监
    severity: veto
    input: safety_accident
    op: "=="
    value: false
    on_missing: fail
    basis: changle-2023
"""
REVIEW_GATE = (
    TAX_GATE
    + """  - id: min-rd
    label: {zh: 研发投入强度}
    department: 科技
    severity: review
    indicator: rd_ratio
    op: ">="
    value: 2
    basis: longchang-2022
"""
    + NO_ACCIDENT
)


def base_frame(**overrides):
    data = {
        "name": ["甲", "乙", "丙", "丁"],
        "tax_paid": [500.0, 100.0, 600.0, 500.0],
        "land_area": [10.0] * 4,
        "revenue": [10000.0] * 4,
        "rd_expense": [500.0, 500.0, 100.0, 500.0],
        "safety_accident": pd.array([False, False, False, True], dtype="boolean"),
    }
    data.update(overrides)
    return firms(**data)


def test_gate_statuses_thresholds_and_margins():
    result = screen(base_frame(), minimal_rules(gates=REVIEW_GATE))
    tax = result.gates["min-tax"]
    assert tax.status.tolist() == [PASS, FAIL, PASS, PASS]
    np.testing.assert_allclose(tax.tests[0].margin, [20.0, -20.0, 30.0, 20.0])
    assert tax.tests[0].threshold == 30.0
    assert result.gates["no-accident"].status.tolist() == [PASS, PASS, PASS, FAIL]


def test_decision_precedence_veto_then_review_cap():
    result = screen(base_frame(), minimal_rules(gates=REVIEW_GATE))
    # 甲 passes all (score 60 + 40 = 100 → A); 乙 fails the tax veto; 丙's R&D of 1 % fails a review gate;
    # 丁 had an accident (veto)
    assert result.summary["decision"].tolist() == ["admit", "reject", "review", "reject"]
    assert result.summary["class"].tolist()[0] == "A"


def test_a_failed_veto_rejects_even_when_other_data_is_missing():
    frame = base_frame(name=["甲", None, "丙", "丁"])  # 乙 has no name (required) and fails the tax veto
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    assert result.summary["decision"].iloc[1] == "reject"
    assert result.flags["required_missing"].iloc[1]


def test_missing_required_data_means_not_scored_with_reason():
    frame = base_frame(name=[None, "乙", "丙", "丁"])
    result = screen(frame, minimal_rules(gates="gates: []"))
    assert result.summary["decision"].iloc[0] == "not_scored"
    assert np.isnan(result.summary["total"].iloc[0])
    assert pd.isna(result.summary["rank"].iloc[0])


def test_gate_without_data_goes_to_review_by_default_and_fails_when_told():
    frame = base_frame(
        rd_expense=[np.nan, 500.0, 500.0, 500.0], safety_accident=pd.array([None, False, False, False], dtype="boolean")
    )
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    assert result.gates["min-rd"].status[0] == MISSING
    assert result.flags["gate_missing_review"].iloc[0]
    assert result.summary["decision"].iloc[0] == "reject"  # the accident gate says on_missing: fail (veto)


def test_only_if_makes_a_gate_not_applicable():
    gate = REVIEW_GATE.replace(
        "    tunable: {min: 0, max: 80, step: 1}\n",
        '    tunable: {min: 0, max: 80, step: 1}\n    only_if: {input: years_operating, op: ">=", value: 3}\n',
    )
    frame = base_frame(years_operating=[5.0, 1.0, 5.0, np.nan])
    result = screen(frame, minimal_rules(gates=gate))
    assert result.gates["min-tax"].status.tolist() == [PASS, NA, PASS, PASS]


def test_division_by_zero_is_an_issue_with_the_excel_row():
    frame = base_frame(land_area=[10.0, 0.0, 10.0, 10.0])
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    issue = result.issues[result.issues["code"] == "indicator-not-computable"]
    assert issue["row"].tolist() == [3]
    assert np.isnan(result.indicators["tax_per_mu"].iloc[1])
    assert result.gates["min-tax"].status[1] == MISSING


def test_a_rule_whose_column_is_absent_is_reported_never_passed_never_a_reason_to_reject():
    frame = base_frame().drop(columns=["safety_accident"])
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    absent = result.issues[result.issues["code"] == "rule-input-absent"]
    assert absent["value"].tolist() == ["safety_accident"]  # one finding; inputs no rule uses are not named
    assert "近三年无安全事故" in absent["message_zh"].iloc[0] and "安监" in absent["message_zh"].iloc[0]
    assert set(result.gates["no-accident"].status.tolist()) == {MISSING}  # never passed …
    # … and not a failure either (on_missing: fail is for blank cells): 甲 (all else fine) waits for the
    # material, 乙 still fails the tax veto, 丙 still fails the R&D review gate
    assert result.summary["decision"].tolist() == ["review", "reject", "review", "review"]
    assert result.materials["safety_accident"].tolist() == [True, True, True, True]
    assert result.flags["gate_absent"].all()


def test_land_quota_is_filled_in_rank_order():
    quota = (
        "decision:\n  admit: [A, B]\n  review: [C]\n  reject: [D]\n  capacity: {input: requested_land, "
        "quota_mu: 25, basis: district-speech-2018, tunable: {min: 0, max: 100}}"
    )
    rules = minimal_rules(gates="gates: []", decision=quota)
    frame = base_frame(
        tax_paid=[500.0, 480.0, 460.0, 440.0],
        requested_land=[10.0, 10.0, 10.0, np.nan],
        safety_accident=pd.array([False] * 4, dtype="boolean"),
    )
    result = screen(frame, rules)
    # all four are class A; 10 + 10 fit in 25 mu, the third would make 30; the fourth has no land request
    assert result.summary["decision"].tolist() == ["admit", "admit", "review", "review"]
    assert result.flags["capacity_overflow"].tolist() == [False, False, True, True]
    bigger = screen(frame, rules, overrides={"capacity": 30})
    assert bigger.summary["decision"].tolist() == ["admit", "admit", "admit", "review"]


def test_ranks_are_by_decision_then_score_then_tie_break_then_excel_row():
    frame = base_frame(
        tax_paid=[400.0, 400.0, 600.0, 100.0],
        rd_expense=[500.0] * 4,
        safety_accident=pd.array([False] * 4, dtype="boolean"),
    )
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    # 丙 (tax 60) ranks first, 甲 and 乙 tie (tax 40) → Excel row decides; 丁 is rejected → last
    assert result.summary["rank"].tolist() == [2, 3, 1, 4]


def test_overrides_change_the_outcome_and_are_reported():
    rules = minimal_rules(gates=REVIEW_GATE)
    strict = screen(base_frame(), rules, overrides={"gate.min-tax": 55})
    assert strict.summary["decision"].tolist()[0] == "reject"
    assert [(c.parameter, c.standard, c.used) for c in strict.ruleset.changes] == [("gate.min-tax", 30.0, 55)]


def test_bonus_points_and_cap():
    adjustments = """  adjustments:
    - {id: ht, label: {zh: 高新}, when: {input: high_tech, op: "==", value: true}, points: 8, basis: wuxi-bonus}
    - {id: big, label: {zh: 规上}, when: {input: scale, op: "==", value: 规上}, points: 5, basis: wuxi-bonus}
    - {id: no-rd, label: {zh: 未报研发}, when: {missing: rd_expense}, points: -3, basis: fsou-lower-better}
  bonus_cap: 10"""
    frame = base_frame(
        high_tech=pd.array([True, True, False, False], dtype="boolean"),
        scale=["规上", "规下", "规上", None],
        rd_expense=[500.0, 500.0, np.nan, 500.0],
    )
    result = screen(frame, minimal_rules(gates="gates: []", adjustments=adjustments))
    assert result.summary["adjustment"].tolist() == [10.0, 8.0, 2.0, 0.0]


def test_indicators_keep_full_precision_and_noise_does_not_fail_a_gate():
    frame = base_frame(tax_paid=[8.1, 500.0, 600.0, 500.0], land_area=[0.27, 10.0, 10.0, 10.0])
    result = screen(frame, minimal_rules(gates=REVIEW_GATE))
    assert result.indicators["tax_per_mu"].iloc[0] == 8.1 / 0.27  # 29.999999999999996: never rounded
    assert result.gates["min-tax"].status[0] == PASS  # "≥ 30" holds up to noise
    assert result.gates["min-tax"].tests[0].margin[0] == 0.0


def test_a_total_at_a_band_cut_off_by_noise_stays_in_the_band():
    # tax per mu 3.6 / 0.1 = 36 → 60 × 36/50 = 43.2 points, + 40 for R&D = 83.2 by the formula, but
    # 83.19999999999999 in floating point: a class A cut-off at 83.2 must still hold it
    frame = base_frame(tax_paid=[3.6, 500.0, 600.0, 500.0], land_area=[0.1, 10.0, 10.0, 10.0])
    classes = BANDS.replace("min_score: 80", "min_score: 83.2")
    result = screen(frame, minimal_rules(gates=REVIEW_GATE, classes=classes))
    assert result.summary["total"].iloc[0] == 83.19999999999999  # kept as computed, never rounded
    assert result.summary["class"].iloc[0] == "A"
