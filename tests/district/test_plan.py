"""The district's answer end to end on the demo batch: nothing lost, every rule kept, optimum beside rank order."""

from __future__ import annotations

import numpy as np
import pytest

from screening.district import Options, Retention, load_batch
from screening.district.plan import allocate, district_matrix
from screening.issues.record import ScreeningError
from screening.vocabulary import Objective, Placement, Role


def _firm_at(plan, park: str) -> np.ndarray:
    return plan.firms["park"].to_numpy(dtype=object) == park


def test_every_firm_is_in_the_answer_once(demo_plan, demo_batch):
    assert len(demo_plan.firms) == demo_batch.size
    assert demo_plan.firms["source_row"].tolist() == demo_batch.firms["source_row"].tolist()
    assert demo_plan.firms["placement"].isin([p.value for p in Placement]).all()
    assert (demo_plan.firms["reason_zh"] != "").all() and (demo_plan.firms["reason_en"] != "").all()


def test_the_allocation_keeps_every_rule(demo_plan):
    plan = demo_plan
    assert plan.status == "optimal"
    pairs = plan.matrix.pairs.set_index(["firm", "park"])
    for park, quota in zip(plan.parks["park"], plan.parks["quota"], strict=True):
        here = _firm_at(plan, park)
        assert plan.firms.loc[here, "land"].sum() <= quota + 1e-9
        eligible = pairs.loc[[(f, park) for f in plan.firms.loc[here, "firm"]], "eligibility"]
        assert (eligible == "eligible").all()
    totals = plan.totals
    placed = plan.firms["park"].notna()
    assert totals["firms"] == placed.sum()
    assert totals["tax"] == pytest.approx(plan.firms.loc[placed, "tax"].sum())
    assert totals["compensation"] == pytest.approx(plan.firms.loc[placed, "compensation"].sum())
    assert totals["objective"] >= plan.greedy_totals["objective"]


def test_the_optimum_beside_the_rank_order_fill(demo_plan):
    differences = demo_plan.differences
    assert len(differences) > 0 and set(differences["change"]) <= {"in", "out", "moved"}
    gained = demo_plan.totals["objective"] - demo_plan.greedy_totals["objective"]
    from_changes = differences["value"].fillna(0).sum()
    dropped = demo_plan.problem.value[demo_plan.greedy & ~demo_plan.solution.chosen].sum()
    assert gained == pytest.approx(from_changes - dropped)  # what the optimum gains is what the changed firms bring


def test_force_in_force_out_and_a_named_park(demo_batch, demo_matrix, demo_plan):
    firms = demo_plan.firms
    left_out = int(firms.loc[firms["placement"] == Placement.LAND.value, "firm"].iloc[0])
    chosen = int(firms.loc[firms["placement"] == Placement.ALLOCATED.value, "firm"].iloc[0])
    nowhere = int(firms.loc[firms["placement"] == Placement.NOT_ELIGIBLE.value, "firm"].iloc[0])
    options = Options(force_in={left_out: None, nowhere: "sme-park"}, force_out=frozenset({chosen}))
    plan = allocate(demo_batch, demo_matrix, options)
    placement = plan.firms.set_index("firm")["placement"]
    assert placement[left_out] == placement[nowhere] == Placement.FORCED_IN.value
    assert plan.firms.set_index("firm").loc[nowhere, "park"] == "sme-park"
    assert placement[chosen] == Placement.FORCED_OUT.value
    assert plan.totals["objective"] <= demo_plan.totals["objective"] + 1e-9  # constraints never help


def test_forced_firms_that_cannot_fit_are_reported(demo_batch, demo_matrix):
    firms = demo_matrix.firms
    eligible = firms.loc[firms["n_eligible"] > 0, "firm"].astype(int).tolist()
    plan = allocate(demo_batch, demo_matrix, Options(force_in=dict.fromkeys(eligible), quotas={"talent-base": 1}))
    assert plan.status == "infeasible"
    assert "district-infeasible" in plan.issues["code"].tolist()


def test_a_budget_binds_and_says_so(demo_batch, demo_matrix, demo_plan):
    budget = demo_plan.totals["compensation"] / 3
    plan = allocate(demo_batch, demo_matrix, Options(budget=budget))
    assert plan.totals["compensation"] <= budget + 1e-6
    budget_firms = plan.firms[plan.firms["placement"] == Placement.BUDGET.value]
    assert len(budget_firms) > 0 and budget_firms["reason_zh"].str.contains("预算只剩").all()


def test_objectives_and_the_money_view(demo_batch, demo_matrix):
    by_tax = allocate(demo_batch, demo_matrix, Options(objective=Objective.TAX))
    assert by_tax.totals["objective"] == pytest.approx(by_tax.totals["tax"])
    kept = Retention(share=0.5, ramp_up=2, rate=0.05)
    net = allocate(demo_batch, demo_matrix, Options(objective=Objective.NET, years=10, retention=kept))
    placed = net.firms["park"].notna()
    assert (net.firms.loc[placed, "npv"] > 0).all()  # net objective: only firms whose tax outweighs compensation
    assert net.firms["retained_tax"].dropna().equals(net.firms["tax"].dropna() * 0.5)
    summary = net.summary.set_index("group")
    assert summary.loc["batch", "firms"] == 300 and summary.loc["optimum", "firms"] == placed.sum()
    assert summary.loc["optimum", "npv"] == pytest.approx(net.firms.loc[placed, "npv"].sum())
    assert summary.loc["optimum", "npv"] == pytest.approx(net.totals["objective"])  # net objective = the NPV
    assert np.isnan(by_tax.summary.set_index("group").loc["batch", "retained_tax"])  # no share given: no figure


def test_settings_that_cannot_be_meant_stop_clearly(demo_batch, demo_matrix):
    for options in (Options(budget=-1), Options(retention=Retention(share=1.5)), Options(years=0)):
        with pytest.raises(ScreeningError) as bad:
            allocate(demo_batch, demo_matrix, options)
        assert bad.value.issues[0].code == "district-bad-option"
    with pytest.raises(ScreeningError) as both:
        allocate(demo_batch, demo_matrix, Options(force_in={3: None}, force_out=frozenset({3})))
    assert both.value.issues[0].code == "district-force-conflict"


def test_two_lists_with_different_headers_and_units(demo_upload, variant_upload, all_rulesets):
    batch = load_batch([demo_upload, variant_upload], all_rulesets)
    plan = allocate(batch, district_matrix(batch), Options(objective=Objective.TAX))
    assert len(plan.firms) == 420
    assert plan.status == "optimal" or plan.solution.gap < 1e-3
    land = batch.role_numbers(Role.LAND_REQUESTED)
    for park, quota in zip(plan.parks["park"], plan.parks["quota"], strict=True):
        assert land[_firm_at(plan, park)].sum() <= quota + 1e-6  # 平方米 counted in 亩 against the quota
