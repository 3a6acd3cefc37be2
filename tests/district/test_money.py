"""The money view: payback, what the district keeps, present value — against hand-worked and published figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.district.money import Retention, batch_summary, money_table, net_values, speech_sentence
from screening.engine.money import simple_payback

money = st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300)
@given(st.lists(st.tuples(money, money), min_size=1, max_size=50), st.integers(1, 40))
def test_share_one_no_ramp_rate_zero_is_exactly_compensation_over_tax(pairs, years):
    compensation, tax = (np.array(x) for x in zip(*pairs, strict=True))
    plain = Retention(share=1.0, ramp_up=0.0, rate=0.0)
    assert (plain.payback(compensation, tax) == compensation / tax).all()  # exactly, not approximately
    assert (plain.payback(compensation, tax) == simple_payback(compensation, tax)).all()
    assert np.allclose(plain.present_value(tax, years) - compensation, years * tax - compensation, rtol=1e-12)


def test_published_dynamic_payback_example():
    """动态投资回收期 worked example (k51.com.cn exam solution): 1000 paid now, 200 a year, 10 %: cumulative
    discounted value turns positive in year 8; payback = (8 − 1) + 26.3 ÷ 93.3 = 7.28 years; after 8 years
    the cumulative net present value is 67."""
    discounted = Retention(share=1.0, ramp_up=0.0, rate=0.10)
    assert discounted.payback(np.array([1000.0]), np.array([200.0]))[0] == pytest.approx(7.28, abs=0.005)
    assert discounted.present_value(np.array([200.0]), 8)[0] - 1000 == pytest.approx(67, abs=0.05)


def test_ramp_up_by_hand():
    """Linear ramp to full production over 2 years: the years produce 1/4, 3/4, then 1, 1, … of full output.
    Tax 1 a year, share 1, rate 0: cumulative 0.25, 1, 2, 3; compensation 1.5 is covered at 2 + 0.5 = 2.5
    years, 0.5 at 1 + 0.25 ÷ 0.75 = 1⅓ years."""
    ramp = Retention(share=1.0, ramp_up=2.0)
    assert ramp.produced(np.arange(1, 5)).tolist() == [0.25, 0.75, 1.0, 1.0]
    assert ramp.cumulative(np.arange(0, 5)).tolist() == [0.0, 0.25, 1.0, 2.0, 3.0]
    assert ramp.payback(np.array([1.5, 0.5]), np.array([1.0, 1.0])) == pytest.approx([2.5, 4 / 3])


def test_share_and_discount_by_hand():
    """Share 0.5 of a 100 tax, 10 %: retained 50 a year worth 45.45, 41.32, 37.57 …; 120 of compensation is
    covered in year 3: 2 + (120 − 86.78) ÷ 37.57 = 2.884 years."""
    kept = Retention(share=0.5, rate=0.10)
    first_two = 50 / 1.1 + 50 / 1.1**2
    third = 50 / 1.1**3
    assert kept.payback(np.array([120.0]), np.array([100.0]))[0] == pytest.approx(2 + (120 - first_two) / third)


def test_a_compensation_never_covered_is_infinite_and_no_tax_is_unknown():
    kept = Retention(share=0.5, rate=0.10)  # 50 a year at 10 % is worth at most 500
    result = kept.payback(np.array([600.0, 100.0, 0.0]), np.array([100.0, 0.0, 100.0]))
    assert np.isinf(result[0]) and np.isnan(result[1]) and result[2] == 0.0


def test_the_reduction_check_can_fail():
    """A check that could not fail is not a check: a share below 1 moves the payback off compensation ÷ tax."""
    assert Retention(share=0.5).payback(np.array([10.0]), np.array([2.0]))[0] == 10.0  # = 10 ÷ (0.5 × 2)
    assert Retention(share=0.5).payback(np.array([10.0]), np.array([2.0]))[0] != 10.0 / 2.0


def test_money_table_leaves_the_district_view_empty_without_a_share():
    table = money_table(np.array([100.0]), np.array([500.0]), Retention(), years=10)
    assert table["payback"][0] == 5.0
    assert table[["retained_tax", "retained_payback", "npv"]].isna().all(axis=None)
    given_share = money_table(np.array([100.0]), np.array([500.0]), Retention(share=0.4), years=10)
    assert given_share["retained_tax"][0] == 40.0 and given_share["npv"][0] == pytest.approx(400 - 500)


def test_net_values_use_the_whole_tax_when_no_share_is_given():
    values = net_values(np.array([100.0, np.nan]), np.array([300.0, 50.0]), 5, Retention())
    assert values.tolist() == [200.0, -50.0]


def test_batch_summary_in_the_speech_terms():
    tax = np.array([600.0, 80.0, 30.0, 5.0, np.nan])
    compensation = np.array([3000.0, 900.0, 400.0, 200.0, 100.0])
    groups = {"batch": np.ones(5, dtype=bool), "optimum": np.array([True, True, False, False, False])}
    summary = batch_summary(tax, compensation, groups, (500.0, 50.0))
    batch = summary.iloc[0]
    assert batch["firms"] == 5 and batch["tax"] == 715.0 and batch["compensation"] == 4600.0
    assert batch["above_500"] == 1 and batch["below_50"] == 2 and batch["tax_missing"] == 1
    assert summary.iloc[1]["firms"] == 2
    sentence = speech_sentence(pd.Series(batch), (500.0, 50.0))
    assert sentence == "5家企业总税收0.07亿元，税收500万元及以上的1家，50万元以下的2家，搬迁补偿合计0.46亿元。"
