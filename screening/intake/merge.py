"""Several department files, one list of firms.

Each department often keeps its own sheet (经信: tax, land, revenue; 科技: R&D, patents, 高新;
环保: emissions, violations; 安监: accidents, hazardous chemicals). Every file is loaded on its
own (header, mapping, cells), then the firms are joined on the normalised 统一社会信用代码; a row
without a code is joined by its normalised name (with a warning). Where two files give different
values for the same input, the first file listed wins, and the merge report says so. Every row
of every file is accounted for: a header or skipped row of its file, or part of exactly one firm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..issues.record import concat_issues, issues_frame, make_issue
from ..rules.fields import FieldSpec
from .guards import Limits
from .loading import LoadedTable, load_firms
from .mapping import ColumnMapping, MappedInput
from .text import normalize_label
from .validation import required_issues

KEY = "_key"
DROPPED_PER_FILE = frozenset({"duplicate-firm", "column-required-missing", "value-required-missing"})


@dataclass
class MergeReport:
    rows: pd.DataFrame  # every physical row of every file: file, source_row, kind, key, firm_row
    missing: pd.DataFrame  # firms absent from some files: key, name, present, absent
    conflicts: pd.DataFrame  # key, name, input, values, winner, reason
    duplicates: pd.DataFrame  # file, key, rows


@dataclass
class MergedTable:
    """Several files as one list; quacks like a LoadedTable where screening needs it."""

    tables: list[LoadedTable]
    firms: pd.DataFrame
    skipped: pd.DataFrame
    issues: pd.DataFrame
    mapping: ColumnMapping
    report: MergeReport

    @property
    def source_info(self) -> dict:
        return {
            "file_name": " + ".join(t.file_name for t in self.tables),
            "files": [t.source_info for t in self.tables],
            "firms_joined": len(self.firms),
        }

    def accounting(self) -> pd.DataFrame:
        return self.report.rows


def load_files(
    files: Sequence[tuple[str, bytes]],
    fields: Mapping[str, FieldSpec],
    *,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
) -> MergedTable:
    """(file name, bytes) per department file -> one list. Required inputs are checked on the joined
    list (a department file lacks most columns by design)."""
    relaxed = {k: replace(spec, required=False) for k, spec in fields.items()}
    tables = [
        load_firms(data, name, relaxed, manual=manual, limits=limits, strict_manual=False) for name, data in files
    ]
    keyed = [_keys(t, i) for i, t in enumerate(tables)]
    keyed, duplicates, duplicate_issues = _duplicates(keyed, tables)
    combined = pd.concat(keyed, ignore_index=True)
    firms, conflicts, conflict_issues = _join(combined, tables, fields)
    missing, missing_issues = _missing(combined, tables)
    by_name = [int(k[KEY].str.startswith("n:").sum()) for k in keyed]
    name_issues = [
        make_issue("merge-key-name", source=t.file_name, value=t.file_name, count=n)
        for t, n in zip(tables, by_name, strict=True)
        if n
    ]
    per_file = [t.issues[~t.issues["code"].isin(DROPPED_PER_FILE)] for t in tables]
    required = required_issues(firms.drop(columns=["_file"]), fields, _primary_sources(firms, tables))
    issues = concat_issues(
        *per_file,
        issues_frame(_required_columns(tables, fields) + name_issues + duplicate_issues),
        conflict_issues,
        missing_issues,
        required,
    )
    report = MergeReport(_rows(tables, combined, firms), missing, conflicts, duplicates)
    firms = firms.drop(columns=["_file", KEY]).reset_index(drop=True)
    return MergedTable(tables, firms, _skipped(tables), issues, _mapping(tables, fields), report)


def _keys(table: LoadedTable, position: int) -> pd.DataFrame:
    """Each firm row's join key: c:<credit code>, else n:<normalised name>, else r:<file>:<row>."""
    firms = table.firms.copy()
    code = firms["credit_code"] if "credit_code" in firms.columns else pd.Series(None, index=firms.index, dtype=object)
    name = firms["name"] if "name" in firms.columns else pd.Series(None, index=firms.index, dtype=object)
    name_key = name.map(normalize_label, na_action="ignore")
    own = "r:" + str(position) + ":" + firms["source_row"].astype(str)
    key = ("c:" + code.astype("string")).fillna("n:" + name_key.astype("string")).fillna(own)
    firms[KEY] = key.astype(object).to_numpy()
    firms["_name_key"] = name_key
    firms["_file"] = position
    return firms


