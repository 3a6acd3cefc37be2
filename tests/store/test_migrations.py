"""The schema upgrades in place: a database written by schema version 1 opens with today's code."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from screening.issues.record import ScreeningError
from screening.store.access import local_actor
from screening.store.migrations import LATEST, MIGRATIONS, migrate
from screening.store.opinions import add_opinion, opinions_frame
from screening.store.rounds import list_rounds, reopen
from screening.store.workspace import open_workspace
from tests.conftest import ROOT

V1_FIXTURE = ROOT / "tests" / "fixtures" / "store" / "workspace-v1.sqlite3"
# A shipped migration is never edited (a database made by it must upgrade the same way): its text is pinned.
# A new schema version is a new migration at the end, with its digest added here.
SHIPPED = {
    1: "6efb549c0fed6bbf5ee9d10a12cdadfadce97cfbaf77e35468230e4f45ec393f",
    2: "68413499e23cbc2a0b3e8c570d4d378b1627108fbd3b3afbb7458124f8a7a6f0",
}


def _digest(number: int) -> str:
    steps = [step if isinstance(step, str) else f"python:{step.__name__}" for step in MIGRATIONS[number - 1]]
    return hashlib.sha256("\n;\n".join(steps).encode()).hexdigest()


def test_a_version_1_database_upgrades_and_keeps_everything(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # the fixture really is the old schema
        assert "decisions" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    ws = open_workspace(path)
    assert ws.db.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0]) == LATEST == 2
    assert list_rounds(ws)["name"].tolist() == ["三月初筛"]
    opened = reopen(ws, "三月初筛")
    assert opened.issues == []  # the stored rule text and file still screen to the stored decisions
    assert opened.snapshot.counts == {"admit": 2, "review": 1, "reject": 1, "not_scored": 0}
    kept = opinions_frame(ws, "三月初筛")
    assert kept[["department", "verdict", "author"]].values.tolist() == [
        ["econ", "agree", "经信 王五"],
        ["env", "conditional", "环保 赵六"],
    ]
    assert kept["account"].isna().all()  # v2's column, empty for v1's entries
    firms = ws.db.read(lambda conn: conn.execute("SELECT source_row, decision FROM round_firms").fetchall())
    assert firms == [(3, "admit"), (4, "reject"), (5, "admit"), (6, "review")]  # filled in from the v1 snapshot
    add_opinion(ws, "三月初筛", 6, "safety", "agree", local_actor("安监 孙七"))  # and it takes new work
    assert len(opinions_frame(ws, "三月初筛", history=True)) == 3


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FIXTURE, path)
    broken = (MIGRATIONS[0], (*MIGRATIONS[1][:2], "CREATE TABLE rounds (x)"))  # fails half-way through v2
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, str(path), broken)
    conn.execute("ROLLBACK")
    columns = {r[1] for r in conn.execute("PRAGMA table_info(opinions)")}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1 and "account" not in columns
    conn.close()


def test_a_database_from_a_newer_version_is_refused_with_its_path(tmp_path):
    path = tmp_path / "new.sqlite3"
    open_workspace(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(ScreeningError) as caught:
        open_workspace(path)
    assert caught.value.issues[0].code == "store-newer" and str(path) in caught.value.issues[0].message("en")


def test_shipped_migrations_are_never_edited():
    assert {n: _digest(n) for n in SHIPPED} == SHIPPED
    assert len(MIGRATIONS) == len(SHIPPED)
