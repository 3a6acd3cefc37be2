"""From file to result: only a park's applicants compete, and nobody is lost on the way."""

import numpy as np

from screening.intake.loading import load_firms
from screening.pipeline import applicants, screen_table
from tests.conftest import DEMO


def test_only_applicants_compete_and_the_others_are_listed(profiles):
    rules = profiles["bio-medicine-park"]
    table = load_firms(DEMO.read_bytes(), DEMO.name, rules.load_fields)
    result = screen_table(table, rules)
    mask = applicants(table.firms, rules)
    assert result.size == mask.sum() == 45
    assert (result.firms["target_park"] == "生物医药产业园").all()
    rows = np.concatenate([result.summary["source_row"].to_numpy(), result.elsewhere["source_row"].to_numpy()])
    assert sorted(rows) == sorted(table.firms["source_row"])  # every firm row is in one of the two
    assert set(result.elsewhere["target_park"]) == {
        "智造新城",
        "化工园",
        "中小企业转型发展示范园",
        "高层次人才创新创业基地",
    }


def test_screening_everyone_when_asked_or_when_the_list_names_no_park(profiles):
    rules = profiles["huangyan-2022"]  # an evaluation: no firm applies to it by name
    table = load_firms(DEMO.read_bytes(), DEMO.name, rules.load_fields)
    assert applicants(table.firms, rules) is None
    assert screen_table(table, rules).size == 300
    assert screen_table(table, profiles["sme-park"], applicants_only=False).size == 300
