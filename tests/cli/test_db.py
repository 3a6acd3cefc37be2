"""``python -m screening db backup|check|accounts``."""

from __future__ import annotations

import io
import sqlite3
import sys

from screening.cli import main


def test_backup_and_check(tmp_path, capsys):
    db = str(tmp_path / "w.sqlite3")
    assert main(["db", "check", "--db", db]) == 0
    assert main(["db", "backup", str(tmp_path / "copy.sqlite3"), "--db", db]) == 0
    assert main(["db", "check", "--db", str(tmp_path / "copy.sqlite3")]) == 0
    assert main(["db", "backup", str(tmp_path / "copy.sqlite3"), "--db", db]) == 2
    assert "store-backup-exists" in capsys.readouterr().err


def test_a_foreign_database_is_named_and_refused(tmp_path, capsys):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert main(["db", "check", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "store-foreign" in err and str(path) in err and "Traceback" not in err


def test_accounts_add_reads_the_password_from_stdin_and_list_never_shows_it(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "w.sqlite3")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main(["db", "accounts", "add", "经信 王五", "--dept", "econ", "--password-stdin", "--db", db]) == 0
    assert main(["db", "accounts", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "经信 王五" in out and "econ" in out and "password" not in out and "argon2" not in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["db", "accounts", "add", "x", "--password-stdin", "--db", db]) == 2
    assert "account-password-weak" in capsys.readouterr().err
