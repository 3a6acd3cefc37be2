"""Which sheet column feeds which rule input, in which unit, and how sure the import is.

Every header is scored against every field the tool knows (the rule's inputs and the whole
catalogue, so that a column is never taken for something else because the rules do not use it);
:mod:`matching` gives the scores and one assignment for the whole sheet. A column is used when
the match is sure; a loose or ambiguous match is a *suggestion*: shown in the mapping review with
its confidence, not used until a person confirms it (``--map``, the app's review, a saved
mapping). Choices made by a person come first and are taken as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..excel import column_letter
from ..issues.record import Issue, make_issue
from ..rules.fields import FieldSpec
from .content import fits
from .lexicon import all_fields, lexicon, names_of
from .matching import Choice, Evidence, Heading, assign, column_rivals, evidence, heading
from .text import normalize_label
from .units import factor as unit_factor

MONEY_UNITS = ("万元", "元", "千元", "亿元")
REVIEW_CODES = frozenset({"column-required-missing", "column-ambiguous", "unit-unknown", "column-suggested"})
PERSON = ("manual", "saved")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as shown in the sheet ("经济指标 › 营业收入（万元）")
    base: str  # normalised name without unit
    unit: str | None
    heading: Heading | None = field(default=None, compare=False, repr=False)

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)

    @property
    def display(self) -> str:
        return f"{self.letter}列“{self.header}”"


@dataclass(frozen=True)
class MappedInput:
    input: str
    column: Column | None  # the column used; None when missing, awaiting review or in an unknown unit
    how: str  # label | alias | qualified | bracket | similar | content | manual | saved | missing | review | unit-error
    unit: str
    factor: float
    confidence: float = 0.0  # 0–1, for the column used or the one suggested
    suggestion: Column | None = None  # offered in the mapping review, not used until confirmed
    rivals: tuple[str, ...] = ()  # other inputs the suggested column could be


@dataclass
class ColumnMapping:
    inputs: dict[str, MappedInput]
    ignored: list[Column]
    issues: list[Issue] = field(default_factory=list)
    recognised: dict[int, str] = field(default_factory=dict)  # column index -> catalogue field (also unused ones)

    @property
    def needs_review(self) -> bool:
        """Whether a person should look at the mapping: a required column is missing, a column is only
        suggested (low or ambiguous score), two columns could be the same input, or a unit is unknown."""
        return any(issue.code in REVIEW_CODES for issue in self.issues)

    @property
    def required_missing(self) -> bool:
        return any(issue.code == "column-required-missing" for issue in self.issues)

    @property
    def matched(self) -> int:
        return sum(1 for m in self.inputs.values() if m.column is not None)

    @property
    def suggested(self) -> dict[str, MappedInput]:
        return {k: m for k, m in self.inputs.items() if m.suggestion is not None}

    def choices(self) -> dict[str, str | None]:
        """input -> column letter (None: none), as a person would confirm it."""
        return {k: (m.column.letter if m.column else None) for k, m in self.inputs.items()}

    def frame(self, fields: Mapping[str, FieldSpec], lang: str = "zh") -> pd.DataFrame:
        rows = []
        for key, mapped in self.inputs.items():
            spec = fields[key]
            shown = mapped.column or mapped.suggestion
            rows.append(
                {
                    "input": key,
                    "label": spec.label.get(lang),
                    "required": spec.required,
                    "column": mapped.column.letter if mapped.column else "",
                    "header": shown.header if shown else "",
                    "how": mapped.how,
                    "confidence": round(mapped.confidence, 2),
                    "suggested": mapped.suggestion.letter if mapped.suggestion else "",
                    "unit": mapped.unit,
                    "factor": mapped.factor,
                }
            )
        return pd.DataFrame(rows)


def columns_from_header(
    names: tuple[tuple[str, str], ...] | list[tuple[str, str]], units: Mapping[int, str] | None = None
) -> list[Column]:
    """(group, name) per sheet column -> the non-empty columns; the unit from the header's brackets,
    else from a separate unit row (``units``: column index -> unit)."""
    columns = []
    for i, (group, name) in enumerate(names):
        if not name:
            continue
        parsed = heading(i, name)
        unit = parsed.unit or (units or {}).get(i)
        if unit != parsed.unit:
            parsed = Heading(parsed.index, parsed.parts, unit, parsed.notes)
        header = f"{group} › {name}" if group and group != name else name
        columns.append(Column(i, header, parsed.parts.base, unit, parsed))
    return columns


def map_columns(
    columns: list[Column],
    fields: Mapping[str, FieldSpec],
    manual: Mapping[str, str | None] | None = None,
    sheet_unit: str | None = None,
    source: str = "",
    samples: Mapping[int, list] | None = None,
    how_manual: str = "manual",
) -> ColumnMapping:
    """Columns -> inputs. ``manual`` (input -> header text or column letter, None for "no column") is
    a person's choice; ``samples`` (column index -> some cells) let content settle an uncertain match."""
    known = all_fields(fields)
    keys = list(known)
    scores = [evidence(c.heading or heading(c.index, c.header), names_of(known), known) for c in columns]
    fixed = {k: find_column(v, columns) for k, v in (manual or {}).items() if k in fields}
    issues: list[Issue] = []
    chosen: dict[str, MappedInput] = {}
    for key, position in fixed.items():
        column = columns[position] if position is not None else None
        if column is None:
            chosen[key] = MappedInput(key, None, how_manual, fields[key].unit, 1.0, 1.0)
        else:
            chosen[key] = _with_unit(key, column, how_manual, 1.0, fields[key], sheet_unit, issues, source)
    choices = assign(scores, keys, {k: v for k, v in fixed.items()})
    choices = [_settle(choice, columns, known, samples) for choice in choices]
    used = {choice.column for choice in choices if choice.confident}
    for choice in choices:
        if choice.field in fields and choice.field not in chosen:
            chosen[choice.field] = _chosen(choice, columns, fields, sheet_unit, issues, source, scores, used)
    for key, spec in fields.items():
        if key not in chosen:
            chosen[key] = MappedInput(key, None, "missing", spec.unit, 1.0)
        if spec.required and chosen[key].column is None and chosen[key].how not in ("unit-error", *PERSON):
            issues.append(_required_missing(spec, chosen[key], source))
    in_use = {m.column.index for m in chosen.values() if m.column is not None}
    recognised = {columns[c.column].index: c.field for c in choices if c.confident}
    ignored = [c for c in columns if c.index not in in_use]
    return ColumnMapping({k: chosen[k] for k in fields}, ignored, issues, recognised)


