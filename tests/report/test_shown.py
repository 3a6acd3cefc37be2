"""Values and rules as people read them."""

import math

from screening.report.shown import fmt, fmt_against, references_text, rule_text
from screening.rules.schema import Stat


def test_fmt_rounds_for_reading_and_never_prints_nan():
    assert fmt(1234.5) == "1,234.5" and fmt(2.0) == "2" and fmt(-0.001) == "0"
    assert fmt(math.nan) == "—" and fmt(None) == "—"


def test_a_value_is_shown_with_as_many_decimals_as_it_takes_to_differ_from_its_threshold():
    assert fmt_against(1.98, 2.0) == ("1.98", "2")
    assert fmt_against(1.9999, 2.0) == ("1.9999", "2")
    assert fmt_against(29.99999996, 30.0, 1) == ("29.99999996", "30")  # the least that fails "≥ 30" beyond noise
    assert fmt_against(18.2, 30.0, 1) == ("18.2", "30")  # no extra digits when they differ anyway


def test_references_in_words():
    assert references_text([("baseline", 48.2), ("cap", 1.0)], "zh") == "基准值 48.2，封顶（权重的倍数） 1"
    assert references_text([("baseline", Stat(stat="mean", times=2.0))], "en") == "reference 2 × batch average"
    assert references_text([("best", Stat(stat="max")), ("worst", None)], "zh") == "最佳值 本批最大值"
    assert references_text([("best", 3000.0), ("floor", 0.2)], "zh", digits=0) == "最佳值 3,000，保底（权重的比例） 0.2"


def test_rule_text_for_tiers_lists_and_industry_thresholds(profiles):
    bio = profiles["bio-medicine-park"]
    tiers = next(g for g in bio.model.gates if g.id == "hnte-rd")
    assert rule_text(tiers, bio) == "研发投入强度 ≥ [营业收入 ≤5,000: 5, ≤20,000: 4, 其余 3] %"
    assert rule_text(tiers, bio, "en") == "R&D intensity ≥ [Revenue ≤5,000: 5, ≤20,000: 4, else 3] %"
    chem = profiles["chemical-park"]
    tax = next(g for g in chem.model.gates if g.id == "min-tax-per-mu")
    assert rule_text(tax, chem) == "亩均税收 ≥ 20 万元/亩（分行业：26: 25, 29: 15）"
