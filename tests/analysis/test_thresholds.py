"""Classes as per-sample score thresholds (the engine oracle in test_robustness covers whole lists)."""

import numpy as np
import pytest

from screening.analysis.standings import Standings
from screening.analysis.thresholds import thresholds
from screening.engine.screen import screen
from tests.conftest import firms, minimal_rules

PERCENTILE = """classes:
  method: percentile
  bands:
    - {class: A, top_share: 0.2}
    - {class: B, top_share: 0.6}
    - {class: C}
  basis: district-choice"""


def test_percentile_thresholds_are_the_kth_best_totals():
    """Ten firms: A = the best 2, B = the best 6. In each sample the thresholds are the 2nd and 6th best."""
    rules = minimal_rules(classes=PERCENTILE, decision="decision: {admit: [A, B], reject: [C]}")
    result = screen(firms(name=list("abcdefghij"), tax_paid=[1.0] * 10, land_area=[1.0] * 10), rules)
    total = np.random.default_rng(0).random((10, 7)) * 100
    found = thresholds(result, np.arange(10), total)
    ordered = -np.sort(-total, axis=0)
    assert found[0] == pytest.approx(ordered[1])
    assert found[1] == pytest.approx(ordered[5])


def test_a_capped_class_keeps_its_best():
    """Bands A ≥ 80, B ≥ 60 with A ≤ 20 % of ten firms: when five score 80+, A starts at the 2nd best."""
    rules = minimal_rules(
        classes="""classes:
  method: bands
  bands:
    - {class: A, min_score: 80}
    - {class: B, min_score: 60}
    - {class: D}
  quotas: {A: {max_share: 0.2}}
  basis: district-choice""",
        decision="decision: {admit: [A, B], reject: [D]}",
    )
    result = screen(firms(name=list("abcdefghij"), tax_paid=[1.0] * 10, land_area=[1.0] * 10), rules)
    total = np.array([[95, 90, 85, 84, 81, 70, 65, 50, 40, 30]], dtype=float).T
    found = thresholds(result, np.arange(10), total)
    assert found[0, 0] == 90  # only the best two stay in A
    assert found[1, 0] == pytest.approx(60 - 5e-7)


def test_standings_beat_the_kth_other():
    rules = minimal_rules()
    result = screen(
        firms(
            name=list("abcd"),
            tax_paid=[500.0, 400.0, 300.0, 200.0],
            land_area=[10.0] * 4,
            rd_expense=[0.0] * 4,
            revenue=[1.0] * 4,
        ),
        rules,
    )
    stand = Standings(result)
    totals = result.summary["total"].to_numpy()
    # to be first, the last firm must beat the best; the best must beat the second best
    need = stand.beat(np.ones(4, dtype=np.int64))
    assert need[3] == pytest.approx(totals[0] + 1e-6)
    assert need[0] == pytest.approx(totals[1] + 1e-6)
    assert stand.beat(np.full(4, 4))[0] == -np.inf  # only three others: any score is 4th or better