def _duplicates(keyed: list[pd.DataFrame], tables: list[LoadedTable]):
    """A key twice in one file: the first row is joined, the others become firms of their own."""
    names = _code_by_name(keyed)
    rows, issues, out = [], [], []
    for position, (frame, table) in enumerate(zip(keyed, tables, strict=True)):
        by_name = frame[KEY].str.startswith("n:") & frame["_name_key"].isin(names.index)
        frame.loc[by_name, KEY] = "c:" + frame.loc[by_name, "_name_key"].map(names)
        again = frame[KEY].duplicated(keep="first") & ~frame[KEY].str.startswith("r:")
        if again.any():
            twice = frame[frame[KEY].isin(frame.loc[again, KEY])]
            for key, group in twice.groupby(KEY, sort=False):  # one issue per repeated firm
                shown = "、".join(str(r) for r in group["source_row"])
                rows.append((table.file_name, key, shown))
                issues.append(
                    make_issue(
                        "merge-duplicate-key", source=table.file_name, value=key[2:], file=table.file_name, rows=shown
                    )
                )
            frame.loc[again, KEY] = "d:" + str(position) + ":" + frame.loc[again, "source_row"].astype(str)
        out.append(frame.drop(columns=["_name_key"]))
    return out, pd.DataFrame(rows, columns=["file", "key", "rows"]), issues


def _code_by_name(keyed: list[pd.DataFrame]) -> pd.Series:
    """Normalised name -> credit code, from rows that have both (so a file without codes still joins)."""
    pairs = pd.concat([k.loc[k[KEY].str.startswith("c:"), ["_name_key", KEY]] for k in keyed], ignore_index=True)
    pairs = pairs.dropna().drop_duplicates("_name_key")
    return pairs.set_index("_name_key")[KEY].str[2:]


def _join(combined: pd.DataFrame, tables: list[LoadedTable], fields: Mapping[str, FieldSpec]):
    """One row per key: the first file's value of each input (files in the order given), conflicts listed."""
    ordered = combined.sort_values(["_file", "source_row"], kind="stable")
    inputs = [c for c in ordered.columns if c in fields]
    firms = ordered.groupby(KEY, sort=False).agg(
        {"source_row": "first", "_file": "first", **dict.fromkeys(inputs, "first")}
    )
    firms = firms.reset_index()
    for key in inputs:  # columns a file lacked were filled with NA: restore each input's type
        if fields[key].type == "flag":
            firms[key] = firms[key].astype("boolean")
        elif fields[key].type == "number":
            firms[key] = pd.to_numeric(firms[key], errors="coerce").astype(float)
    conflicts, issues = [], []
    names = firms.set_index(KEY)["name"] if "name" in firms.columns else pd.Series(dtype=object)
    for key in inputs:
        providers = [i for i, t in enumerate(tables) if t.mapping.inputs.get(key) and t.mapping.inputs[key].column]
        if len(providers) < 2:
            continue
        found = _conflicts(ordered, key, tables, names, fields[key])
        if found is not None:
            conflicts.append(found[0])
            issues.append(found[1])
    frame = (
        pd.concat(conflicts, ignore_index=True)
        if conflicts
        else pd.DataFrame(columns=["key", "name", "input", "values", "winner", "reason"])
    )
    return firms, frame, concat_issues(*issues)


def _conflicts(ordered: pd.DataFrame, key: str, tables, names: pd.Series, spec: FieldSpec):
    values = ordered[[KEY, "_file", "source_row", key]].dropna(subset=[key])
    comparable = values[key].round(9) if spec.type == "number" else values[key].astype(str)
    differ = comparable.groupby(values[KEY]).transform("nunique") > 1
    if not differ.any():
        return None
    rows = values[differ.to_numpy()]
    shown = rows["_file"].map(lambda i: tables[i].file_name) + ": " + rows[key].astype(str)
    grouped = shown.groupby(rows[KEY].to_numpy(), sort=False).agg("；".join)
    winners = rows.groupby(KEY, sort=False)["_file"].first().map(lambda i: tables[i].file_name)
    frame = pd.DataFrame(
        {
            "key": grouped.index,
            "name": names.reindex(grouped.index).to_numpy(),
            "input": key,
            "values": grouped.to_numpy(),
            "winner": winners.reindex(grouped.index).to_numpy(),
            "reason": "列在前面的文件优先 / the file listed first wins",
        }
    )
    issue_rows = rows.groupby(KEY, sort=False).first()
    zh, en = "命令行（或上传）中排在前面的文件优先", "the file listed first takes precedence"
    issues = [
        make_issue(
            "merge-conflict",
            source=w,
            row=int(issue_rows.loc[k, "source_row"]),
            column=spec.label.zh,
            value=_label(names, k),
            detail=d,
            winner=w,
            reason_zh=zh,
            reason_en=en,
        )
        for k, d, w in zip(frame["key"], frame["values"], frame["winner"], strict=True)
    ]
    return frame, issues_frame(issues)


