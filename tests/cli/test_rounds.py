"""``python -m screening rounds …``: every step of the working group's round scripted, as the issue lists it."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from screening.cli import main
from tests.conftest import DEMO, minimal_rules
from tests.fixtures.store.firms import NAMES, list_a, list_b


@pytest.fixture()
def files(tmp_path):
    rules = tmp_path / "park.yaml"
    rules.write_text(minimal_rules().text, encoding="utf-8")
    (tmp_path / "a.csv").write_bytes(list_a())
    (tmp_path / "b.csv").write_bytes(list_b())
    return tmp_path


def _save(files, name: str, data: str, *extra: str) -> int:
    return main(["rounds", "save", str(files / data), "--rules", str(files / "park.yaml"), "--name", name,
                 "--db", str(files / "w.sqlite3"), *extra])  # fmt: skip


def test_save_list_compare_writes_the_diff_json_the_issue_asks_for(files, capsys):
    assert _save(files, "A", "a.csv") == 0
    assert _save(files, "B", "b.csv", "--set", "gate.min-tax=20", "--by", "李四") == 0
    assert main(["rounds", "list", "--db", str(files / "w.sqlite3"), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.split("→")[-1].split("\n", 1)[1])
    assert [r["name"] for r in listed] == ["B", "A"] and listed[0]["created_by"] == "李四"
    out = files / "diff.json"
    assert main(["rounds", "compare", "A", "B", "--db", str(files / "w.sqlite3"), "--out", str(out)]) == 0
    diff = json.loads(out.read_text(encoding="utf-8"))
    assert {r["name"] for r in diff["entered"]} == {NAMES["乙"], NAMES["丁"]}
    assert [r["name"] for r in diff["left"]] == [NAMES["丙"]]
    for record in diff["entered"] + diff["left"]:
        assert set(record) >= {"source_row", "name", "from", "to", "why"}


def test_pack_then_decide_closes_the_round(files, capsys):
    db = str(files / "w.sqlite3")
    assert _save(files, "A", "a.csv") == 0
    assert main(["opinions", "add", "A", "--row", "6", "--dept", "env", "--verdict", "conditional",
                 "--conditions", "一年内完成改造", "--by", "赵六", "--db", db]) == 0  # fmt: skip
    pack = files / "pack.xlsx"
    assert main(["rounds", "pack", "A", "--out", str(pack), "--db", db]) == 0
    book = openpyxl.load_workbook(pack)
    sheet = book["会议决定"]
    header = [c.value for c in sheet[2]]
    sheet.cell(3, header.index("会议决定") + 1, "准予入园")
    buffer = io.BytesIO()
    book.save(buffer)
    pack.write_bytes(buffer.getvalue())
    capsys.readouterr()
    assert main(["rounds", "decide", "A", "--from", str(pack), "--db", db]) == 0
    assert "已记录 1 项会议决定；未决定 2 家" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["rounds", "show", "nope"], "round-unknown"),
        (["rounds", "compare", "A", "nope", "--out", "x.json"], "round-unknown"),
        (["rounds", "save", "missing.xlsx", "--rules", "smart-mfg-town", "--name", "x"], "file-not-found"),
        (["rounds", "save", str(DEMO), "--rules", "smart-mfg-town", "--name", "A"], "round-exists"),
        (["rounds", "decide", "A", "--from", str(DEMO)], "decision-sheet-problem"),  # a firm list, not a pack
    ],
)
def test_bad_input_exits_2_with_one_line_per_problem(files, argv, code, capsys, monkeypatch):
    monkeypatch.chdir(files)
    assert main(["rounds", "save", str(DEMO), "--rules", "smart-mfg-town", "--name", "A"]) == 0
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err


def test_show_prints_what_was_decided(files, capsys):
    assert _save(files, "A", "a.csv") == 0
    capsys.readouterr()
    assert main(["--lang", "en", "rounds", "show", "A", "--db", str(files / "w.sqlite3"), "--verify"]) == 0
    captured = capsys.readouterr()
    assert NAMES["甲"] in captured.out and "Admit 2" in captured.out and captured.err == ""
