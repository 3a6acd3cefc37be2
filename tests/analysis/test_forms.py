"""Indicator forms in one lever: affine, reciprocal, or no closed form — read off the formula tree."""

import numpy as np
import pytest

from screening.analysis.forms import AFFINE, CONST, OTHER, RECIP, lever_form, slope_sign, solve
from screening.rules.loading import parse_rules
from tests.conftest import minimal_rules


def rules_with(formula: str):
    text = minimal_rules().text.replace("formula: rd_expense / revenue * 100", f'formula: "{formula}"')
    return parse_rules(text, source="test.yaml")


def numbers_of(values: dict):
    return lambda name: np.asarray(values[name], dtype=float)


VALUES = {
    "tax_paid": [100.0, 50.0],
    "land_area": [10.0, 4.0],
    "rd_expense": [5.0, 0.0],
    "revenue": [200.0, 100.0],
    "rd_ratio": [0.025, 0.0],  # the indicator's current value, used when the lever does not touch it
}


@pytest.mark.parametrize(
    ("formula", "lever", "kind", "p", "q"),
    [
        ("rd_expense / revenue * 100", "rd_expense", AFFINE, [0, 0], [0.5, 1.0]),
        ("rd_expense / revenue * 100", "revenue", RECIP, [0, 0], [500.0, 0.0]),
        ("(rd_expense + tax_paid) / 2 - 1", "tax_paid", AFFINE, [1.5, -1.0], [0.5, 0.5]),
        ("-rd_expense / land_area", "land_area", RECIP, [0, 0], [-5.0, -0.0]),
        ("rd_expense / revenue", "land_area", CONST, [0.025, 0.0], [0, 0]),
    ],
)
def test_forms_and_their_coefficients(formula, lever, kind, p, q):
    rules = rules_with(formula)
    form = lever_form(rules, numbers_of(VALUES), "rd_ratio", lever, 2)
    assert form.kind == kind
    assert form.p == pytest.approx(p)
    assert form.q == pytest.approx(q)


@pytest.mark.parametrize(
    "formula",
    ["rd_expense * rd_expense / revenue", "max(rd_expense, 1) / revenue", "rd_expense / (rd_expense + revenue)"],
)
def test_no_closed_form(formula):
    form = lever_form(rules_with(formula), numbers_of(VALUES), "rd_ratio", "rd_expense", 2)
    assert form.kind == OTHER


def test_solve_inverts_the_form_and_the_slope_says_which_way():
    rules = rules_with("rd_expense / revenue * 100")
    affine = lever_form(rules, numbers_of(VALUES), "rd_ratio", "rd_expense", 2)
    assert solve(affine, np.array([3.0, 3.0])) == pytest.approx([6.0, 3.0])  # 3 % of 200 and of 100
    assert list(slope_sign(affine)) == [1.0, 1.0]
    recip = lever_form(rules, numbers_of(VALUES), "rd_ratio", "revenue", 2)
    assert solve(recip, np.array([2.0, 2.0]))[0] == pytest.approx(250.0)  # 5 / 250 = 2 %
    assert np.isnan(solve(recip, np.array([2.0, 2.0]))[1])  # no R&D: no revenue gives 2 %
    assert slope_sign(recip)[0] == -1.0
