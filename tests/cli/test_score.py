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


def test_several_files_map_and_mapping_options(tmp_path, capsys):
    from tests.fixtures.layouts import CODES, NAMES, workbook

    econ = tmp_path / "经信.xlsx"
    econ.write_bytes(
        workbook(
            [["企业名称", "统一社会信用代码", "金额（万元）", "用地面积（亩）"]]
            + [[n, c, t, 20] for n, c, t in zip(NAMES, CODES, [800, 360, 250], strict=True)]
        )
    )
    tech = tmp_path / "科技.csv"
    tech.write_text(
        "统一社会信用代码,研发费用（万元）\n"
        + "\n".join(f"{c},{r}" for c, r in zip(CODES, [700, 200, 300], strict=True))
    )
    assert main(["score", str(econ), str(tech), "--rules", "smart-mfg-town", "--all"]) == 0
    printed = capsys.readouterr().out
    assert "待确认（未使用）: 现用地面积 ? D列" in printed and "--map land_area=D" in printed
    assert "缺少：" in printed and "实缴税金 *" in printed
    assert "合并：2 个文件的 6 个企业行 → 3 家企业" in printed
    mapping = tmp_path / "map.yaml"
    mapping.write_text("land_area: D\n", encoding="utf-8")
    args = ["score", str(econ), str(tech), "--rules", "smart-mfg-town", "--all", "--map", "tax_paid=C"]
    assert main([*args, "--mapping", str(mapping)]) == 0
    printed = capsys.readouterr().out
    assert "实缴税金←C" in printed and "现用地面积←D" in printed and "实缴税金 *" not in printed


def test_input_limits_are_options(capsys):
    assert main(["score", str(DEMO), "--rules", "sme-park", "--max-size", "0.01"]) == 2
    assert "file-too-large" in capsys.readouterr().err
    assert main(["score", str(DEMO), "--rules", "sme-park", "--max-rows", "100"]) == 2
    assert "file-too-many-rows" in capsys.readouterr().err