def _label(names: pd.Series, key: str) -> str:
    name = names.get(key)
    return str(name) if isinstance(name, str) and name else key[2:]


def _missing(combined: pd.DataFrame, tables: list[LoadedTable]):
    """Firms not in every file (per firm: where it is, where it is not)."""
    presence = pd.crosstab(combined[KEY], combined["_file"]).reindex(columns=range(len(tables)), fill_value=0) > 0
    absent = presence[~presence.all(axis=1)]
    if absent.empty:
        return pd.DataFrame(columns=["key", "name", "present", "absent"]), issues_frame([])
    files = np.array([t.file_name for t in tables], dtype=object)
    present = ["、".join(files[row]) for row in absent.to_numpy()]
    missing = ["、".join(files[~row]) for row in absent.to_numpy()]
    first = combined.sort_values(["_file", "source_row"]).groupby(KEY).first()
    names = first["name"] if "name" in first.columns else pd.Series(dtype=object)
    label = [_label(names, k) for k in absent.index]
    frame = pd.DataFrame({"key": absent.index, "name": label, "present": present, "absent": missing})
    sources = [tables[int(first.loc[k, "_file"])].file_name for k in absent.index]
    issues = [
        make_issue("merge-missing-in", source=s, row=int(first.loc[k, "source_row"]), value=n, present=p, absent=a)
        for k, s, n, p, a in zip(absent.index, sources, label, present, missing, strict=True)
    ]
    return frame, issues_frame(issues)


def _primary_sources(firms: pd.DataFrame, tables: list[LoadedTable]) -> np.ndarray:
    return np.array([tables[i].file_name for i in firms["_file"]], dtype=object)


def _required_columns(tables: list[LoadedTable], fields: Mapping[str, FieldSpec]):
    issues = []
    for key, spec in fields.items():
        if spec.required and not any(t.mapping.inputs[key].column is not None for t in tables):
            issues.append(
                make_issue(
                    "column-required-missing",
                    source=" + ".join(t.file_name for t in tables),
                    column=spec.label.zh,
                    allowed="、".join(spec.aliases[:6]),
                    key=spec.id,
                    hint="<列字母或列名>",
                )
            )
    return issues


def _mapping(tables: list[LoadedTable], fields: Mapping[str, FieldSpec]) -> ColumnMapping:
    """Each input from the first file that provides it (for the mapping review)."""
    inputs: dict[str, MappedInput] = {}
    for key in fields:
        given = [t.mapping.inputs[key] for t in tables if t.mapping.inputs[key].column is not None]
        inputs[key] = given[0] if given else tables[0].mapping.inputs[key]
    issues = [i for t in tables for i in t.mapping.issues if i.code not in DROPPED_PER_FILE]
    return ColumnMapping(inputs, [c for t in tables for c in t.mapping.ignored], issues)


def _skipped(tables: list[LoadedTable]) -> pd.DataFrame:
    parts = []
    for t in tables:
        frame = t.skipped.copy()
        frame["text"] = t.file_name + " | " + frame["text"].astype(str)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else tables[0].skipped


def _rows(tables: list[LoadedTable], combined: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Every physical row of every file and what became of it (firm rows: the joined firm's row)."""
    joined = firms.set_index(KEY)["source_row"]
    parts = []
    for position, table in enumerate(tables):
        account = table.accounting()
        own = combined[combined["_file"] == position]
        firm_of = pd.Series(own[KEY].map(joined).to_numpy(), index=own["source_row"].to_numpy())
        account["file"] = table.file_name
        account["key"] = account["source_row"].map(own.set_index("source_row")[KEY])
        account["firm_row"] = account["source_row"].map(firm_of).astype("Int64")
        parts.append(account)
    return pd.concat(parts, ignore_index=True)
