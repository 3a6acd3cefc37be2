"""The database file: refused when foreign or damaged, writers that wait instead of failing, backups."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from screening.issues.record import ScreeningError
from screening.store.database import Database, Patience
from screening.store.opinions import opinions_frame
from screening.store.workspace import open_workspace
from tests.conftest import ROOT


def _refusal(path) -> str:
    with pytest.raises(ScreeningError) as caught:
        open_workspace(path)
    issue = caught.value.issues[0]
    assert str(path) in issue.message("zh") and str(path) in issue.message("en")  # the message names the file
    return issue.code


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "workspace.sqlite3"
    path.write_bytes(b"PK\x03\x04 an xlsx by mistake" + b"\x00" * 200)
    assert _refusal(path) == "store-not-sqlite"
    assert path.read_bytes().startswith(b"PK\x03\x04")


def test_another_programs_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    assert _refusal(path) == "store-foreign"
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_a_damaged_database_is_detected_on_start(two_rounds):
    path = two_rounds.path
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page into the main file
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 4 * page] = os.urandom(2 * page)  # scramble two pages in the middle
    path.write_bytes(bytes(data))
    assert _refusal(path) == "store-damaged"


def test_an_empty_file_is_a_new_workspace(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    ws = open_workspace(path)
    assert ws.db.identify() == "ours"
    assert ws.db.read(lambda conn: conn.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
    assert ws.db.read(lambda conn: conn.execute("PRAGMA foreign_keys").fetchone()[0]) == 1


def _hold_lock(path, seconds: float) -> threading.Thread:
    """Another writer holding the write lock for a while (what a slow save in another session does)."""
    ready = threading.Event()

    def hold():
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


def test_a_writer_waits_for_another_and_then_succeeds(ws):
    impatient = Database(ws.path, Patience(busy_ms=100, attempts=6, backoff_s=0.1))
    holder = _hold_lock(ws.path, 0.6)  # longer than one busy timeout: only the retries get through
    impatient.write(lambda conn: conn.execute("INSERT INTO accounts VALUES ('x', NULL, 0, 'h', 't')"))
    holder.join()
    assert ws.db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]) == 1


def test_a_writer_that_cannot_get_in_says_busy_never_database_is_locked(ws):
    impatient = Database(ws.path, Patience(busy_ms=50, attempts=2, backoff_s=0.01))
    holder = _hold_lock(ws.path, 1.0)
    with pytest.raises(ScreeningError) as caught:
        impatient.write(lambda conn: conn.execute("INSERT INTO accounts VALUES ('x', NULL, 0, 'h', 't')"))
    holder.join()
    issue = caught.value.issues[0]
    assert issue.code == "store-busy" and "locked" not in issue.message("en")


WRITER = """
import sys
from screening.store.access import local_actor
from screening.store.opinions import add_opinion
from screening.store.workspace import open_workspace
ws = open_workspace(sys.argv[1])
for i in range(int(sys.argv[3])):
    add_opinion(ws, "A", 6, sys.argv[2], "agree", local_actor(f"{sys.argv[2]} {i}"), note=str(i))
"""


def test_two_sessions_writing_opinions_at_once_both_keep_everything(two_rounds):
    each = 60
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WRITER), str(two_rounds.path), dept, str(each)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for dept in ("econ", "env")
    ]
    errors = [w.communicate(timeout=300)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    history = opinions_frame(two_rounds, "A", history=True)
    assert history["department"].value_counts().to_dict() == {"econ": each, "env": each}


def test_backup_is_a_checked_copy_and_never_overwrites(two_rounds, tmp_path):
    target = two_rounds.db.backup(tmp_path / "copy.sqlite3")
    copy = open_workspace(target)
    assert copy.db.check(thorough=True) == []
    assert (
        opinions_frame(copy, "A").empty
        and len(copy.db.read(lambda c: c.execute("SELECT * FROM rounds").fetchall())) == 2
    )
    with pytest.raises(ScreeningError, match="store-backup-exists"):
        two_rounds.db.backup(target)
