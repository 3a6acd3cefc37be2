"""``python -m screening whatif``: the issue's JSON shape, the workbook, clear errors with exit code 2."""

import io
import json

import openpyxl

from screening.cli import main
from tests.conftest import DEMO


def test_whatif_json_has_the_issues_shape(tmp_path, capsys):
    out = tmp_path / "w.json"
    code = main(["whatif", str(DEMO), "--rules", "smart-mfg-town", "--row", "21", "--row", "9", "--out", str(out)])
    assert code == 0
    assert "研发费用" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [f["source_row"] for f in data["firms"]] == [9, 21]
    firm = data["firms"][1]
    assert set(firm) >= {"source_row", "name", "decision", "score", "changes"}
    assert all(set(c) >= {"input", "current", "needed", "target"} for c in firm["changes"])
    rd = next(c for c in firm["changes"] if c["input"] == "rd_expense" and c["target"] == "admit")
    assert rd["needed"] > rd["current"]
    blocked = next(c for c in firm["changes"] if c["input"] == "tax_paid" and c["target"] == "admit")
    assert blocked["needed"] is None and blocked["note"] == "blocked"


def test_whatif_one_target_and_a_workbook(tmp_path):
    out = tmp_path / "w.xlsx"
    assert (
        main(
            [
                "--lang",
                "en",
                "whatif",
                str(DEMO),
                "--rules",
                "smart-mfg-town",
                "--target",
                "score:80",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Excel row", "Firm", "Decision", "Total score", "Target", "Lever"]
    assert sheet.max_row > 100  # every firm × lever, rows spliced in after the first
    assert {sheet.cell(r, 5).value for r in range(2, sheet.max_row + 1)} == {"a score of 80"}


def test_whatif_bad_input_exits_2_with_one_line(capsys):
    assert main(["whatif", str(DEMO), "--rules", "smart-mfg-town", "--target", "class:Z"]) == 2
    assert "[whatif-bad-target]" in capsys.readouterr().err
    assert main(["whatif", str(DEMO), "--rules", "smart-mfg-town", "--row", "9999"]) == 2
    assert "[whatif-unknown-row]" in capsys.readouterr().err
