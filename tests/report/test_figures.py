"""Numbers behind the app's figures (screening/figures.py)."""

import numpy as np
import pytest

from screening.pipeline import screen_file
from screening.report import figures
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def result(profiles):
    return screen_file(DEMO, profiles["smart-mfg-town"])


def test_headline_counts_and_sums(result):
    figs = figures.headline(result)
    assert figs["candidates"] == 110 and figs["elsewhere"] == 190
    assert sum(figs[d] for d in ("admit", "review", "reject", "not_scored")) == 110
    admitted = (result.summary["decision"] == "admit").to_numpy()
    assert figs["tax_admitted"] == pytest.approx(result.firms["tax_paid"].to_numpy()[admitted].sum())
    assert figs["land_quota"] == 600


def test_gate_sweep_counts_fall_as_the_threshold_rises(result):
    sweep = figures.gate_sweep(result, "gate.min-tax-per-mu")
    assert sweep["threshold"].iloc[0] == 0 and sweep["threshold"].iloc[-1] == 80
    assert (np.diff(sweep["passing"]) <= 0).all()
    at_30 = sweep.loc[sweep["threshold"] == 30, "passing"].iloc[0]
    assert at_30 == (result.gates["min-tax-per-mu"].status == 0).sum()


def test_admitted_sweep_matches_a_direct_screening(result, profiles):
    sweep = figures.admitted_sweep(result.firms, profiles["smart-mfg-town"], "gate.min-tax-per-mu", [30.0, 20.0])
    assert sweep["admitted"].iloc[0] == figures.headline(result)["admit"]
    assert sweep["admitted"].iloc[1] >= sweep["admitted"].iloc[0]


def test_radar_shares_and_the_threshold_on_the_same_scale(result):
    row = int(result.display_order()[0])
    shares = figures.radar(result, row)
    tax = shares[shares["axis"] == "亩均税收"].iloc[0]
    # ratio scoring with baseline 48.2 and cap 1: a firm exactly at the 30 万元/亩 gate gets 30 / 48.2
    assert tax["threshold"] == pytest.approx(100 * 30 / 48.2)
    assert 0 <= tax["firm"] <= 100
