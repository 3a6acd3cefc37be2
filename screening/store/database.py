"""The one place that talks to the database engine (SQLite, stdlib ``sqlite3``).

Everything else in ``store/`` calls :meth:`Database.write` / :meth:`Database.read` with a function
of a connection and plain SQL (``?`` parameters, no SQLite-only syntax outside this module and
``migrations.py``), so a server database could replace this module: docs/workspace.md says what
would change for PostgreSQL.

Why each setting:
- WAL: readers never block the writer, and a killed writer leaves only uncommitted frames, which
  SQLite ignores on the next open (nothing half-saved becomes visible).
- ``synchronous=FULL``: a committed round survives a power cut too, not only a killed process;
  the workspace writes a few rows per minute, so the fsync costs nothing anyone notices.
- ``foreign_keys=ON`` per connection (SQLite's default is off).
- ``BEGIN IMMEDIATE`` takes the write lock up front, so two writers queue on ``busy_timeout``
  instead of failing half-way; if the lock is still held after that, the whole unit of work is
  retried a few times, and only then does the user see a plain "busy, try again" issue — never
  SQLite's "database is locked".
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..issues.record import Issue, ScreeningError, make_issue

T = TypeVar("T")
SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x52595342  # "RYSB" (入园甄别): marks a file as this tool's workspace
FILE_NAME = "workspace.sqlite3"
DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk image", "disk i/o")


@dataclass(frozen=True)
class Patience:
    """How long a writer waits for another one: SQLite's busy timeout, then whole retries."""

    busy_ms: int = 5000
    attempts: int = 4
    backoff_s: float = 0.2


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Database:
    """A workspace database file. Connections are opened per unit of work (cheap for SQLite, and
    safe across the app's threads); every write runs in one transaction."""

    def __init__(self, path: Path, patience: Patience | None = None):
        self.path = Path(path)
        self.patience = patience or Patience()

    def connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.patience.busy_ms / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.patience.busy_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.OperationalError as exc:
            raise ScreeningError([make_issue("store-cannot-open", value=str(self.path), detail=str(exc))]) from None
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        return conn

    def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction: all of it is committed, or none of it."""
        for attempt in range(self.patience.attempts):
            conn = self.connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                value = work(conn)
                conn.execute("COMMIT")
                return value
            except sqlite3.OperationalError as exc:
                _rollback(conn)
                if not _busy(exc):
                    raise self._damaged(exc) from None
                time.sleep(self.patience.backoff_s * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                _rollback(conn)
                raise self._damaged(exc) from None
            except BaseException:
                _rollback(conn)
                raise
            finally:
                conn.close()
        raise ScreeningError([make_issue("store-busy", value=str(self.path), attempts=self.patience.attempts)])

    def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on one consistent snapshot of the database (WAL: never blocked by a writer)."""
        conn = self.connect()
        try:
            conn.execute("BEGIN")
            return work(conn)
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            _rollback(conn)
            conn.close()

    def _damaged(self, exc: sqlite3.DatabaseError) -> Exception:
        """A damaged file as an issue naming it; any other database error (a constraint, a bug) unchanged."""
        if not any(word in str(exc).lower() for word in DAMAGE_WORDS):
            return exc
        return ScreeningError([make_issue("store-damaged", value=str(self.path), detail=str(exc))])

    # --- the file itself -------------------------------------------------------------------------

    def identify(self) -> str:
        """'new' (absent or empty), 'ours', or raises: not SQLite, another program's, or damaged."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return "new"
        with self.path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
        if head != SQLITE_HEADER:
            raise ScreeningError([make_issue("store-not-sqlite", value=str(self.path))])
        app_id, tables = self.read(_identity)
        if app_id == APPLICATION_ID:
            return "ours"
        if app_id == 0 and not tables:
            return "new"
        raise ScreeningError([make_issue("store-foreign", value=str(self.path), tables=", ".join(tables[:5]))])

    def check(self, thorough: bool = False) -> list[Issue]:
        """SQLite's own check of every page (``quick_check``, or ``integrity_check`` + foreign keys)."""
        pragma = "integrity_check" if thorough else "quick_check"

        def run(conn: sqlite3.Connection) -> list[str]:
            found = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
            found = [] if found == ["ok"] else found
            if thorough:
                found += [
                    f"foreign key: {row[0]} row {row[1]} -> {row[2]}"
                    for row in conn.execute("PRAGMA foreign_key_check")
                ]
            return found

        problems = self.read(run)
        return [make_issue("store-damaged", value=str(self.path), detail=p) for p in problems[:20]]

    def enable_wal(self) -> None:
        """WAL is a property of the file: set once (outside any transaction), kept from then on."""
        conn = self.connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    def backup(self, target: Path) -> Path:
        """A consistent copy taken while others may write (SQLite's online backup), checked after."""
        target = Path(target)
        if target.exists():
            raise ScreeningError([make_issue("store-backup-exists", value=str(target))])
        partial = target.with_name(target.name + ".partial")
        source = self.connect()
        try:
            copy = sqlite3.connect(partial)
            with copy:
                source.backup(copy)
            copy.close()
        except sqlite3.DatabaseError as exc:
            partial.unlink(missing_ok=True)
            raise self._damaged(exc) from None
        finally:
            source.close()
        problems = Database(partial).check()
        if problems:
            partial.unlink(missing_ok=True)
            raise ScreeningError(problems)
        partial.replace(target)
        return target


def _identity(conn: sqlite3.Connection) -> tuple[int, list[str]]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return app_id, tables


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.DatabaseError):  # closing the connection rolls back what is left
            conn.execute("ROLLBACK")
