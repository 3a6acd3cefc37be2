"""What a round decided, frozen: every firm's decision, class, score, rank, gate outcomes, inputs and
indicators, plus what the import set aside — stored with the round and read back without re-running
anything, so a saved round shows what was decided then whatever the rule files say today.

Rows in = rows out: ``firms`` (screened) + ``elsewhere`` (applying to another park) + ``skipped``
(title, total, note rows) + the header rows are every physical row of the sheet.
Stored as zlib-compressed JSON (column lists, so strings such as credit codes stay strings).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..report.explain import reasons, rule_text
from ..vocabulary import Status

IDENTITY = ["source_row", "name", "credit_code", "industry_code"]
GATE, INPUT, INDICATOR = "gate:", "input:", "indicator:"
FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    firms: pd.DataFrame  # one row per screened firm: identity, decision, class, score, rank, gate:, input:, indicator:
    elsewhere: pd.DataFrame
    skipped: pd.DataFrame
    issues: pd.DataFrame
    gates: dict[str, dict[str, str]]  # gate id -> {zh, en, department, severity}
    parameters: dict[str, Any]  # every tunable parameter's value as used
    changes: list[dict[str, Any]]  # parameters moved from the standard
    counts: dict[str, int]
    source: dict[str, Any]

    def decision_of(self, source_row: int) -> str | None:
        match = self.firms.loc[self.firms["source_row"] == source_row, "decision"]
        return None if match.empty else str(match.iloc[0])

    def columns(self, prefix: str) -> list[str]:
        return [c.removeprefix(prefix) for c in self.firms.columns if c.startswith(prefix)]


def take_snapshot(result: Result) -> Snapshot:
    summary = result.summary
    firms = pd.DataFrame({key: summary[key].to_numpy(dtype=object) for key in IDENTITY if key in summary})
    firms["decision"] = summary["decision"].astype(str).to_numpy()
    firms["class"] = summary["class"].to_numpy(dtype=object, na_value=None)
    firms["score"] = summary["total"].to_numpy(dtype=float)
    firms["rank"] = summary["rank"].to_numpy(dtype=object, na_value=None)
    keys = np.array([s.key for s in Status], dtype=object)
    for gid, outcome in result.gates.items():
        firms[GATE + gid] = keys[outcome.status]
    for name in result.ruleset.inputs:
        if name in result.firms and name not in IDENTITY:
            firms[INPUT + name] = result.firms[name].to_numpy(dtype=object, na_value=None)
    for key in result.indicators.columns:
        firms[INDICATOR + key] = result.indicators[key].to_numpy(dtype=float)
    firms["reasons_zh"] = reasons(result, lang="zh").to_numpy()
    firms["reasons_en"] = reasons(result, lang="en").to_numpy()
    rs = result.ruleset
    return Snapshot(
        firms=firms,
        elsewhere=result.elsewhere.reset_index(drop=True),
        skipped=result.skipped.reset_index(drop=True),
        issues=result.issues.reset_index(drop=True),
        gates={gid: _gate_words(outcome, rs) for gid, outcome in result.gates.items()},
        parameters={pid: _plain(p.value) for pid, p in rs.parameters.items()},
        changes=[
            {"parameter": c.parameter, "standard": _plain(c.standard), "used": _plain(c.used)} for c in rs.changes
        ],
        counts={str(k): v for k, v in result.counts().items()},
        source=dict(result.source),
    )


def _gate_words(outcome, ruleset) -> dict[str, str]:
    gate = outcome.gate
    joiner = {"zh": "；", "en": "; "}
    words = {lang: joiner[lang].join(rule_text(t.test, ruleset, lang) for t in outcome.tests) for lang in ("zh", "en")}
    return {**words, "department": str(gate.department), "severity": str(gate.severity)}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _frame_data(frame: pd.DataFrame) -> dict:
    return json.loads(frame.to_json(orient="split", index=False, force_ascii=False))


def _frame(data: dict) -> pd.DataFrame:
    return pd.DataFrame(data["data"], columns=data["columns"])


def dump_snapshot(snapshot: Snapshot) -> bytes:
    payload = {
        "format": FORMAT,
        "firms": _frame_data(snapshot.firms),
        "elsewhere": _frame_data(snapshot.elsewhere),
        "skipped": _frame_data(snapshot.skipped),
        "issues": _frame_data(snapshot.issues),
        "gates": snapshot.gates,
        "parameters": snapshot.parameters,
        "changes": snapshot.changes,
        "counts": snapshot.counts,
        "source": snapshot.source,
    }
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6)


def load_snapshot(blob: bytes) -> Snapshot:
    payload = json.loads(zlib.decompress(blob).decode("utf-8"))
    return Snapshot(
        firms=_frame(payload["firms"]),
        elsewhere=_frame(payload["elsewhere"]),
        skipped=_frame(payload["skipped"]),
        issues=_frame(payload["issues"]),
        gates=payload["gates"],
        parameters=payload["parameters"],
        changes=payload["changes"],
        counts=payload["counts"],
        source=payload["source"],
    )
