"""Saving and opening rounds: everything kept, decisions reproduced, nothing half-saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from screening.issues.record import ScreeningError
from screening.rules.loading import load_rules
from screening.store.access import local_actor
from screening.store.rounds import InputFile, list_rounds, reopen, round_info, round_snapshot, save_round
from screening.store.uploads import sha256_of
from screening.store.workspace import open_workspace
from tests.conftest import ROOT, minimal_rules
from tests.fixtures.store.firms import list_a, list_b


def test_a_round_keeps_its_inputs_rules_overrides_mapping_who_and_when(two_rounds):
    info = round_info(two_rounds, "B")
    assert info.inputs == [{"file_name": "b.csv", "sha256": sha256_of(list_b()), "size": len(list_b()), "kept": True}]
    assert info.overrides == {"gate.min-tax": 20.0}
    assert info.park == "test-park" and info.rules_version == "1" and len(info.rules_sha256) == 64
    assert info.created_by == "李四" and info.created_at.endswith("+00:00")
    assert info.mapping["tax_paid"]["header"] == "纳税总额（千元）" and info.mapping["tax_paid"]["factor"] == 0.1
    assert info.counts == {"admit": 3, "review": 1, "reject": 1, "not_scored": 0}
    listed = list_rounds(two_rounds)
    assert listed["name"].tolist() == ["B", "A"] and listed["changed"].tolist() == [1, 0]


def test_the_snapshot_accounts_for_every_row_of_the_sheet(two_rounds):
    snap = round_snapshot(two_rounds, "A")  # list A: a title row, the header, four firms
    rows = len(snap.firms) + len(snap.elsewhere) + len(snap.skipped) + len(snap.source["header_rows"])
    assert rows == snap.source["physical_rows"] == 6
    assert snap.firms["credit_code"].map(type).eq(str).all()  # codes stay text through the JSON round trip


def test_reopening_after_the_rule_file_was_edited_shows_what_was_decided_then(ws, tmp_path):
    rules_file = tmp_path / "park.yaml"
    rules_file.write_text(minimal_rules().text, encoding="utf-8")
    save_round(ws, "then", [InputFile("a.csv", list_a())], load_rules(rules_file), {}, local_actor())
    rules_file.write_text(minimal_rules().text.replace("value: 30", "value: 20"), encoding="utf-8")
    from screening.pipeline import screen_file

    today = screen_file(list_a(), load_rules(rules_file), file_name="a.csv")
    assert today.counts() != reopen(ws, "then").result.counts()  # the edit matters: the check below can fail
    opened = reopen(ws, "then")
    assert opened.issues == []
    decided = dict(zip(opened.snapshot.firms["source_row"], opened.snapshot.firms["decision"], strict=True))
    again = dict(zip(opened.result.summary["source_row"], opened.result.summary["decision"].astype(str), strict=True))
    assert decided == again == {3: "admit", 4: "reject", 5: "admit", 6: "review"}


def test_a_round_name_is_never_reused_and_a_failed_save_stores_nothing(two_rounds):
    with pytest.raises(ScreeningError, match="round-exists"):
        save_round(two_rounds, "A", [InputFile("b.csv", list_b())], minimal_rules(), {}, local_actor())
    with pytest.raises(ScreeningError, match="file-type-unknown"):
        save_round(two_rounds, "C", [InputFile("x.pdf", b"%PDF-1.4")], minimal_rules(), {}, local_actor())
    assert list_rounds(two_rounds)["name"].tolist() == ["B", "A"]


def test_a_round_of_four_department_files_decides_as_the_single_list(ws, profiles, demo_bytes):
    """The sample split into 经信/科技/环保/安监 files (tests/intake/test_merge.py) is one list in a round,
    every file kept, and reopening it re-screens the four files to the same decisions."""
    from tests.intake.test_merge import split_demo

    rules = profiles["smart-mfg-town"]
    files = [InputFile(name, data) for name, data in split_demo()]
    four = save_round(ws, "four", files, rules, {}, local_actor())
    save_round(ws, "one", [InputFile("demo_firms.xlsx", demo_bytes)], rules, {}, local_actor())
    assert [i["file_name"] for i in four.inputs] == [name for name, _ in split_demo()]
    decided = {n: round_snapshot(ws, n).firms.set_index("source_row")["decision"].astype(str) for n in ("four", "one")}
    assert decided["four"].sort_index().equals(decided["one"].sort_index())
    reopened = reopen(ws, "four")
    assert reopened.issues == [] and reopened.result.size == len(decided["one"])


def test_an_unknown_round_is_named_with_the_known_ones(two_rounds):
    with pytest.raises(ScreeningError) as caught:
        round_info(two_rounds, "Z")
    assert caught.value.issues[0].code == "round-unknown" and "B、A" in caught.value.issues[0].message("zh")


CHILD = """
import sys, time
from pathlib import Path
from screening.store import rounds
from screening.store.access import local_actor
from screening.store.workspace import open_workspace
from tests.conftest import minimal_rules
from tests.fixtures.store.firms import list_a

original = rounds._insert_inputs

def stall(conn, round_id, inputs, digests):
    original(conn, round_id, inputs, digests)  # the round, its upload and its inputs are written ...
    Path(sys.argv[2]).write_text("inside")  # ... but not committed: the parent kills us now
    time.sleep(120)

rounds._insert_inputs = stall
ws = open_workspace(sys.argv[1])
new_file = rounds.InputFile("c.csv", list_a().replace(b"750", b"751"))  # an upload not stored before
rounds.save_round(ws, "killed", [new_file], minimal_rules(), {}, local_actor())
"""


def test_sigkill_in_the_middle_of_a_save_loses_nothing_committed_and_leaves_no_half_round(two_rounds, tmp_path):
    marker = tmp_path / "inside"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(two_rounds.path), str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the child never reached the middle of its save"
    child.send_signal(signal.SIGKILL)
    assert child.wait(30) == -signal.SIGKILL
    reopened = open_workspace(two_rounds.path)
    assert reopened.db.check(thorough=True) == []
    assert list_rounds(reopened)["name"].tolist() == ["B", "A"]
    counts = reopened.db.read(
        lambda conn: [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("round_inputs", "uploads")]
    )
    assert counts == [2, 2]  # round "killed" left neither inputs nor an upload of its own behind
    assert reopen(reopened, "B").issues == []
