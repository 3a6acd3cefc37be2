"""Which sheet column feeds which rule input, in which unit.

Headers are compared as normalised keys (full-width folded, spaces and line breaks gone, the
unit in brackets split off). A column matches an input by its id, its Chinese or English
label, or an alias (rule file + built-in catalogue); a year or "合计" around the name is
tolerated. Nothing fuzzier: a wrong match is worse than a column the user maps by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..excel import column_letter
from ..issues.record import Issue, make_issue
from ..rules.fields import FieldSpec
from .text import normalize_label, split_unit, strip_qualifiers

MONEY_UNITS = ("万元", "元", "千元", "亿元")
REVIEW_CODES = frozenset({"column-required-missing", "column-ambiguous", "unit-unknown"})


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as shown in the sheet ("经济指标/营业收入（万元）")
    base: str  # normalised name without unit
    unit: str | None

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)

    @property
    def display(self) -> str:
        return f"{self.letter}列“{self.header}”"


@dataclass(frozen=True)
class MappedInput:
    input: str
    column: Column | None
    how: str  # name | alias | qualified | manual | missing | unit-error
    unit: str
    factor: float


@dataclass
class ColumnMapping:
    inputs: dict[str, MappedInput]
    ignored: list[Column]
    issues: list[Issue] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        """Whether a person should look at the mapping: a required column is missing, a column was
        ambiguous, or a unit could not be read."""
        return any(issue.code in REVIEW_CODES for issue in self.issues)

    @property
    def required_missing(self) -> bool:
        return any(issue.code == "column-required-missing" for issue in self.issues)

    @property
    def matched(self) -> int:
        return sum(1 for m in self.inputs.values() if m.column is not None)

    def frame(self, fields: Mapping[str, FieldSpec], lang: str = "zh") -> pd.DataFrame:
        rows = []
        for key, mapped in self.inputs.items():
            spec = fields[key]
            rows.append(
                {
                    "input": key,
                    "label": spec.label.get(lang),
                    "required": spec.required,
                    "column": mapped.column.letter if mapped.column else "",
                    "header": mapped.column.header if mapped.column else "",
                    "how": mapped.how,
                    "unit": mapped.unit,
                    "factor": mapped.factor,
                }
            )
        return pd.DataFrame(rows)


def columns_from_header(names: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[Column]:
    """(group, name) per sheet column -> the non-empty columns, unit split off the name."""
    columns = []
    for i, (group, name) in enumerate(names):
        if not name:
            continue
        base, unit = split_unit(name)
        header = f"{group} › {name}" if group and group != name else name
        columns.append(Column(i, header, base, unit))
    return columns


def known_names(fields: Mapping[str, FieldSpec]) -> dict[str, list[tuple[str, int]]]:
    """normalised name -> [(input id, priority)]; priority 0 = Chinese label, 1 = id/English, 2 = alias."""
    table: dict[str, list[tuple[str, int]]] = {}
    for key, spec in fields.items():
        names = [(spec.label.zh, 0), (key, 1), (spec.label.en or "", 1)] + [(a, 2) for a in spec.aliases]
        for name, priority in names:
            norm = split_unit(name)[0] if name else ""
            if norm:
                table.setdefault(norm, []).append((key, priority))
    return table


def map_columns(
    columns: list[Column],
    fields: Mapping[str, FieldSpec],
    manual: Mapping[str, str | None] | None = None,
    sheet_unit: str | None = None,
    source: str = "",
) -> ColumnMapping:
    manual = dict(manual or {})
    names = known_names(fields)
    candidates: dict[str, list[tuple[int, int, Column]]] = {}
    for column in columns:
        hits = names.get(column.base)
        how = 0
        if not hits:
            hits = names.get(strip_qualifiers(column.base))
            how = 1
        for key, priority in hits or []:
            candidates.setdefault(key, []).append((priority + 3 * how, column.index, column))
    issues: list[Issue] = []
    chosen: dict[str, MappedInput] = {}
    used: set[int] = set()
    for key in fields:
        if key in manual:
            chosen[key] = _manual(key, manual[key], columns, fields[key], sheet_unit, issues, source)
            if chosen[key].column is not None:
                used.add(chosen[key].column.index)
    for key, spec in fields.items():
        if key in chosen:
            continue
        options = sorted(c for c in candidates.get(key, []) if c[1] not in used)
        if not options:
            chosen[key] = MappedInput(key, None, "missing", spec.unit, 1.0)
            continue
        best = options[0][2]
        if len(options) > 1:
            issues.append(
                make_issue(
                    "column-ambiguous",
                    source=source,
                    column=spec.label.zh,
                    value=best.display,
                    allowed="、".join(o[2].display for o in options),
                )
            )
        score = options[0][0]
        how = "qualified" if score >= 3 else ("alias" if score == 2 else "name")
        chosen[key] = _with_unit(key, best, how, spec, sheet_unit, issues, source)
        if chosen[key].column is not None:
            used.add(best.index)
    for key, spec in fields.items():
        if spec.required and chosen[key].column is None and chosen[key].how != "unit-error":
            issues.append(
                make_issue(
                    "column-required-missing", source=source, column=spec.label.zh, allowed="、".join(spec.aliases[:6])
                )
            )
    ignored = [c for c in columns if c.index not in used]
    return ColumnMapping(chosen, ignored, issues)


def _manual(
    key: str,
    target: str | None,
    columns: list[Column],
    spec: FieldSpec,
    sheet_unit: str | None,
    issues: list[Issue],
    source: str,
) -> MappedInput:
    if not target:
        return MappedInput(key, None, "manual", spec.unit, 1.0)
    wanted = target.strip()
    for column in columns:
        if wanted.upper() == column.letter or wanted == column.header or normalize_label(wanted) == column.base:
            return _with_unit(key, column, "manual", spec, sheet_unit, issues, source)
    return MappedInput(key, None, "missing", spec.unit, 1.0)


def _with_unit(
    key: str, column: Column, how: str, spec: FieldSpec, sheet_unit: str | None, issues: list[Issue], source: str
) -> MappedInput:
    if spec.type != "number":
        return MappedInput(key, column, how, "", 1.0)
    unit = column.unit
    if unit is None and sheet_unit and spec.unit in MONEY_UNITS and sheet_unit in spec.units:
        unit = sheet_unit
    if unit is None or unit == spec.unit:
        return MappedInput(key, column, how, spec.unit, 1.0)
    factor = _factor(unit, spec)
    if factor is None:
        issues.append(
            make_issue(
                "unit-unknown",
                source=source,
                column=column.letter,
                value=column.header,
                unit=unit,
                target=spec.unit or "—",
                allowed="、".join(spec.units) or spec.unit,
            )
        )
        return MappedInput(key, None, "unit-error", unit, 1.0)
    issues.append(
        make_issue(
            "unit-converted",
            source=source,
            column=column.letter,
            value=column.header,
            unit=unit,
            target=spec.unit,
            factor=f"{factor:g}",
        )
    )
    return MappedInput(key, column, how, unit, factor)


def _factor(unit: str, spec: FieldSpec) -> float | None:
    for name, factor in spec.units.items():
        if normalize_label(name) == unit:
            return factor
    return None
