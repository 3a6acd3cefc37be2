import numpy as np
import pandas as pd
import pytest

from screening.engine.conditions import (
    FAIL,
    MISSING,
    PASS,
    Columns,
    combine,
    evaluate_condition,
    industry_threshold,
    margin,
    numeric_status,
    text_status,
    tiered_threshold,
)
from screening.rules.fields import load_catalogue, resolve_input
from screening.rules.schema import Condition, Tiers

VALUES = np.array([10.0, 30.0, 50.0, np.nan])


@pytest.mark.parametrize(
    "op, threshold, expected",
    [
        (">=", 30, [FAIL, PASS, PASS, MISSING]),
        (">", 30, [FAIL, FAIL, PASS, MISSING]),
        ("<=", 30, [PASS, PASS, FAIL, MISSING]),
        ("<", 30, [PASS, FAIL, FAIL, MISSING]),
        ("==", 30, [FAIL, PASS, FAIL, MISSING]),
        ("!=", 30, [PASS, FAIL, PASS, MISSING]),
        ("between", (20, 40), [FAIL, PASS, FAIL, MISSING]),
        ("in", [10, 50], [PASS, FAIL, PASS, MISSING]),
        ("not_in", [10, 50], [FAIL, PASS, FAIL, MISSING]),
    ],
)
def test_every_numeric_operator(op, threshold, expected):
    assert numeric_status(VALUES, op, threshold).tolist() == expected


def test_margins_are_signed_room_in_the_indicator_unit():
    # >= 30: 10 is 20 short, 50 has 20 to spare; <= 30 mirrors it; between 20..40 takes the nearer edge
    np.testing.assert_allclose(margin(VALUES[:3], ">=", 30), [-20, 0, 20])
    np.testing.assert_allclose(margin(VALUES[:3], "<=", 30), [20, 0, -20])
    np.testing.assert_allclose(margin(VALUES[:3], "between", (20, 40)), [-10, 10, -10])
    assert margin(VALUES, "in", [1]) is None


def test_per_firm_thresholds_and_missing_thresholds():
    assert numeric_status(np.array([5.0, 5.0]), ">=", np.array([4.0, np.nan])).tolist() == [PASS, MISSING]


def test_all_and_any_follow_three_valued_logic():
    a = np.array([PASS, PASS, FAIL, MISSING, MISSING], dtype=np.int8)
    b = np.array([PASS, MISSING, MISSING, MISSING, PASS], dtype=np.int8)
    assert combine([a, b], "all").tolist() == [PASS, MISSING, FAIL, MISSING, MISSING]
    assert combine([a, b], "any").tolist() == [PASS, PASS, MISSING, MISSING, PASS]


def _columns(**data) -> Columns:
    catalogue = load_catalogue()
    frame = pd.DataFrame(data)
    inputs = {k: resolve_input(k, catalogue.fields[k], catalogue) for k in data}
    return Columns(frame, inputs)


def test_industry_thresholds_take_the_longest_matching_prefix_else_the_default():
    cols = _columns(industry_code=["2614", "2710", "3512", None, "26"])
    threshold = industry_threshold(30.0, {"26": 40.0, "2614": 45.0, "27": 35.0}, cols)
    assert threshold.tolist() == [45.0, 35.0, 30.0, 30.0, 40.0]


def test_industry_lists_match_by_prefix_and_missing_codes_are_missing():
    cols = _columns(industry_code=["3512", "2614", None])
    status = text_status(cols.coded("industry_code"), "in", ["33", "35"], prefix=True)
    assert status.tolist() == [PASS, FAIL, MISSING]


def test_text_lists_match_exactly():
    cols = _columns(catalogue_class=["淘汰类", "鼓励类", None])
    status = text_status(cols.coded("catalogue_class"), "not_in", ["淘汰类"], prefix=False)
    assert status.tolist() == [FAIL, PASS, MISSING]


def test_tiered_threshold_uses_inclusive_upper_limits():
    """高新技术企业认定 (国科发火〔2016〕32号): sales ≤5000万 → 5 %, ≤2亿 → 4 %, above → 3 %."""
    tiers = Tiers.model_validate(
        {"by": "revenue", "bands": [{"upto": 5000, "value": 5}, {"upto": 20000, "value": 4}, {"value": 3}]}
    )
    cols = _columns(revenue=[100.0, 5000.0, 5000.01, 20000.0, 90000.0, np.nan])
    assert tiered_threshold(tiers, cols)[:5].tolist() == [5, 5, 4, 4, 3]
    assert np.isnan(tiered_threshold(tiers, cols)[5])


def test_flag_conditions_and_missing_tests():
    cols = _columns(safety_accident=pd.array([True, False, None], dtype="boolean"))
    clean = Condition.model_validate({"input": "safety_accident", "op": "==", "value": False})
    assert evaluate_condition(clean, cols).tolist() == [FAIL, PASS, MISSING]
    missing = Condition.model_validate({"missing": "safety_accident"})
    assert evaluate_condition(missing, cols).tolist() == [FAIL, FAIL, PASS]


def test_nested_conditions():
    cols = _columns(revenue=[100.0, 3000.0, 3000.0], employees=[5.0, 5.0, 50.0])
    cond = Condition.model_validate(
        {
            "any": [
                {"input": "revenue", "op": "<", "value": 2000},
                {"all": [{"input": "employees", "op": ">=", "value": 20}, {"input": "revenue", "op": ">", "value": 0}]},
            ]
        }
    )
    assert evaluate_condition(cond, cols).tolist() == [PASS, FAIL, PASS]


def test_not_swaps_pass_and_fail_and_keeps_missing_missing():
    cols = _columns(safety_accident=pd.array([True, False, None], dtype="boolean"))
    accident = {"input": "safety_accident", "op": "==", "value": True}
    assert evaluate_condition(Condition.model_validate({"not": accident}), cols).tolist() == [FAIL, PASS, MISSING]
    twice = Condition.model_validate({"not": {"not": accident}})
    assert evaluate_condition(twice, cols).tolist() == [PASS, FAIL, MISSING]


def test_a_floor_unless_vetoed_is_one_condition(profiles):
    """Changle: new firms are not put in D "unless vetoed" — all: [new, not: any: [vetoes]]."""
    cols = _columns(
        years_operating=[1.0, 1.0, 1.0, 9.0],
        safety_accident=pd.array([False, True, False, False], dtype="boolean"),
        env_violation=pd.array([False, False, None, False], dtype="boolean"),
    )
    floor = Condition.model_validate(
        {
            "all": [
                {"input": "years_operating", "op": "<", "value": 2},
                {"not": {"any": [
                    {"input": "safety_accident", "op": "==", "value": True},
                    {"input": "env_violation", "op": "==", "value": True},
                ]}},
            ]
        }
    )  # fmt: skip
    # a young clean firm is protected; a young firm with an accident is not; an unknown record is not
    # known to be clean (missing, so not met); an old firm is not young
    assert evaluate_condition(floor, cols).tolist() == [PASS, FAIL, MISSING, FAIL]


def test_a_missing_test_on_a_column_the_list_lacks_is_missing_not_met():
    catalogue = load_catalogue()
    inputs = {k: resolve_input(k, catalogue.fields[k], catalogue) for k in ("revenue", "energy_tce")}
    cols = Columns(pd.DataFrame({"revenue": [1.0, np.nan]}), inputs)  # energy_tce declared, not in the list
    assert evaluate_condition(Condition.model_validate({"missing": "revenue"}), cols).tolist() == [FAIL, PASS]
    assert evaluate_condition(Condition.model_validate({"missing": "energy_tce"}), cols).tolist() == [MISSING] * 2
