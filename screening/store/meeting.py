"""The meeting: its pack built from a saved round, and its decisions read back and stored.

The pack is the round's stored inputs re-screened with its stored rules (so every page can explain
every number), refused if that no longer gives the decisions the round recorded. The decision
sheet comes back through the same importer as a firm list — the same guards (size, zip bomb,
sheet extent, isolated parser), header detection and cell readers — and is checked against the
round before anything is stored: the right round, known rows with the same firm names, one line
per firm, and a reason wherever the meeting departs from the screening. All of it is stored, in
one transaction, or none of it; decisions are append-only like opinions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..intake.loading import load_firms
from ..issues.record import Issue, ScreeningError, make_issue
from ..report.pack import DECISION_HEADERS, MEETING_CHOICES, PackFacts, write_pack
from ..rules.fields import FieldSpec
from ..rules.schema import Text
from ..vocabulary import Decision, IssueSeverity
from .access import Actor, require_decision_right
from .opinions import opinions_frame
from .rounds import reopen, round_entries, round_in, snapshot_in
from .uploads import now_text, sha256_of
from .workspace import Workspace

DECISION_COLUMNS = [
    "id",
    "source_row",
    "decision",
    "reason",
    "conditions",
    "author",
    "account",
    "at",
    "workbook_sha256",
]
REFUSED_CELLS = frozenset({"cell-unknown-category", "cell-not-number", "cell-number-with-text"})
_TYPES = {"round": "text", "firm_row": "number", "name": "name", "meeting_decision": "text", "conditions": "text"}


def build_pack(
    ws: Workspace, round_name: str, lang: str = "zh", gaps: Callable[[Result, int, str], list[str]] | None = None
) -> bytes:
    """The meeting pack of a saved round (xlsx bytes)."""
    reopened = reopen(ws, round_name)
    if reopened.result is None or reopened.issues:
        raise ScreeningError(reopened.issues)
    info = reopened.info
    facts = PackFacts(round_name, f"{info.created_by} {info.created_at}", opinions_frame(ws, round_name), gaps)
    return write_pack(reopened.result, facts, lang)


def decision_fields() -> dict[str, FieldSpec]:
    """What the importer looks for in the decision sheet (both languages' headers)."""
    choices = tuple(d.zh for d in MEETING_CHOICES) + tuple(d.en for d in MEETING_CHOICES)
    fields = {}
    for key in (*_TYPES, "reason"):
        zh, en = DECISION_HEADERS[key]
        fields[key] = FieldSpec(
            id=key,
            label=Text(zh=zh, en=en),
            type=_TYPES.get(key, "text"),
            unit="",
            units={},
            aliases=(),
            required=key in ("round", "firm_row"),  # a blank decision is a firm left undecided
            min=None,
            max=None,
            values=choices if key == "meeting_decision" else None,
        )
    return fields


@dataclass(frozen=True)
class DecisionImport:
    stored: int
    undecided: list[int]  # Excel rows of the firm list the meeting left blank
    notes: list[Issue]


def record_decisions(ws: Workspace, round_name: str, data: bytes, file_name: str, actor: Actor) -> DecisionImport:
    """Read the decisions typed into a meeting pack and store them as the round's final decisions."""
    require_decision_right(actor)
    table = load_firms(data, file_name, decision_fields())
    refused = [
        issue
        for issue in table.issues.itertuples(index=False)
        if issue.severity == IssueSeverity.ERROR.value or issue.code in REFUSED_CELLS
    ]
    if refused:
        raise ScreeningError([_as_issue(row) for row in refused[:20]])
    if table.mapping.inputs["meeting_decision"].column is None:
        header = DECISION_HEADERS["meeting_decision"]
        raise ScreeningError([make_issue("decision-sheet-problem", source=file_name, detail_zh=f"没有“{header[0]}”列",
                                         detail_en=f"no '{header[1]}' column")])  # fmt: skip
    rows = _decision_rows(table.firms)
    digest = sha256_of(data)

    def store(conn: sqlite3.Connection) -> DecisionImport:
        info = round_in(conn, round_name)
        firms = snapshot_in(conn, info).firms
        problems = _check_rows(rows, firms, round_name, file_name)
        if problems:
            raise ScreeningError(problems)
        decided = rows[rows["decision"].notna()]
        now = now_text()
        conn.executemany(
            "INSERT INTO decisions (round_id, source_row, decision, reason, conditions, author, account, at,"
            " workbook_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    info.id,
                    int(r.firm_row),
                    r.decision,
                    r.reason,
                    r.conditions,
                    actor.name,
                    actor.account_name,
                    now,
                    digest,
                )
                for r in decided.itertuples(index=False)
            ],
        )
        undecided = rows.loc[rows["decision"].isna(), "firm_row"].astype(int).tolist()
        return DecisionImport(len(decided), undecided, [])

    return ws.db.write(store)


