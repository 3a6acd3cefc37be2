"""Why a firm is in or out, in words: forced, eligible nowhere (which rule where), or crowded out — its value per
亩 against the marginal firm's."""

from __future__ import annotations

import re

import numpy as np
import pytest

from screening.district.explain import fill_template, marginal_firms, number_text
from screening.vocabulary import Placement


def test_firms_eligible_nowhere_are_told_each_parks_first_rule(demo_plan):
    nowhere = demo_plan.firms[demo_plan.firms["placement"] == Placement.NOT_ELIGIBLE.value]
    first = nowhere[nowhere["source_row"] == 5]["reason_zh"].item()
    parks = demo_plan.parks["name_zh"].tolist()
    assert [part.split("：")[0] for part in first.split("；")] == parks
    assert "生物医药产业园：未通过：近三年无环境违法" in first


def test_a_crowded_out_firm_is_compared_with_the_marginal_firm_of_its_closest_park(demo_plan):
    plan = demo_plan
    margin = marginal_firms(plan.problem, plan.solution.chosen).set_index("park")
    crowded = plan.firms[plan.firms["placement"] == Placement.LAND.value]
    assert len(crowded) > 0
    for text in crowded["reason_zh"]:
        park = next(name for name in plan.parks["name_zh"] if text.startswith(f"可入{name}"))
        park_id = plan.parks.set_index("name_zh").loc[park, "park"]
        numbers = re.findall(r"[\d,]+\.\d", text)
        if "每亩价值" in text:
            own, bar = (float(n.replace(",", "")) for n in numbers[:2])
            assert own <= bar + 0.05
            assert bar == round(margin.loc[park_id, "value_per_mu"], 1)


def test_the_marginal_firm_is_the_allocated_one_worth_least_per_mu(demo_plan):
    p, chosen = demo_plan.problem, demo_plan.solution.chosen
    margin = marginal_firms(p, chosen)
    for index, row in margin.iterrows():
        here = chosen & (p.park == index)
        per_mu = p.value[here] / p.pair_land[here]
        assert row["value_per_mu"] == per_mu.min()
        assert row["land_left"] == pytest.approx(p.quota[index] - p.pair_land[here].sum())


def test_templates_fill_whole_columns():
    values = {"park": np.array(["甲", "乙"], dtype=object), "own": number_text(np.array([1234.56, np.nan]))}
    assert fill_template("可入{park}，每亩 {own}", values).tolist() == ["可入甲，每亩 1,234.6", "可入乙，每亩 —"]
