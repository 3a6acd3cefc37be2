"""Payback found through roles, whatever the columns are called."""

import numpy as np
import pandas as pd

from screening.engine.money import payback_years
from screening.engine.screen import screen
from tests.conftest import minimal_rules


def test_payback_is_compensation_over_tax_and_blank_without_positive_tax():
    ruleset = minimal_rules(**{"  scale: {}\n": "  scale: {}\n  relocation_compensation: {}\n"})
    firms = pd.DataFrame(
        {
            "name": ["甲", "乙", "丙"],
            "tax_paid": [50.0, 0.0, np.nan],
            "land_area": [10.0, 10.0, 10.0],
            "relocation_compensation": [400.0, 300.0, 200.0],
        }
    )
    result = screen(firms, ruleset)
    years = payback_years(result)
    assert years[0] == 8.0  # 400 ÷ 50, by hand
    assert np.isnan(years[1]) and np.isnan(years[2])


def test_a_renamed_tax_input_is_found_by_its_role():
    """A rule file that calls the tax column something else still gets payback, through role: tax."""
    ruleset = minimal_rules(
        **{
            "  tax_paid: {}\n": "  local_tax: {label: {zh: 地方税收}, type: number, unit: 万元, role: tax}\n",
            "formula: tax_paid / land_area": "formula: local_tax / land_area",
            "  scale: {}\n": "  scale: {}\n  relocation_compensation: {}\n",
        }
    )
    firms = pd.DataFrame({"name": ["甲"], "local_tax": [25.0], "land_area": [5.0], "relocation_compensation": [100.0]})
    assert payback_years(screen(firms, ruleset))[0] == 4.0  # 100 ÷ 25
