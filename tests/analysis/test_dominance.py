"""Dominance audit, checked against scikit-criteria's dominance matrix on the sample data."""

import numpy as np
import skcriteria as skc

from screening.analysis.dominance import dominated_by, weakly_dominates
from screening.analysis.outcomes import fixed_parts
from screening.engine.screen import screen
from screening.pipeline import screen_file
from tests.conftest import firms, minimal_rules


def test_equal_to_scikit_criteria_on_the_sample_data(profiles, demo_bytes):
    """ "Beats or equals on every criterion" is scikit-criteria's dominance (better on one, worse on
    none) or equality on all criteria — on the criterion shares of the demo list's scored firms."""
    result = screen_file(demo_bytes, profiles["smart-mfg-town"], file_name="demo.xlsx", applicants_only=False)
    fixed = fixed_parts(result)
    scored = np.flatnonzero(fixed.scored)
    shares = np.round(fixed.shares[scored], 9)
    matrix = skc.mkdm(shares, objectives=[max] * shares.shape[1], alternatives=[f"a{i}" for i in scored])
    theirs = matrix.dominance.dominance(strict=False).to_numpy() | (matrix.dominance.eq().to_numpy() == shares.shape[1])
    np.fill_diagonal(theirs, False)
    ours = weakly_dominates(fixed.shares[scored], np.arange(shares.shape[1]))
    assert theirs.any()
    assert np.array_equal(ours, theirs)


def test_an_admitted_firm_beaten_on_everything_by_one_left_out_is_flagged():
    """Firm 丙 is left out by a veto on safety but scores at least as well on every criterion as the
    admitted 乙; 甲 beats 乙 too but is admitted itself, so it is not listed."""
    gates = """
gates:
  - {id: no-accident, label: {zh: 无安全事故}, department: 安监, severity: veto, input: safety_accident, op: "==",
     value: false, basis: hnte-2016}
"""
    result = screen(
        firms(
            name=["甲", "乙", "丙"],
            tax_paid=[500.0, 300.0, 400.0],
            land_area=[10.0] * 3,
            rd_expense=[40.0, 30.0, 30.0],
            revenue=[1000.0] * 3,
            safety_accident=[False, False, True],
        ),
        minimal_rules(gates=gates),
    )
    assert list(result.summary["decision"]) == ["admit", "admit", "reject"]
    found = dominated_by(result, fixed_parts(result))
    assert found == [[], [4], []]