def find_column(target: str | None, columns: list[Column]) -> int | None:
    if not target:
        return None
    wanted = str(target).strip()
    for position, column in enumerate(columns):
        if wanted.upper() == column.letter or wanted == column.header:
            return position
    for position, column in enumerate(columns):
        if normalize_label(wanted) in (column.base, normalize_label(column.header)):
            return position
    return None


def _settle(choice: Choice, columns: list[Column], known: Mapping[str, FieldSpec], samples) -> Choice:
    """An uncertain match whose cells fit the field (是/否 under 是否…, 规上/规下 under 企业规模) is used."""
    if choice.confident or samples is None:
        return choice
    cells = samples.get(columns[choice.column].index) or []
    if not fits(known[choice.field], cells):
        return choice
    if any(fits(known[r], cells) for r in choice.rivals if r in known):
        return choice
    settled = Evidence(choice.evidence.score, "content", choice.evidence.name)
    return Choice(choice.field, choice.column, settled, True, ())


def _chosen(choice, columns, fields, sheet_unit, issues, source, scores, used) -> MappedInput:
    spec = fields[choice.field]
    column = columns[choice.column]
    confidence = choice.evidence.score
    if not choice.confident:
        issues.append(_suggested(spec, column, choice, source))
        return MappedInput(spec.id, None, "review", spec.unit, 1.0, confidence, column, choice.rivals)
    others = column_rivals(scores, choice, used)
    if others:
        issues.append(
            make_issue(
                "column-ambiguous",
                source=source,
                column=spec.label.zh,
                value=column.display,
                allowed="、".join([column.display] + [columns[c].display for c in others]),
            )
        )
    how = choice.evidence.how
    if how not in ("label", "alias"):
        issues.append(
            make_issue(
                "column-recognised",
                source=source,
                column=column.letter,
                value=column.header,
                input=spec.label.zh,
                confidence=f"{confidence:.0%}",
            )
        )
    return _with_unit(spec.id, column, how, confidence, spec, sheet_unit, issues, source)


def _suggested(spec: FieldSpec, column: Column, choice: Choice, source: str) -> Issue:
    term = lexicon().uncertain.get(column.base)
    reason_zh = f"（{term.zh}）" if term else ""
    reason_en = f" ({term.en})" if term else ""
    if choice.rivals:
        reason_zh += "，也可能是 " + "、".join(choice.rivals)
        reason_en += ", or perhaps " + ", ".join(choice.rivals)
    return make_issue(
        "column-suggested",
        source=source,
        column=column.letter,
        value=column.header,
        input=spec.label.zh,
        key=spec.id,
        confidence=f"{choice.evidence.score:.0%}",
        reason_zh=reason_zh,
        reason_en=reason_en,
    )


def _required_missing(spec: FieldSpec, mapped: MappedInput, source: str) -> Issue:
    hint = f"{mapped.suggestion.letter}" if mapped.suggestion else "<列字母或列名>"
    return make_issue(
        "column-required-missing",
        source=source,
        column=spec.label.zh,
        allowed="、".join(spec.aliases[:6]) or "—",
        key=spec.id,
        hint=hint,
    )


def _with_unit(
    key: str,
    column: Column,
    how: str,
    confidence: float,
    spec: FieldSpec,
    sheet_unit: str | None,
    issues: list[Issue],
    source: str,
) -> MappedInput:
    if spec.type != "number":
        return MappedInput(key, column, how, "", 1.0, confidence)
    unit = column.unit
    if unit is None and sheet_unit and spec.unit in MONEY_UNITS and unit_factor(sheet_unit, spec) is not None:
        unit = sheet_unit
    if unit is None or unit == spec.unit:
        return MappedInput(key, column, how, spec.unit, 1.0, confidence)
    factor = unit_factor(unit, spec)
    where = {"source": source, "column": column.letter, "value": column.header, "unit": unit}
    if factor is None:
        allowed = "、".join(spec.units) or spec.unit
        issues.append(make_issue("unit-unknown", **where, target=spec.unit or "—", allowed=allowed))
        return MappedInput(key, None, "unit-error", unit, 1.0, confidence, column)
    issues.append(make_issue("unit-converted", **where, target=spec.unit, factor=f"{factor:g}"))
    return MappedInput(key, column, how, unit, factor, confidence)
