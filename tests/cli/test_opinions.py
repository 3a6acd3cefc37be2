"""``python -m screening opinions add|list|missing``."""

from __future__ import annotations

import json

import pytest

from screening.cli import main
from tests.conftest import minimal_rules
from tests.fixtures.store.firms import list_a


@pytest.fixture()
def db(tmp_path):
    (tmp_path / "a.csv").write_bytes(list_a())
    (tmp_path / "park.yaml").write_text(minimal_rules().text, encoding="utf-8")
    path = str(tmp_path / "w.sqlite3")
    argv = ["rounds", "save", str(tmp_path / "a.csv"), "--rules", str(tmp_path / "park.yaml"), "--name", "A"]
    assert main([*argv, "--db", path]) == 0
    return path


def test_add_then_list_then_missing(db, capsys):
    assert main(["opinions", "add", "A", "--row", "6", "--dept", "econ", "--verdict", "agree", "--by", "王五",
                 "--note", "=1+1", "--db", db]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["opinions", "list", "A", "--json", "--db", db]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["source_row"], entry["department"], entry["author"], entry["note"]) == (6, "econ", "王五", "=1+1")
    assert main(["opinions", "missing", "A", "--json", "--db", db]) == 0
    missing = json.loads(capsys.readouterr().out)
    assert [(m["source_row"], m["department"]) for m in missing] == [(6, "tech"), (6, "env"), (6, "safety")]


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--dept", "econ", "--verdict", "conditional"], "opinion-conditions-missing"),
        (["--dept", "finance", "--verdict", "agree"], "opinion-bad-department"),
        (["--dept", "econ", "--verdict", "ok"], "opinion-bad-verdict"),
    ],
)
def test_bad_opinions_exit_2(db, extra, code, capsys):
    assert main(["opinions", "add", "A", "--row", "6", *extra, "--by", "x", "--db", db]) == 2
    assert code in capsys.readouterr().err
