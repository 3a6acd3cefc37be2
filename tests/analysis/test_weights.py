"""The working group's weight information: parsed strictly, errors that say where."""

import numpy as np
import pytest

from screening.analysis.weights import constraints, parse_weights
from screening.issues.record import ScreeningError


def test_uniform_spread_and_file(profiles, tmp_path):
    rules = profiles["smart-mfg-town"]
    assert not parse_weights("uniform").informative
    spread = constraints(rules, parse_weights("spread:0.2"))[0]
    assert spread.lo == pytest.approx(spread.standard * 0.8)
    assert spread.hi == pytest.approx(spread.standard * 1.2)
    path = tmp_path / "w.yaml"
    path.write_text(
        "# 工作班子意见\nspread: 0.1\nranges: {tax_per_mu: [25, 40]}\n"
        "orders:\n  经信: [tax_per_mu, investment_intensity]\n  科技: [rd_ratio, value_added_per_energy]\n",
        encoding="utf-8",
    )
    con = constraints(rules, parse_weights(str(path)))[0]
    i = con.keys.index("tax_per_mu")
    assert (con.lo[i], con.hi[i]) == (25, 40)
    j = con.keys.index("rd_ratio")
    assert con.lo[j] == pytest.approx(18) and con.hi[j] == pytest.approx(22)
    assert (i, con.keys.index("investment_intensity")) in con.pairs


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ranges: {no_such_criterion: [1, 2]}\n", "weights-unknown-criterion"),
        ("spred: 0.2\n", "rule-unknown-key"),
        ("ranges: {tax_per_mu: [40, 25]}\n", "weights-bad-file"),
        ("orders: {财政: [tax_per_mu]}\n", "rule-bad-choice"),
        ("ranges: [\n", "weights-bad-file"),
    ],
)
def test_bad_weight_files_are_clear_issues(profiles, tmp_path, text, code):
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScreeningError) as bad:
        constraints(profiles["smart-mfg-town"], parse_weights(str(path)))
    assert bad.value.issues[0].code == code


def test_bad_spread_and_missing_file():
    with pytest.raises(ScreeningError):
        parse_weights("spread:2")
    with pytest.raises(ScreeningError) as missing:
        parse_weights("/no/such/weights.yaml")
    assert missing.value.issues[0].code == "weights-bad-file"
    assert np.isfinite(parse_weights("spread:0").spread)
