"""Screening rounds: saved with everything needed to show, and to redo, what was decided.

A round keeps its input files (by SHA-256, content in ``uploads``), the rule file's TEXT (not its
path), version and hash, the policy sources it cites, the overrides (slider values), the sheet and
any hand-made column mapping, the mapping the import used, the result snapshot, who and when.
Opening a round reads the snapshot (what was decided then); :func:`reopen` also re-screens the
stored bytes with the stored rule text and says if that no longer gives the same decisions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..engine.result import Result
from ..intake.loading import LoadedTable
from ..intake.merge import MergedTable
from ..issues.record import Issue, ScreeningError, make_issue
from ..pipeline import load_sources as load_lists
from ..pipeline import screen_table
from ..rules.loading import RuleSet, parse_rules
from ..rules.overrides import apply_overrides
from ..rules.parameters import ParamValue
from ..rules.sources import Source, load_sources
from .access import Actor
from .migrations import insert_firms
from .snapshot import Snapshot, dump_snapshot, load_snapshot, take_snapshot
from .uploads import keep_upload, now_text, upload_content
from .workspace import Workspace

MAX_NAME = 200


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    park: str
    rules_source: str
    rules_version: str
    rules_sha256: str
    created_by: str
    account: str | None
    created_at: str
    counts: dict[str, int]
    overrides: dict[str, Any]
    settings: dict[str, Any]
    mapping: dict[str, Any]
    inputs: list[dict[str, Any]] = field(default_factory=list)  # file_name, sha256, size, kept


@dataclass(frozen=True)
class Reopened:
    info: RoundInfo
    snapshot: Snapshot  # what was decided then
    result: Result | None  # the same inputs re-screened with the stored rules (None if that cannot be done)
    issues: list[Issue]  # why it could not be re-screened, or where it now differs


def screen_inputs(
    inputs: Sequence[InputFile],
    ruleset: RuleSet,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    applicants_only: bool = True,
) -> tuple[Result, LoadedTable | MergedTable]:
    """Screen a round's input: one list, or several department files joined into one by the intake
    (on the credit code; every row of every file accounted for)."""
    table = load_lists([(f.name, f.data) for f in inputs], ruleset, sheet=sheet, manual=manual)
    return screen_table(table, ruleset, applicants_only=applicants_only), table


def save_round(
    ws: Workspace,
    name: str,
    inputs: Sequence[InputFile],
    ruleset: RuleSet,
    overrides: Mapping[str, ParamValue] | None,
    actor: Actor,
    *,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    applicants_only: bool = True,
) -> RoundInfo:
    """Screen ``inputs`` against ``ruleset`` (the standard file) with ``overrides``, and store the round
    in one transaction. ``manual`` is a hand-made mapping {input: column letter or header}."""
    name = _check_name(name)
    overrides = dict(overrides or {})
    used = apply_overrides(ruleset, overrides) if overrides else ruleset
    result, table = screen_inputs(inputs, used, sheet, manual, applicants_only)
    snapshot = take_snapshot(result)
    settings = {
        "sheet": getattr(table, "sheet", None),
        "manual": dict(manual or {}),
        "applicants_only": applicants_only,
    }
    record = {
        "name": name,
        "park": ruleset.model.park.id,
        "rules_source": ruleset.source,
        "rules_version": ruleset.model.version,
        "rules_sha256": ruleset.sha256,
        "rules_text": ruleset.text,
        "sources": _dump({sid: s.model_dump() for sid, s in load_sources().items()}),
        "overrides": _dump({k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()}),
        "settings": _dump(settings),
        "mapping": _dump(_mapping_record(table)),
        "counts": _dump(snapshot.counts),
        "snapshot": dump_snapshot(snapshot),
        "created_by": actor.name,
        "account": actor.account_name,
    }
    now = now_text()

    def store(conn: sqlite3.Connection) -> None:
        if conn.execute("SELECT 1 FROM rounds WHERE name = ?", (name,)).fetchone():
            raise ScreeningError([make_issue("round-exists", value=name)])
        digests = [keep_upload(conn, f.data, ws.uploads, now) for f in inputs]
        columns = [*record, "created_at"]
        cursor = conn.execute(
            f"INSERT INTO rounds ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [*record.values(), now],
        )
        _insert_inputs(conn, cursor.lastrowid, inputs, digests)
        insert_firms(conn, cursor.lastrowid, snapshot.firms)

    ws.db.write(store)
    return round_info(ws, name)


def _insert_inputs(conn: sqlite3.Connection, round_id: int, inputs: Sequence[InputFile], digests: list[str]) -> None:
    conn.executemany(
        "INSERT INTO round_inputs (round_id, position, file_name, sha256) VALUES (?, ?, ?, ?)",
        [(round_id, i, f.name, d) for i, (f, d) in enumerate(zip(inputs, digests, strict=True))],
    )


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ScreeningError([make_issue("round-bad-name", value=name[:40], limit=MAX_NAME)])
    return name


def _mapping_record(table: LoadedTable | MergedTable) -> dict[str, Any]:
    return {
        key: {
            "column": m.column.letter if m.column else None,
            "header": m.column.header if m.column else None,
            "how": m.how,
            "unit": m.unit,
            "factor": m.factor,
        }
        for key, m in table.mapping.inputs.items()
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- reading rounds -------------------------------------------------------------------------------

INFO_COLUMNS = (
    "id, name, park, rules_source, rules_version, rules_sha256, created_by, account, created_at,"
    " counts, overrides, settings, mapping"
)


def list_rounds(ws: Workspace) -> pd.DataFrame:
    """Every round, newest first: name, park, rules version, counts by decision, who, when."""
    rows = ws.db.read(lambda conn: conn.execute(f"SELECT {INFO_COLUMNS} FROM rounds ORDER BY id DESC").fetchall())
    infos = [_info(row, []) for row in rows]
    frame = pd.DataFrame(
        {
            "name": [i.name for i in infos],
            "park": [i.park for i in infos],
            "rules_version": [i.rules_version for i in infos],
            "created_by": [i.created_by for i in infos],
            "created_at": [i.created_at for i in infos],
        }
    )
    for decision in ("admit", "review", "reject", "not_scored"):
        frame[decision] = [i.counts.get(decision, 0) for i in infos]
    frame["changed"] = [len(i.overrides) for i in infos]
    return frame


def _info(row: tuple, inputs: list[dict[str, Any]]) -> RoundInfo:
    (rid, name, park, source, version, sha, by, account, at, counts, overrides, settings, mapping) = row
    return RoundInfo(
        rid,
        name,
        park,
        source,
        version,
        sha,
        by,
        account,
        at,
        json.loads(counts),
        json.loads(overrides),
        json.loads(settings),
        json.loads(mapping),
        inputs,
    )


def round_in(conn: sqlite3.Connection, name: str) -> RoundInfo:
    row = conn.execute(f"SELECT {INFO_COLUMNS} FROM rounds WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("SELECT name FROM rounds ORDER BY id DESC LIMIT 10")]
        raise ScreeningError([make_issue("round-unknown", value=name, known="、".join(known) or "—")])
    inputs = conn.execute(
        "SELECT i.file_name, i.sha256, u.size, u.content IS NOT NULL FROM round_inputs i"
        " JOIN uploads u ON u.sha256 = i.sha256 WHERE i.round_id = ? ORDER BY i.position",
        (row[0],),
    ).fetchall()
    return _info(row, [{"file_name": f, "sha256": s, "size": n, "kept": bool(k)} for f, s, n, k in inputs])


def round_info(ws: Workspace, name: str) -> RoundInfo:
    return ws.db.read(lambda conn: round_in(conn, name))


def snapshot_in(conn: sqlite3.Connection, info: RoundInfo) -> Snapshot:
    return load_snapshot(conn.execute("SELECT snapshot FROM rounds WHERE id = ?", (info.id,)).fetchone()[0])


def round_snapshot(ws: Workspace, name: str) -> Snapshot:
    """What the round decided, as stored (no re-screening)."""
    return ws.db.read(lambda conn: snapshot_in(conn, round_in(conn, name)))


def reopen(ws: Workspace, name: str) -> Reopened:
    """The stored snapshot, and the stored inputs re-screened with the stored rule text and overrides."""

    def read(conn: sqlite3.Connection):
        info = round_in(conn, name)
        text, sources = conn.execute("SELECT rules_text, sources FROM rounds WHERE id = ?", (info.id,)).fetchone()
        contents = [upload_content(conn, i["sha256"]) for i in info.inputs]
        return info, snapshot_in(conn, info), text, sources, contents

    info, snapshot, text, sources, contents = ws.db.read(read)
    if any(c is None for c in contents):
        gone = [i["file_name"] for i, c in zip(info.inputs, contents, strict=True) if c is None]
        return Reopened(info, snapshot, None, [make_issue("round-upload-purged", value="、".join(gone), round=name)])
    try:
        registry = {sid: Source.model_validate(s) for sid, s in json.loads(sources).items()}
        ruleset = parse_rules(text, source=info.rules_source, sources=registry)
        overrides = {k: tuple(v) if isinstance(v, list) else v for k, v in info.overrides.items()}
        used = apply_overrides(ruleset, overrides) if overrides else ruleset
        files = [InputFile(i["file_name"], c) for i, c in zip(info.inputs, contents, strict=True)]
        settings = info.settings
        result, _ = screen_inputs(files, used, settings["sheet"], settings["manual"], settings["applicants_only"])
    except ScreeningError as exc:
        return Reopened(info, snapshot, None, [make_issue("round-rescreen-failed", value=name, detail=exc.one_line())])
    return Reopened(info, snapshot, result, _differences(name, snapshot, result))


def _differences(name: str, snapshot: Snapshot, result: Result) -> list[Issue]:
    then = snapshot.firms.set_index("source_row")["decision"].astype(str)
    now = pd.Series(result.summary["decision"].astype(str).to_numpy(), index=result.summary["source_row"].to_numpy())
    joined = pd.concat([then.rename("then"), now.rename("now")], axis=1)
    differ = joined[joined["then"].ne(joined["now"])]
    if differ.empty:
        return []
    rows = "、".join(str(r) for r in differ.index[:10])
    return [make_issue("round-rescreen-differs", value=name, count=len(differ), rows=rows)]


def round_entries(
    ws: Workspace, table: str, columns: list[str], round_name: str, per: str, history: bool
) -> pd.DataFrame:
    """The entries of an append-only table (opinions, decisions) for a round: the latest one ``per``
    group of columns (e.g. ``"source_row, department"``), or every entry when ``history``; oldest first."""
    latest = "" if history else f" AND id IN (SELECT MAX(id) FROM {table} WHERE round_id = ? GROUP BY {per})"

    def read(conn: sqlite3.Connection) -> list[tuple]:
        info = round_in(conn, round_name)
        params = (info.id,) if history else (info.id, info.id)
        sql = f"SELECT {', '.join(columns)} FROM {table} WHERE round_id = ?{latest} ORDER BY id"
        return conn.execute(sql, params).fetchall()

    return pd.DataFrame(ws.db.read(read), columns=columns)
