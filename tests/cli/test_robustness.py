"""``python -m screening robustness``: the issue's JSON keys, the warning, clear errors."""

import json

import pytest

from screening.cli import main
from tests.conftest import DEMO


def spread_run(out) -> int:
    """±20 % around the standard weights, 400 samples, seed 3."""
    args = ["--weights", "spread:0.2", "--samples", "400", "--seed", "3", "--out", str(out)]
    return main(["robustness", str(DEMO), "--rules", "smart-mfg-town", *args])


def test_robustness_json_has_the_issues_keys(tmp_path, capsys):
    out = tmp_path / "r.json"
    code = spread_run(out)
    assert code == 0
    printed = capsys.readouterr()
    assert "稳定入选" in printed.out and printed.err == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["samples"] == 400 and data["seed"] == 3 and data["weights"] == "spread:0.2"
    firm = data["firms"][0]
    assert set(firm) >= {"source_row", "name", "p_admit", "rank_acceptability", "label", "dominated_by"}
    assert sum(data["counts"].values()) == len(data["firms"])
    for firm in data["firms"]:
        assert 0 <= firm["p_admit"] <= 1
        assert sum(firm["rank_acceptability"]) <= 1 + 1e-9  # ranks beyond --rank-depth are not listed
    assert sum(f["rank_acceptability"][0] for f in data["firms"] if f["rank_acceptability"]) == 1.0
    again = tmp_path / "again.json"
    spread_run(again)
    assert again.read_bytes() == out.read_bytes()  # seeded: the same answer


def test_no_weight_information_warns_on_stderr(capsys):
    assert main(["robustness", str(DEMO), "--rules", "smart-mfg-town", "--samples", "100"]) == 0
    assert "权重" in capsys.readouterr().err


def test_bad_weights_and_samples_exit_2(tmp_path, capsys):
    assert main(["robustness", str(DEMO), "--rules", "smart-mfg-town", "--weights", "spread:3"]) == 2
    assert "[weights-bad-file]" in capsys.readouterr().err
    bad = tmp_path / "w.yaml"
    bad.write_text("ranges: {nope: [1, 2]}\n", encoding="utf-8")
    assert main(["robustness", str(DEMO), "--rules", "smart-mfg-town", "--weights", str(bad)]) == 2
    assert "[weights-unknown-criterion]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["robustness", str(DEMO), "--rules", "smart-mfg-town", "--samples", "0"])
    assert stop.value.code == 2
