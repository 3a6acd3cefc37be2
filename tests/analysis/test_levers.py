"""Levers come from the rule file: ``lever: true`` on number inputs only."""

import pytest

from screening.analysis.levers import lever_ids
from screening.issues.record import ScreeningError
from screening.rules.loading import parse_rules
from tests.conftest import minimal_rules


def test_shipped_profiles_declare_the_issues_levers(profiles):
    assert lever_ids(profiles["smart-mfg-town"]) == [
        "tax_paid",
        "rd_expense",
        "energy_tce",
        "requested_land",
        "planned_investment",
    ]
    assert all(lever_ids(rules) for rules in profiles.values())
    assert lever_ids(minimal_rules()) == []


def test_a_text_input_cannot_be_a_lever():
    text = minimal_rules().text.replace("  scale: {}\n", "  scale: {lever: true}\n")
    with pytest.raises(ScreeningError) as bad:
        parse_rules(text, source="test.yaml")
    assert bad.value.issues[0].code == "rule-invalid"
    assert "inputs.scale.lever" in bad.value.issues[0].column
