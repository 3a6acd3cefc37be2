"""Which pairs the optimiser may choose, what each is worth, and the limits it works within."""

from __future__ import annotations

import numpy as np
import pytest

from screening.district.batch import load_batch
from screening.district.matrix import pair_table
from screening.district.money import Retention
from screening.district.problem import Options, build_problem
from screening.issues.record import ScreeningError
from screening.vocabulary import Eligibility, Objective, Role
from tests.conftest import minimal_rules


def test_only_eligible_pairs_worth_something_are_variables(demo_batch, demo_matrix):
    p = build_problem(demo_batch, demo_matrix.pairs, Options())
    eligible = demo_matrix.pairs[demo_matrix.pairs["eligibility"] == Eligibility.ELIGIBLE.value]
    assert len(p.firm) == len(eligible) == 153
    assert (p.value > 0).all()
    assert p.quota.tolist() == [500, 800, 600, 300, 120]
    np.testing.assert_array_equal(p.pair_land, np.nan_to_num(demo_batch.role_numbers(Role.LAND_REQUESTED))[p.firm])


def test_values_by_objective(demo_batch, demo_matrix):
    pairs = demo_matrix.pairs
    tax = demo_batch.role_numbers(Role.TAX)
    compensation = demo_batch.role_numbers(Role.COMPENSATION)
    by_tax = build_problem(demo_batch, pairs, Options(objective=Objective.TAX))
    np.testing.assert_allclose(by_tax.value, tax[by_tax.firm])
    net = build_problem(demo_batch, pairs, Options(objective=Objective.NET, years=8))
    np.testing.assert_allclose(net.value, 8 * tax[net.firm] - compensation[net.firm])  # whole tax: no share given
    kept = build_problem(demo_batch, pairs, Options(objective=Objective.NET, years=8, retention=Retention(0.4)))
    assert len(kept.firm) < len(net.firm)  # keeping 40 % of the tax, fewer firms pay back their compensation


def test_the_net_objective_needs_years(demo_batch, demo_matrix):
    with pytest.raises(ScreeningError) as missing:
        build_problem(demo_batch, demo_matrix.pairs, Options(objective=Objective.NET))
    assert missing.value.issues[0].code == "district-years-needed"


def test_forcing_in_and_out(demo_batch, demo_matrix):
    pairs = demo_matrix.pairs
    nowhere = int(demo_matrix.firms.loc[demo_matrix.firms["n_eligible"] == 0, "firm"].iloc[0])
    named = build_problem(demo_batch, pairs, Options(force_in={nowhere: "sme-park"}))
    assert named.must[nowhere] and named.park[named.firm == nowhere].tolist() == [3]  # the user's override
    with pytest.raises(ScreeningError) as lost:
        build_problem(demo_batch, pairs, Options(force_in={nowhere: None}))
    assert lost.value.issues[0].code == "district-force-nowhere"
    somewhere = int(demo_matrix.firms.loc[demo_matrix.firms["n_eligible"] > 0, "firm"].iloc[0])
    out = build_problem(demo_batch, pairs, Options(force_out=frozenset({somewhere})))
    assert somewhere not in out.firm


def test_quota_from_the_rule_file_overridable_and_required(demo_upload, demo_batch, demo_matrix):
    p = build_problem(demo_batch, demo_matrix.pairs, Options(quotas={"talent-base": 200}))
    assert p.quota[4] == 200 and p.quota[0] == 500
    with pytest.raises(ScreeningError) as unknown:
        build_problem(demo_batch, demo_matrix.pairs, Options(quotas={"moon-base": 10}))
    assert unknown.value.issues[0].code == "district-unknown-park"
    no_capacity = load_batch([demo_upload], [minimal_rules()])
    pairs = pair_table(no_capacity)
    with pytest.raises(ScreeningError) as none:
        build_problem(no_capacity, pairs, Options())
    assert none.value.issues[0].code == "district-no-quota"
    assert build_problem(no_capacity, pairs, Options(quotas={"test-park": 100})).quota.tolist() == [100]
