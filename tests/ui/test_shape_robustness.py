"""The 稳健性 page's shaping, without Streamlit: weight information, the hand-worked two-firm case,
what the meeting sees first, the dominance audit in words."""

from __future__ import annotations

import pandas as pd
import pytest

from screening.analysis.robustness import robustness
from screening.pipeline import load_sources, screen_file, screen_table
from screening.vocabulary import Robustness
from tests.conftest import DEMO
from tests.ui.pages_fixtures import MONTE_CARLO_TOLERANCE, TWO_FIRMS, hand_rules
from ui.shape import robustness as shape
from ui.shape.robustness import WeightChoice


@pytest.fixture(scope="module")
def two_firms():
    rules = hand_rules()
    return screen_table(load_sources([("two.csv", TWO_FIRMS)], rules), rules)


def p_admit(result, choice: WeightChoice) -> dict[str, float]:
    found = robustness(result, choice.info(), samples=10_000, seed=0)
    return dict(zip(found.firms["name"], found.firms["p_admit"], strict=True))


def test_each_kind_of_information_becomes_the_library_s():
    assert not WeightChoice().info().informative
    spread = WeightChoice("spread", spread_percent=20.0).info()
    assert spread.kind == "spread" and spread.spread == pytest.approx(0.2)
    ranges = WeightChoice("ranges", ranges=(("tax_per_mu", 60.0, 70.0),)).info()
    assert ranges.ranges == {"tax_per_mu": (60.0, 70.0)} and ranges.informative
    orders = WeightChoice("orders", orders=(("tax_per_mu", "rd_ratio"), ("rd_ratio",), ())).info()
    assert orders.orders == (("tax_per_mu", "rd_ratio"),)  # a single pick is no order
    assert not WeightChoice("orders", orders=((), ("rd_ratio",))).info().informative  # nothing said at all


def test_the_two_firm_case_matches_the_hand_worked_probabilities(two_firms):
    """w_tax uniform on [0, 100]: admitted iff w_tax ≥ 60 → 0.4; tax ≥ R&D: w_tax on [50, 100] → 0.8 and 0;
    60 ≤ w_tax ≤ 70 → 1 and 0 (see tests/ui/pages_fixtures.py)."""
    none = p_admit(two_firms, WeightChoice())
    assert none["强税公司"] == pytest.approx(0.4, abs=MONTE_CARLO_TOLERANCE)
    assert none["强研公司"] == pytest.approx(0.4, abs=MONTE_CARLO_TOLERANCE)
    ordered = p_admit(two_firms, WeightChoice("orders", orders=(("tax_per_mu", "rd_ratio"),)))
    assert ordered["强税公司"] == pytest.approx(0.8, abs=MONTE_CARLO_TOLERANCE) and ordered["强研公司"] == 0
    ranged = WeightChoice("ranges", ranges=(("tax_per_mu", 60.0, 70.0), ("rd_ratio", 30.0, 40.0)))
    assert p_admit(two_firms, ranged) == {"强税公司": 1.0, "强研公司": 0.0}


def test_default_ranges_are_the_standard_weight_plus_minus_twenty_percent(two_firms):
    found = {c.key: c for c in shape.criteria(two_firms.ruleset, "zh")}
    assert found["tax_per_mu"].label == "亩均税收" and found["tax_per_mu"].weight == 60
    assert shape.default_range(found["tax_per_mu"]) == pytest.approx((48.0, 72.0))
    assert shape.default_range(found["rd_ratio"], 200.0) == (0.0, 100.0)  # never below 0 nor above the total


def test_the_table_drops_what_would_be_empty_and_keeps_probabilities(two_firms):
    robust = robustness(two_firms, WeightChoice().info(), samples=2_000, seed=1)
    frame = shape.firm_table(two_firms, robust, "zh")
    assert "入园概率" in frame.columns and "被以下未入园企业全面占优（Excel行号）" not in frame.columns
    assert shape.probability_columns(frame, "zh")[0] == "入园概率"
    assert all(str(c).startswith("等级概率") for c in shape.probability_columns(frame, "zh")[1:])


def test_bars_leave_out_firms_never_admitted(two_firms):
    ranged = WeightChoice("ranges", ranges=(("tax_per_mu", 60.0, 70.0), ("rd_ratio", 30.0, 40.0)))
    bars = shape.admission_bars(robustness(two_firms, ranged.info(), samples=2_000, seed=0), "zh")
    assert bars == {"names": ["强税公司（第2行）"], "values": [1.0], "labels": [Robustness.CORE.value]}


def test_an_evaluation_speaks_of_class_stability_least_stable_first(profiles):
    result = screen_file(DEMO, profiles["huangyan-2022"])
    robust = robustness(result, WeightChoice().info(), samples=2_000, seed=0)
    assert set(shape.counts(result, robust)) == {Robustness.CLASS_STABLE, Robustness.CLASS_SHIFTS}
    frame = shape.firm_table(result, robust, "zh")
    assert "入园概率" not in frame.columns and not any(str(c).startswith("中心权重") for c in frame.columns)
    own = [frame.at[i, f"等级概率：{frame.at[i, '等级']}"] for i in range(len(frame)) if pd.notna(frame.at[i, "等级"])]
    assert own == sorted(own)  # least likely to keep its class first
    bars = shape.class_bars(result, robust, "zh", limit=5)
    assert len(bars["names"]) == 5 and set(bars["shares"]) == {"A", "B", "C", "D"}


def test_the_dominance_audit_names_the_firms_left_out(profiles):
    result = screen_file(DEMO, profiles["smart-mfg-town"])
    robust = robustness(result, WeightChoice().info(), samples=500, seed=0)
    hit = robust.firms[robust.firms["dominated_by"].map(len) > 0]
    frame = shape.dominance_table(robust, "zh")
    assert len(hit) > 0 and len(frame) == len(hit)  # the sample has one: the check has something to check
    names = dict(zip(robust.firms["source_row"], robust.firms["name"], strict=True))
    for text, rows in zip(frame.iloc[:, 3], hit["dominated_by"], strict=True):
        assert text == "；".join(f"第{r}行 {names[r]}" for r in rows)


def test_the_gap_view_opens_on_the_best_ranked_firm_not_admitted(profiles, two_firms):
    assert shape.first_to_explain(two_firms) == 3  # 强研公司, under review
    result = screen_file(DEMO, profiles["smart-mfg-town"])
    row = shape.first_to_explain(result)
    summary = result.summary.set_index("source_row")
    assert summary.at[row, "decision"] != "admit"
    ranked_better = summary[summary["rank"] < summary.at[row, "rank"]]
    assert (ranked_better["decision"] == "admit").all()
    choices = shape.firm_choices(result, "zh")
    assert choices[row].endswith(f"第{row}行") and next(iter(choices)) == int(summary["rank"].idxmin())
