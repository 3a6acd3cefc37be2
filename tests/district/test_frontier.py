"""What each extra 50 亩 buys: a curve that never goes down, starting at the plan's own allocation."""

from __future__ import annotations

import numpy as np
import pytest

from screening.issues.record import ScreeningError


def test_one_park_frontier(demo_plan):
    frontier = demo_plan.frontier("smart-mfg-town", step=50, steps=4, time_limit=3)
    table = frontier.table
    assert table["extra_mu"].tolist() == [0, 50, 100, 150, 200]
    assert table["objective"].iloc[0] == pytest.approx(demo_plan.totals["objective"])
    assert (np.diff(table["objective"]) >= -1e-9).all()
    assert (table["objective"] <= table["bound"] + 1e-9).all()
    assert table["gain_objective"].iloc[1:].sum() == pytest.approx(
        table["objective"].iloc[-1] - table["objective"].iloc[0]
    )
    figure = frontier.figure("en")
    assert figure["x"] == table["extra_mu"].tolist() and figure["x_label"] == "Extra land (mu)"


def test_district_wide_extra_land_buys_at_least_as_much_as_giving_it_to_one_park(demo_plan):
    district = demo_plan.frontier("district", step=50, steps=3, time_limit=3).table
    one_park = demo_plan.frontier("talent-base", step=50, steps=3, time_limit=3).table
    assert (district["bound"] >= one_park["objective"] - 1e-6).all()  # the pool can always do what one park does
    assert (district["land_used"] <= demo_plan.problem.quota.sum() + district["extra_mu"] + 1e-6).all()


def test_unknown_scope_is_a_clear_error(demo_plan):
    with pytest.raises(ScreeningError) as bad:
        demo_plan.frontier("moon-base")
    assert bad.value.issues[0].code == "district-unknown-park"
