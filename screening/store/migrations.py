"""The workspace schema, as an append-only list of migrations run on start.

``PRAGMA user_version`` holds the number of migrations applied. Opening a workspace applies the
missing ones in one transaction (all or none). A shipped migration is never edited — a test pins
each one's text — so a database made by any earlier version upgrades the same way; a change is
a new migration at the end. Statements are kept one per string (no ``executescript``: it would
commit the open transaction half-way); a step that SQL alone cannot do is a Python function of the
connection, run in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ..issues.record import ScreeningError, make_issue
from .database import APPLICATION_ID

WORKING_GROUP_IDS = "('econ', 'tech', 'env', 'safety')"

# v1: rounds with their uploads, and the departments' opinions (append-only).
V1 = (
    """CREATE TABLE uploads (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        content BLOB,
        stored_at TEXT NOT NULL,
        last_used TEXT NOT NULL,
        purged_at TEXT,
        CHECK ((content IS NULL) = (purged_at IS NOT NULL))
    )""",
    """CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        park TEXT NOT NULL,
        rules_source TEXT NOT NULL,
        rules_version TEXT NOT NULL,
        rules_sha256 TEXT NOT NULL,
        rules_text TEXT NOT NULL,
        sources TEXT NOT NULL,
        overrides TEXT NOT NULL,
        settings TEXT NOT NULL,
        mapping TEXT NOT NULL,
        counts TEXT NOT NULL,
        snapshot BLOB NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE round_inputs (
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        position INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES uploads(sha256),
        PRIMARY KEY (round_id, position)
    )""",
    f"""CREATE TABLE opinions (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        source_row INTEGER NOT NULL,
        department TEXT NOT NULL CHECK (department IN {WORKING_GROUP_IDS}),
        verdict TEXT NOT NULL CHECK (verdict IN ('agree', 'disagree', 'conditional')),
        conditions TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (verdict != 'conditional' OR length(conditions) > 0)
    )""",
    "CREATE INDEX opinions_by_firm ON opinions (round_id, source_row, department, id)",
    """CREATE TRIGGER opinions_no_update BEFORE UPDATE ON opinions
       BEGIN SELECT RAISE(ABORT, 'opinions are append-only'); END""",
    """CREATE TRIGGER opinions_no_delete BEFORE DELETE ON opinions
       BEGIN SELECT RAISE(ABORT, 'opinions are append-only'); END""",
    f"PRAGMA application_id = {APPLICATION_ID}",
)


def _backfill_firms(conn: sqlite3.Connection) -> None:
    """v1 rounds kept their firms only inside the snapshot: list them in ``round_firms``."""
    from .snapshot import load_snapshot  # only this migration needs it

    for round_id, blob in conn.execute("SELECT id, snapshot FROM rounds").fetchall():
        firms = load_snapshot(blob).firms
        insert_firms(conn, round_id, firms)


def insert_firms(conn: sqlite3.Connection, round_id: int, firms) -> None:
    names = firms["name"] if "name" in firms else [None] * len(firms)
    conn.executemany(
        "INSERT INTO round_firms (round_id, source_row, name, decision) VALUES (?, ?, ?, ?)",
        [(round_id, int(r), n, d) for r, n, d in zip(firms["source_row"], names, firms["decision"], strict=True)],
    )


# v2: accounts, the signed-in account on every round and opinion, the meeting's final decisions, and
# each round's screened firms as rows (so an opinion or a decision finds its firm without the snapshot).
V2 = (
    "ALTER TABLE rounds ADD COLUMN account TEXT",
    "ALTER TABLE opinions ADD COLUMN account TEXT",
    f"""CREATE TABLE accounts (
        name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
        department TEXT CHECK (department IS NULL OR department IN {WORKING_GROUP_IDS}),
        decides INTEGER NOT NULL DEFAULT 0 CHECK (decides IN (0, 1)),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        source_row INTEGER NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('admit', 'review', 'reject')),
        reason TEXT NOT NULL DEFAULT '',
        conditions TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        account TEXT,
        at TEXT NOT NULL,
        workbook_sha256 TEXT NOT NULL
    )""",
    "CREATE INDEX decisions_by_firm ON decisions (round_id, source_row, id)",
    """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TABLE round_firms (
        round_id INTEGER NOT NULL REFERENCES rounds(id),
        source_row INTEGER NOT NULL,
        name TEXT,
        decision TEXT NOT NULL,
        PRIMARY KEY (round_id, source_row)
    )""",
    _backfill_firms,
)

Step = str | Callable[[sqlite3.Connection], None]  # SQL, or Python where SQL alone cannot do it
MIGRATIONS: tuple[tuple[Step, ...], ...] = (V1, V2)
LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: str, migrations: tuple[tuple[Step, ...], ...] = MIGRATIONS) -> int:
    """Apply the migrations this database lacks (inside the caller's transaction); the version reached."""
    current = version(conn)
    if current > len(migrations):
        raise ScreeningError([make_issue("store-newer", value=path, found=current, known=len(migrations))])
    for number in range(current, len(migrations)):
        for step in migrations[number]:
            if callable(step):
                step(conn)
            else:
                conn.execute(step)
        conn.execute(f"PRAGMA user_version = {number + 1}")
    return len(migrations)
