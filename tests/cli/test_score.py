"""The command line: outputs, exit codes, one-line messages."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from screening.cli import main
from screening.rules.loading import parse_rules
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


# --- every shipped profile into every output format ------------------------------------------

PROFILES = sorted(p.stem for p in (ROOT / "rules").glob("*.yaml"))
FORMATS = (".csv", ".json", ".xlsx", ".yaml")
PARKS = ["智造新城", "化工园", "生物医药产业园", "中小企业转型发展示范园", "高层次人才创新创业基地"]


@pytest.fixture(scope="module")
def synthetic_list(tmp_path_factory):
    """10 k synthetic firms as a district would send them: Chinese headers, a 拟入园区 column, gaps."""
    from benchmarks.synthetic import synthetic_firms
    from screening.rules.fields import load_catalogue

    fields = load_catalogue().fields
    frame = synthetic_firms(10_000).drop(columns="source_row")
    frame = frame.rename(columns={key: fields[key].label.zh for key in frame.columns})
    frame["拟入园区"] = np.random.default_rng(3).choice(PARKS, len(frame))
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-10k.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _check_outputs(outs: dict[str, Path], screened: int) -> None:
    table = pd.read_csv(outs[".csv"], encoding="utf-8-sig")
    assert len(table) == screened
    payload = json.loads(outs[".json"].read_text(encoding="utf-8"))
    assert len(payload["firms"]) == screened
    book = openpyxl.load_workbook(outs[".xlsx"], read_only=True)
    assert len(book.sheetnames) == 5
    book.close()
    parse_rules(outs[".yaml"].read_bytes())  # the adjusted rule file loads again


def _run_every_format(list_path: Path, profile: str, every: bool, folder: Path) -> int:
    outs = {suffix: folder / f"{profile}-{'all' if every else 'own'}{suffix}" for suffix in FORMATS}
    argv = ["score", str(list_path), "--rules", profile, "--top", "3"]
    argv += ["--all"] if every else []
    for path in outs.values():
        argv += ["--out", str(path)]
    assert main(argv) == 0, profile
    table = pd.read_csv(outs[".csv"], encoding="utf-8-sig")
    _check_outputs(outs, len(table))
    return len(table)


@pytest.mark.parametrize("every", [False, True], ids=["applicants", "all"])
@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_exports_every_format_on_the_sample(profile, every, tmp_path, capsys):
    screened = _run_every_format(DEMO, profile, every, tmp_path)
    assert capsys.readouterr().err == ""
    if every:
        assert screened == 300


@pytest.mark.parametrize("every", [False, True], ids=["applicants", "all"])
@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_exports_every_format_on_a_10k_synthetic_list(profile, every, synthetic_list, tmp_path, capsys):
    screened = _run_every_format(synthetic_list, profile, every, tmp_path)
    assert capsys.readouterr().err == ""
    applies_here = profile != "huangyan-2022"  # an evaluation: nobody names it, so everyone is screened
    assert screened == 10_000 if every or not applies_here else 1_000 < screened < 3_000  # a fifth per park


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly_and_the_out_file_is_written(tmp_path, monkeypatch, capsys):
    out = tmp_path / "kept.csv"
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["score", str(DEMO), "--rules", "sme-park", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert len(pd.read_csv(out, encoding="utf-8-sig")) > 0


def test_score_piped_into_a_reader_that_stops_exits_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "screening", "score", str(DEMO), "--rules", "sme-park", "--all", "--top", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    process.stdout.close()  # like `| head -0`: the reader is gone before the first line
    err = process.stderr.read().decode("utf-8")
    assert process.wait() == 0
    assert err == ""


def test_an_evaluation_is_summarised_and_exported_as_an_evaluation(tmp_path, capsys):
    outs = [tmp_path / "eval.json", tmp_path / "eval.xlsx", tmp_path / "eval.csv"]
    argv = ["score", str(DEMO), "--rules", "huangyan-2022"]
    for out in outs:
        argv += ["--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "综合评价 · 已评价 300 · 未评分 0 · A " in printed and "准予入园" not in printed
    payload = json.loads(outs[0].read_text(encoding="utf-8"))
    assert payload["kind"] == "evaluation" and set(payload["counts"]) == {"graded", "not_scored"}
    book = openpyxl.load_workbook(outs[1], read_only=True)
    assert book.sheetnames[0] == "评价结果"
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    book.close()
    assert not any("准予入园" in c or "不予入园" in c for c in cells)
    assert set(pd.read_csv(outs[2], encoding="utf-8-sig")["decision"]) == {"graded"}
