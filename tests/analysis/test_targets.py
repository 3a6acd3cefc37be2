"""Targets as written on the command line and in the JSON."""

import pytest

from screening.analysis.targets import Target, parse_target
from screening.issues.record import ScreeningError


def test_targets_round_trip(profiles):
    rules = profiles["smart-mfg-town"]
    for text in ("admit", "next_class", "score:72.5", "class:B", "gate:min-tax-per-mu"):
        assert parse_target(text, rules).text == text
    assert parse_target("score:70", rules) == Target("score", 70.0)
    assert Target("class", "B").label(rules, "en") == "class B"
    assert parse_target("gate:min-rd", rules).label(rules) == "通过：研发投入强度"


@pytest.mark.parametrize("text", ["admit:1", "score:lots", "class:E", "gate:nope", "win"])
def test_bad_targets(profiles, text):
    with pytest.raises(ScreeningError) as bad:
        parse_target(text, profiles["smart-mfg-town"])
    assert bad.value.issues[0].code == "whatif-bad-target"
