"""Two rounds side by side: who entered (admitted now, not before), who left, and why.

Firms are matched by 统一社会信用代码 when both rounds have codes, else by name, else by Excel
row. For each firm whose admission changed, ``why`` lists what moved, most specific first: a gate
whose outcome changed (and the rule text or tunable parameter behind it), an input value of the
firm that changed, a scoring parameter (weight, points, class cut-off, land quota) when its score
or class changed, its absence from one of the lists; when none of these, the change came from
the other firms (rank, quota, land). Everything is computed per column over all firms at once;
only the records written out are built one by one.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..vocabulary import Decision, Status
from .rounds import round_info, round_snapshot
from .snapshot import GATE, INPUT, Snapshot
from .workspace import Workspace

SCORING_PREFIXES = ("weight.", "points.", "band.", "capacity")
WORDS = {
    "zh": {
        "gate": "门槛“{label}”：{a} → {b}",
        "rule": "规则改变：{a} → {b}",
        "parameter": "参数 {item}：{a} → {b}",
        "data": "数据 {item}：{a} → {b}",
        "listed_a": "上一轮名单中没有该企业",
        "listed_b": "本轮名单中没有该企业",
        "others": "本企业数据和规则未变，变化来自其他企业（排名、名额或用地指标）",
    },
    "en": {
        "gate": "gate '{label}': {a} -> {b}",
        "rule": "rule changed: {a} -> {b}",
        "parameter": "parameter {item}: {a} -> {b}",
        "data": "data {item}: {a} -> {b}",
        "listed_a": "not in the earlier round's list",
        "listed_b": "not in this round's list",
        "others": "own data and rules unchanged: the change comes from other firms (rank, quota or land)",
    },
}


def compare_rounds(ws: Workspace, name_a: str, name_b: str, lang: str = "zh") -> dict[str, Any]:
    """The difference from round ``name_a`` to round ``name_b`` as plain data (``diff.json``)."""
    info_a, info_b = round_info(ws, name_a), round_info(ws, name_b)
    diff = compare_snapshots(round_snapshot(ws, name_a), round_snapshot(ws, name_b), lang)
    header = {
        side: {
            "name": info.name,
            "park": info.park,
            "rules_version": info.rules_version,
            "rules_sha256": info.rules_sha256,
            "created_at": info.created_at,
            "inputs": [{"file_name": i["file_name"], "sha256": i["sha256"]} for i in info.inputs],
            "counts": info.counts,
        }
        for side, info in (("a", info_a), ("b", info_b))
    }
    return {**header, **diff}


def compare_snapshots(a: Snapshot, b: Snapshot, lang: str = "zh") -> dict[str, Any]:
    match = _match_by(a.firms, b.firms)
    joined = pd.merge(
        _keyed(a.firms, match), _keyed(b.firms, match), on="_key", how="outer", suffixes=("@a", "@b"), indicator=True
    )
    admit = Decision.ADMIT.value
    moved = joined["decision@a"].eq(admit).to_numpy() != joined["decision@b"].eq(admit).to_numpy()
    joined = joined[moved].reset_index(drop=True)  # only the firms that moved are explained
    admitted_a = joined["decision@a"].eq(admit).to_numpy()
    admitted_b = ~admitted_a
    moved = np.ones(len(joined), dtype=bool)
    parameters = {
        pid: (a.parameters.get(pid), b.parameters.get(pid))
        for pid in dict.fromkeys([*a.parameters, *b.parameters])
        if not _same(a.parameters.get(pid), b.parameters.get(pid))
    }
    why = _reasons(joined, moved, a, b, parameters, lang)
    records = _records(joined, why)
    return {
        "match": match,
        "parameters": [{"id": pid, "from": va, "to": vb} for pid, (va, vb) in parameters.items()],
        "rules": [
            {"gate": gid, "from": a.gates.get(gid, {}).get(lang), "to": b.gates.get(gid, {}).get(lang)}
            for gid in dict.fromkeys([*a.gates, *b.gates])
            if a.gates.get(gid, {}).get(lang) != b.gates.get(gid, {}).get(lang)
        ],
        "entered": [r for r, keep in zip(records, admitted_b & ~admitted_a, strict=True) if keep],
        "left": [r for r, keep in zip(records, admitted_a & ~admitted_b, strict=True) if keep],
    }


def _match_by(a: pd.DataFrame, b: pd.DataFrame) -> str:
    for column in ("credit_code", "name"):
        if column in a and column in b and a[column].notna().any() and b[column].notna().any():
            return column
    return "source_row"


def _keyed(firms: pd.DataFrame, match: str) -> pd.DataFrame:
    """The firms with a ``_key`` column: the normalised code or name (the Excel row where it is blank),
    numbered within the round when it repeats, so two firms never share a key."""
    base = firms[match].astype("string").str.strip().str.upper() if match != "source_row" else None
    row_key = "row:" + firms["source_row"].astype(str)
    key = row_key if base is None else (match + ":" + base).fillna(row_key)
    key = key.where(~key.str.endswith(":"), row_key)
    count = key.groupby(key).cumcount()
    return firms.assign(_key=(key + np.where(count > 0, "#" + count.astype(str), "")).to_numpy(dtype=object))


def _reasons(joined: pd.DataFrame, moved: np.ndarray, a: Snapshot, b: Snapshot, parameters: dict, lang: str):
    words = WORDS[lang]
    why: list[list[dict]] = [[] for _ in range(len(joined))]
    both = (joined["_merge"] == "both").to_numpy()
    for side, flag in (("a", "right_only"), ("b", "left_only")):
        for i in np.flatnonzero(moved & (joined["_merge"] == flag).to_numpy()):
            why[i].append({"kind": "listed", "item": side, "from": None, "to": None, "text": words[f"listed_{side}"]})
    for gid in dict.fromkeys([*a.columns(GATE), *b.columns(GATE)]):
        _gate_reasons(why, joined, moved & both, gid, a, b, parameters, lang)
    for name in dict.fromkeys([*a.columns(INPUT), *b.columns(INPUT)]):
        va, vb = _column(joined, INPUT + name, "a"), _column(joined, INPUT + name, "b")
        changed = moved & both & ~_equal(va, vb)
        for i in np.flatnonzero(changed):
            item = {"kind": "data", "item": name, "from": _plain(va[i]), "to": _plain(vb[i])}
            why[i].append({**item, "text": words["data"].format(item=name, a=_shown(va[i]), b=_shown(vb[i]))})
    _scoring_reasons(why, joined, moved & both, parameters, words)
    for i in np.flatnonzero(moved):
        if not why[i]:
            why[i].append({"kind": "others", "item": None, "from": None, "to": None, "text": words["others"]})
    return why


def _gate_reasons(why, joined, rows: np.ndarray, gid: str, a: Snapshot, b: Snapshot, parameters, lang: str) -> None:
    words = WORDS[lang]
    sa, sb = _column(joined, GATE + gid, "a"), _column(joined, GATE + gid, "b")
    changed = np.flatnonzero(rows & (sa != sb))
    if not len(changed):
        return
    text_a, text_b = a.gates.get(gid, {}).get(lang), b.gates.get(gid, {}).get(lang)
    label = text_b or text_a or gid
    shown = {status.key: status.label(lang) for status in Status}
    linked = {pid: v for pid, v in parameters.items() if pid == f"gate.{gid}" or pid.startswith(f"gate.{gid}.")}
    for i in changed:
        why[i].append(
            {
                "kind": "gate",
                "item": gid,
                "from": sa[i],
                "to": sb[i],
                "text": words["gate"].format(label=label, a=shown.get(sa[i], "—"), b=shown.get(sb[i], "—")),
            }
        )
        if text_a != text_b:
            why[i].append(
                {
                    "kind": "rule",
                    "item": gid,
                    "from": text_a,
                    "to": text_b,
                    "text": words["rule"].format(a=text_a, b=text_b),
                }
            )
        for pid, (va, vb) in linked.items():
            why[i].append(_parameter_reason(pid, va, vb, words))


def _scoring_reasons(why, joined, rows: np.ndarray, parameters: dict, words: dict) -> None:
    scoring = {pid: v for pid, v in parameters.items() if pid.startswith(SCORING_PREFIXES)}
    if not scoring:
        return
    score_a, score_b = _column(joined, "score", "a"), _column(joined, "score", "b")
    class_a, class_b = _column(joined, "class", "a"), _column(joined, "class", "b")
    touched = rows & (~_equal(score_a, score_b) | (class_a != class_b))
    for i in np.flatnonzero(touched):
        why[i].extend(_parameter_reason(pid, va, vb, words) for pid, (va, vb) in scoring.items())


def _parameter_reason(pid: str, va, vb, words: dict) -> dict:
    return {
        "kind": "parameter",
        "item": pid,
        "from": va,
        "to": vb,
        "text": words["parameter"].format(item=pid, a=_shown(va), b=_shown(vb)),
    }


def _records(joined: pd.DataFrame, why: list[list[dict]]) -> list[dict]:
    rows = np.where(
        joined["_merge"] == "left_only", _column(joined, "source_row", "a"), _column(joined, "source_row", "b")
    )
    names = np.where(joined["_merge"] == "left_only", _column(joined, "name", "a"), _column(joined, "name", "b"))
    decisions_a, decisions_b = _column(joined, "decision", "a"), _column(joined, "decision", "b")
    return [
        {"source_row": _plain(r), "name": _plain(n), "from": _plain(da), "to": _plain(db), "why": w}
        for r, n, da, db, w in zip(rows, names, decisions_a, decisions_b, why, strict=True)
    ]


def _column(joined: pd.DataFrame, name: str, side: str) -> np.ndarray:
    for column in (f"{name}@{side}", name):
        if column in joined:
            return joined[column].to_numpy(dtype=object)
    return np.full(len(joined), None, dtype=object)


def _missing(values: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(values, dtype=object)).to_numpy()


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise equality where two blanks are equal and numbers may differ in the 9th digit."""
    na, nb = _missing(a), _missing(b)
    num_a = pd.to_numeric(pd.Series(a, dtype=object), errors="coerce").to_numpy(dtype=float)
    num_b = pd.to_numeric(pd.Series(b, dtype=object), errors="coerce").to_numpy(dtype=float)
    numeric = ~np.isnan(num_a) & ~np.isnan(num_b)
    close = numeric & np.isclose(num_a, num_b, rtol=1e-9, atol=1e-12, equal_nan=False)
    same_text = ~numeric & (a.astype(str) == b.astype(str))
    return (na & nb) | (~na & ~nb & (close | same_text))


def _same(x: Any, y: Any) -> bool:
    """Parameter values (numbers, or [low, high] lists) compared as shown (6 significant digits)."""
    return _shown(x) == _shown(y)


def _plain(value: Any) -> Any:
    """A value fit for JSON: numpy scalars unwrapped, NaN and NA as null."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _shown(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "–".join(f"{v:g}" for v in value)
    return str(value)
