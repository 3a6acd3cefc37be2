"""``python -m screening district``: the issue's JSON keys, the workbook, and exit code 2 with a message."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from screening.cli import main
from tests.conftest import DEMO, ROOT


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("district") / "result.json"
    argv = ["district", str(DEMO), "--objective", "net", "--years", "10", "--tax-line", "500", "--out", str(out)]
    assert main(argv) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_has_the_keys_the_issue_asks_for(result):
    assert {"allocation", "eligible", "totals", "greedy", "status"} <= set(result)
    assert result["status"] == "optimal"
    assert len(result["allocation"]) == 300
    assert {"source_row", "name", "park", "reason"} <= set(result["allocation"][0])
    assert {"source_row", "park", "value", "land"} <= set(result["eligible"][0])
    for totals in (result["totals"], result["greedy"]):
        assert {"objective", "land_by_park", "compensation", "tax"} <= set(totals)
    assert result["totals"]["objective"] >= result["greedy"]["objective"]
    placed = [r for r in result["allocation"] if r["park"]]
    assert len(placed) == result["totals"]["firms"]
    assert all(r["reason"] for r in result["allocation"])


def test_workbook_rules_and_quota_and_forced_rows(tmp_path, capsys, result):
    out = tmp_path / "plan.xlsx"
    dropped = next(r["source_row"] for r in result["allocation"] if r["park"] == "smart-mfg-town")
    argv = ["district", str(DEMO), "--rules", "smart-mfg-town", "--rules", "sme-park", "--quota", "sme-park=200"]
    argv += ["--force-out", str(dropped), "--frontier", "district", "--steps", "2", "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "智造新城、中小企业转型发展示范园" in printed and "tmpSolver" not in printed
    book = openpyxl.load_workbook(out, read_only=True)
    sheets = ["全区汇总", "分配方案", "园区矩阵", "最优与排序法差异", "各园区", "资金", "新增用地边际", "数据问题"]
    assert book.sheetnames == sheets
    assert book["分配方案"].max_row == 301  # every firm once, under its header
    assert book["新增用地边际"].max_row == 4  # 0, 50, 100 亩 more
    rows = {r[0]: r for r in book["分配方案"].iter_rows(min_row=2, values_only=True)}
    assert rows[dropped][7] == "指定不入园"


@pytest.mark.parametrize(
    "extra, code",
    [
        (["--objective", "net"], "district-years-needed"),
        (["--quota", "moon-base=50"], "district-unknown-park"),
        (["--force-in", "9999"], "district-row-unknown"),
        (["--budget", "-5"], "district-bad-option"),
        (["--force-in", "16", "--force-out", "16"], "district-force-conflict"),
    ],
)
def test_bad_settings_exit_2_with_one_line_each(extra, code, capsys):
    assert main(["district", str(DEMO), *extra]) == 2
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "Traceback" not in err


def test_syntax_errors_and_a_missing_file_exit_2(capsys):
    with pytest.raises(SystemExit) as quota:
        main(["district", str(DEMO), "--quota", "sme-park"])
    assert quota.value.code == 2 and "PARK=MU" in capsys.readouterr().err
    with pytest.raises(SystemExit) as suffix:
        main(["district", str(DEMO), "--out", "x.csv"])
    assert suffix.value.code == 2
    assert main(["district", "nowhere.xlsx"]) == 2 and "[file-not-found]" in capsys.readouterr().err


def test_forced_firms_that_do_not_fit_exit_2(tmp_path, capsys):
    out = tmp_path / "infeasible.json"
    rows = ["16=sme-park", "19=sme-park", "20=sme-park", "30=sme-park", "32=sme-park"]  # 9–40 亩 each
    argv = ["district", str(DEMO), "--rules", "sme-park", "--quota", "sme-park=10", "--out", str(out)]
    assert main(argv + [x for row in rows for x in ("--force-in", row)]) == 2
    assert "[district-infeasible]" in capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "infeasible"  # written, so the user can look


def test_as_a_process_in_english():
    done = subprocess.run(
        [sys.executable, "-m", "screening", "--lang", "en", "district", str(DEMO), "--objective", "tax"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "objective: Total annual tax" in done.stdout and "optimum:" in done.stdout
