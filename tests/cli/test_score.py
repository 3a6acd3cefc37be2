"""The command line: outputs, exit codes, one-line messages."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from screening.cli import main
from tests.conftest import DEMO, ROOT


def test_score_prints_a_ranked_summary_and_writes_csv(tmp_path, capsys):
    out = tmp_path / "result.csv"
    code = main(
        [
            "score",
            str(DEMO),
            "--rules",
            "smart-mfg-town",
            "--set",
            "gate.min-tax-per-mu=25",
            "--top",
            "5",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "智造新城" in printed and "gate.min-tax-per-mu 30→25" in printed
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"credit_code": str})
    assert len(table) == 110  # the applicants to 智造新城; the other 190 are listed as applying elsewhere
    assert "申请其他园区、未参与甄别：190 家" in printed
    assert {"source_row", "name", "decision", "score", "class", "rank", "failed_gates"} <= set(table.columns)
    assert table["credit_code"].str.len().dropna().eq(18).all()


def test_all_screens_every_firm(tmp_path, capsys):
    out = tmp_path / "all.csv"
    assert main(["score", str(DEMO), "--rules", "smart-mfg-town", "--all", "--out", str(out)]) == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 300


@pytest.mark.parametrize("suffix", [".json", ".xlsx", ".yaml"])
def test_score_writes_other_formats(tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    assert main(["score", str(DEMO), "--rules", "sme-park", "--out", str(out)]) == 0
    assert out.stat().st_size > 100
    if suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8"))["park"] == "sme-park"


@pytest.mark.parametrize(
    "argv, code_in_message",
    [
        (["score", "missing.xlsx", "--rules", "sme-park"], "file-not-found"),
        (["score", str(DEMO), "--rules", "no-such-rules"], "rule-file-unreadable"),
        (["score", str(DEMO), "--rules", "sme-park", "--set", "gate.nope=1"], "override-unknown-parameter"),
        (["score", str(DEMO), "--rules", "sme-park", "--set", "gate.min-tax-per-mu=999"], "override-out-of-range"),
        (["rules", "check", str(ROOT / "tests/fixtures/bad_rules/weights-sum.yaml")], "rule-weights-sum"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_message(argv, code_in_message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and code_in_message in err[0]
    assert "Traceback" not in err[0]


def test_rules_check_passes_the_shipped_profiles(capsys):
    files = sorted(str(p) for p in (ROOT / "rules").glob("*.yaml"))
    assert main(["rules", "check", *files]) == 0
    assert capsys.readouterr().out.count("OK") == len(files)


def test_rules_params_lists_the_sliders(capsys):
    assert main(["--lang", "en", "rules", "params", "chemical-park"]) == 0
    printed = capsys.readouterr().out
    assert "gate.min-tax-per-mu" in printed and "capacity" in printed


def test_module_entry_point_runs_as_a_process(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "screening", "--lang", "en", "score", str(DEMO), "--rules", "talent-base", "--top", "3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Talent & Innovation Base" in done.stdout