def _as_issue(row) -> Issue:
    """An importer issue (a report row) raised again, its own code kept in the message."""
    return make_issue(
        "decision-sheet-problem",
        source=row.source,
        row=None if pd.isna(row.row) else int(row.row),
        column=row.column,
        detail_zh=f"{row.message_zh} [{row.code}]",
        detail_en=f"{row.message_en} [{row.code}]",
    )


def _decision_rows(firms: pd.DataFrame) -> pd.DataFrame:
    """The sheet's lines as plain columns: pack row, round, firm row, name, decision id, reason, conditions."""
    by_label = {d.zh: d.value for d in MEETING_CHOICES} | {d.en: d.value for d in MEETING_CHOICES}
    text = {key: _strings(firms, key) for key in ("round", "name", "conditions", "reason")}
    return pd.DataFrame(
        {
            "pack_row": firms["source_row"].to_numpy(),
            "round": text["round"],
            "firm_row": pd.to_numeric(firms.get("firm_row"), errors="coerce").to_numpy(dtype=float),
            "name": text["name"],
            "decision": firms["meeting_decision"].map(by_label).to_numpy(dtype=object),
            "reason": text["reason"],
            "conditions": text["conditions"],
        }
    )


def _strings(firms: pd.DataFrame, key: str) -> np.ndarray:
    if key not in firms:
        return np.full(len(firms), "", dtype=object)
    return firms[key].astype(object).where(firms[key].notna(), "").astype(str).str.strip().to_numpy(dtype=object)


def _check_rows(rows: pd.DataFrame, firms: pd.DataFrame, round_name: str, source: str) -> list[Issue]:
    """Every reason to refuse the sheet, found column by column over all lines."""
    problems = []
    for pack_row in rows.loc[rows["round"] != round_name, "pack_row"]:
        problems.append(make_issue("decision-wrong-round", source=source, row=pack_row, round=round_name))
    whole = rows["firm_row"].notna() & (rows["firm_row"] % 1 == 0)
    for pack_row in rows.loc[~whole, "pack_row"]:
        problems.append(make_issue("decision-bad-row", source=source, row=pack_row))
    known = firms.set_index("source_row")
    matched = rows[whole].assign(firm_row=lambda f: f["firm_row"].astype(np.int64))
    inside = matched["firm_row"].isin(known.index)
    for r in matched[~inside].itertuples(index=False):
        problems.append(
            make_issue("decision-unknown-firm", source=source, row=r.pack_row, value=r.firm_row, round=round_name)
        )
    matched = matched[inside]
    expected = known["name"].reindex(matched["firm_row"]).astype(str).to_numpy() if "name" in known else None
    if expected is not None:
        wrong = matched["name"].to_numpy() != expected
        for r, want in zip(matched[wrong].itertuples(index=False), expected[wrong], strict=True):
            problems.append(
                make_issue("decision-name-mismatch", source=source, row=r.pack_row, value=r.name, expected=want)
            )
    for r in matched[matched["firm_row"].duplicated(keep="first")].itertuples(index=False):
        problems.append(make_issue("decision-duplicate", source=source, row=r.pack_row, value=r.firm_row))
    screening = known["decision"].reindex(matched["firm_row"]).to_numpy()
    departs = matched["decision"].notna().to_numpy() & (matched["decision"].to_numpy() != screening)
    silent = departs & (matched["reason"].to_numpy() == "")
    for r, was in zip(matched[silent].itertuples(index=False), screening[silent], strict=True):
        problems.append(
            make_issue(
                "decision-reason-missing", source=source, row=r.pack_row, value=r.firm_row, screening=Decision(was).zh
            )
        )
    return problems


def final_decisions(ws: Workspace, round_name: str, history: bool = False) -> pd.DataFrame:
    """The meeting's decision per firm (the latest entry), with reason, who and when; ``history``: all."""
    return round_entries(ws, "decisions", DECISION_COLUMNS, round_name, "source_row", history)
