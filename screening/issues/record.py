"""One record shape for every problem: rule files, uploads, cells, rows and rules that cannot apply.

An issue has a stable kebab-case ``code`` from the catalogue (catalogue.yaml), where it is
(``source`` file, ``row`` — the Excel row a person sees, or the YAML line of a rule file —
and ``column`` — the sheet column, or the key path inside a rule file), the offending
``value``, and the ``params`` its message templates need. Messages are rendered from the
templates when asked, in either language (frictionless style); the record keeps the data.
A report is a DataFrame with exactly :data:`ISSUE_COLUMNS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..vocabulary import IssueSeverity
from .catalogue import CATALOGUE

ISSUE_COLUMNS = ["code", "severity", "source", "row", "column", "value", "message_zh", "message_en"]


@dataclass(frozen=True)
class Issue:
    code: str
    source: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), compare=False)

    @property
    def severity(self) -> IssueSeverity:
        return CATALOGUE[self.code].severity

    def message(self, lang: str = "zh") -> str:
        fields = {"column": self.column, "value": self.value, "row": "" if self.row is None else self.row}
        return CATALOGUE[self.code].template(lang).format_map({**fields, **self.params})

    @property
    def message_zh(self) -> str:
        return self.message("zh")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def where(self) -> str:
        """'rules/x.yaml:40: gates[2].value' — file, row or line, column or key path (what is known)."""
        place = ":".join(p for p in (self.source, "" if self.row is None else str(self.row)) if p)
        return ": ".join(p for p in (place, self.column) if p)

    def one_line(self, lang: str = "zh") -> str:
        where = self.where()
        message = self.message(lang)
        return f"{where}: {message} [{self.code}]" if where else f"{message} [{self.code}]"

    def as_row(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


def make_issue(
    code: str, *, source: str = "", row: int | None = None, column: str = "", value: object = "", **params: object
) -> Issue:
    """An issue of a catalogue code; ``params`` must supply every placeholder its templates use
    (a missing one is a programming error and raises, so a test finds it)."""
    kind = CATALOGUE[code]
    missing = kind.parameters - params.keys()
    if missing:
        raise ValueError(f"issue {code!r} needs {sorted(missing)}")
    shown = {k: v if isinstance(v, str) else show_value(v) for k, v in params.items()}
    return Issue(code, source, row, column, show_value(value), MappingProxyType(shown))


def show_value(value: object) -> str:
    """A cell value as text in a message: '' for nothing (None, NaN, NA — never 'nan'), 12.0 -> '12'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """A report as a DataFrame with the fixed :data:`ISSUE_COLUMNS` (empty frame if none)."""
    frame = pd.DataFrame([i.as_row() for i in issues], columns=ISSUE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def concat_issues(*frames: pd.DataFrame | None) -> pd.DataFrame:
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return issues_frame([])
    out = pd.concat(parts, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return out[ISSUE_COLUMNS]


def count_by_severity(issues: pd.DataFrame) -> dict[IssueSeverity, int]:
    counts = issues["severity"].value_counts()
    return {s: int(counts.get(s.value, 0)) for s in IssueSeverity}


class ScreeningError(Exception):
    """Raised when work cannot go on; carries the issues that say what to fix."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(i.one_line("en") for i in issues[:5]))

    def one_line(self, lang: str = "zh") -> str:
        first = self.issues[0].one_line(lang)
        more = len(self.issues) - 1
        if more:
            first += f" (+{more} {'个其他问题' if lang == 'zh' else 'more'})"
        return first
