"""The departments' opinions on the firms of a round: append-only, so the history stays.

An opinion is a verdict (同意 / 不同意 / 有条件同意 — the last one with its conditions), a note,
who (and the signed-in account), when. A change of mind is a new entry; the database refuses
UPDATE and DELETE on the table (triggers), so no code path can rewrite the past. The current
opinion of a department on a firm is its latest entry.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from ..issues.record import ScreeningError, make_issue
from ..vocabulary import WORKING_GROUP, Decision, Department, Verdict
from .access import Actor, require_opinion_right
from .rounds import round_entries, round_in
from .uploads import now_text
from .workspace import Workspace

MAX_TEXT = 2000
OPINION_COLUMNS = ["id", "source_row", "department", "verdict", "conditions", "note", "author", "account", "at"]


def parse_department(text: str | Department) -> Department:
    try:
        department = Department.parse(str(text))
    except ValueError:
        department = None
    if department not in WORKING_GROUP:
        allowed = ", ".join(f"{d.value} ({d.zh})" for d in WORKING_GROUP)
        raise ScreeningError([make_issue("opinion-bad-department", value=str(text), allowed=allowed)])
    return department


def parse_verdict(text: str | Verdict) -> Verdict:
    try:
        return Verdict.parse(str(text))
    except ValueError:
        raise ScreeningError([make_issue("opinion-bad-verdict", value=str(text), allowed=Verdict.choices())]) from None


def add_opinion(
    ws: Workspace,
    round_name: str,
    source_row: int,
    department: Department | str,
    verdict: Verdict | str,
    actor: Actor,
    conditions: str = "",
    note: str = "",
) -> int:
    """Record one department's opinion on one firm (by its Excel row); the new entry's id."""
    department, verdict = parse_department(department), parse_verdict(verdict)
    conditions, note = (conditions or "").strip(), (note or "").strip()
    require_opinion_right(actor, department)
    _check_texts(verdict, conditions, note)

    def insert(conn: sqlite3.Connection) -> int:
        info = round_in(conn, round_name)
        _require_firm(conn, info, source_row, round_name)
        cursor = conn.execute(
            "INSERT INTO opinions (round_id, source_row, department, verdict, conditions, note, author, account, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (info.id, int(source_row), department.value, verdict.value, conditions, note, actor.name,
             actor.account_name, now_text()),
        )  # fmt: skip
        return cursor.lastrowid

    return ws.db.write(insert)


def _check_texts(verdict: Verdict, conditions: str, note: str) -> None:
    if verdict == Verdict.CONDITIONAL and not conditions:
        raise ScreeningError([make_issue("opinion-conditions-missing", value=verdict.zh)])
    if verdict != Verdict.CONDITIONAL and conditions:
        raise ScreeningError([make_issue("opinion-conditions-unexpected", value=verdict.zh)])
    for text in (conditions, note):
        if len(text) > MAX_TEXT:
            raise ScreeningError([make_issue("opinion-text-too-long", value=f"{len(text)}", limit=MAX_TEXT)])


def _require_firm(conn: sqlite3.Connection, info, source_row: int, round_name: str) -> None:
    found = conn.execute(
        "SELECT 1 FROM round_firms WHERE round_id = ? AND source_row = ?", (info.id, int(source_row))
    ).fetchone()
    if found is None:
        raise ScreeningError([make_issue("opinion-unknown-firm", value=source_row, round=round_name)])


def opinions_frame(ws: Workspace, round_name: str, history: bool = False) -> pd.DataFrame:
    """The current opinion of every department on every firm (``history``: every entry, oldest first)."""
    return round_entries(ws, "opinions", OPINION_COLUMNS, round_name, "source_row, department", history)


def firm_opinions(ws: Workspace, round_name: str, source_row: int) -> pd.DataFrame:
    """The four departments' current opinions on one firm, one row per department (blank where none)."""
    current = opinions_frame(ws, round_name)
    current = current[current["source_row"] == int(source_row)].set_index("department")
    frame = current.reindex([d.value for d in WORKING_GROUP]).rename_axis("department").reset_index()
    frame["source_row"] = int(source_row)
    return frame


def missing_opinions(ws: Workspace, round_name: str) -> pd.DataFrame:
    """Review firms still missing a department's opinion: one row per (firm, department)."""

    def read(conn: sqlite3.Connection) -> list[tuple]:
        info = round_in(conn, round_name)
        sql = "SELECT source_row, name FROM round_firms WHERE round_id = ? AND decision = ? ORDER BY source_row"
        return conn.execute(sql, (info.id, Decision.REVIEW.value)).fetchall()

    review = pd.DataFrame(ws.db.read(read), columns=["source_row", "name"])
    grid = pd.MultiIndex.from_product(
        [review["source_row"].to_numpy(), [d.value for d in WORKING_GROUP]], names=["source_row", "department"]
    )
    current = opinions_frame(ws, round_name)
    have = pd.MultiIndex.from_frame(current[["source_row", "department"]].astype({"source_row": np.int64}))
    missing = grid[~grid.isin(have)].to_frame(index=False)
    missing.insert(1, "name", review.set_index("source_row")["name"].reindex(missing["source_row"]).to_numpy())
    return missing


def missing_by_department(missing: pd.DataFrame) -> dict[Department, int]:
    counts = missing["department"].value_counts()
    return {d: int(counts.get(d.value, 0)) for d in WORKING_GROUP}
