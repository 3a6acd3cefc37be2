"""Gaps in a list: columns it lacks altogether, and blank cells a rule's ``default`` fills.

An absent column is not a blank cell. A blank cell is the firm's own gap (its rule's ``on_missing``
or ``missing`` policy applies); an absent column is the file's gap — no firm can be judged on it,
so no firm may be rejected or silently left unscored for it. The engine reports it once for the
file (which inputs, the gates and departments they disable, how to fix it) and, per firm, the
material a department must supply (:func:`materials`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..issues.record import issues_frame, make_issue
from ..rules.loading import RuleSet
from ..rules.schema import Condition, Gate
from ..vocabulary import AbsentPolicy, MissingPolicy
from .indicators import row_issues


@dataclass(frozen=True)
class Absence:
    """The rule inputs the list has no column for, and what depends on them."""

    ruleset: RuleSet
    inputs: tuple[str, ...]  # rule inputs without a column, in rule-file order
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def behind(self, name: str | None) -> frozenset[str]:
        """The absent inputs an input or indicator needs (through formulas); empty if none."""
        if name is None or not self.inputs:
            return frozenset()
        if name not in self._cache:
            self._cache[name] = frozenset(needed_inputs(self.ruleset, name)) & frozenset(self.inputs)
        return self._cache[name]

    def of_gate(self, gate: Gate) -> frozenset[str]:
        """Absent inputs behind a gate's tests (their subject and the number a tier is chosen by)."""
        found: set[str] = set()
        for test in gate.tests():
            found |= self.behind(test.indicator or test.input)
            if test.tiers is not None:
                found |= self.behind(test.tiers.by)
        return frozenset(found)

    def of_condition(self, cond: Condition | None) -> frozenset[str]:
        if cond is None:
            return frozenset()
        parts = [cond.not_] if cond.not_ is not None else list(cond.all or cond.any or [])
        found = {i for part in parts for i in self.of_condition(part)}
        return frozenset(found | self.behind(cond.missing or cond.input or cond.indicator))

    @cached_property
    def indicators(self) -> frozenset[str]:
        return frozenset(k for k in self.ruleset.indicators if self.behind(k))


def needed_inputs(ruleset: RuleSet, name: str) -> set[str]:
    """The inputs a name stands on: itself if an input, else the inputs of its formula, recursively."""
    if name in ruleset.indicators:
        return {i for dep in ruleset.indicators[name].formula.names for i in needed_inputs(ruleset, dep)}
    return {name}


def find_absence(ruleset: RuleSet, firms: pd.DataFrame) -> Absence:
    return Absence(ruleset, tuple(name for name in ruleset.inputs if name not in firms.columns))


# --- the file-level finding -----------------------------------------------------------------------


def absence_issue(absence: Absence) -> pd.DataFrame:
    """One finding for the file: the absent inputs, what each disables, and how to fix it."""
    if not absence.inputs:
        return issues_frame([])
    rs = absence.ruleset
    parts = {"zh": [], "en": []}
    used = [name for name in absence.inputs if _uses(absence, name, "zh")]
    if not used:  # declared for display only (a name, a remark): nothing waits for them
        return issues_frame([])
    for name in used:
        for lang in ("zh", "en"):
            sep, colon = ("、", "：") if lang == "zh" else (", ", ": ")
            parts[lang].append(f"{rs.inputs[name].label.get(lang)}{colon}{sep.join(_uses(absence, name, lang))}")
    return issues_frame(
        [
            make_issue(
                "rule-input-absent",
                column="、".join(rs.inputs[name].label.zh for name in used),
                value=", ".join(used),
                detail_zh="；".join(parts["zh"]),
                detail_en="; ".join(parts["en"]),
            )
        ]
    )


def _uses(absence: Absence, name: str, lang: str) -> list[str]:
    rs = absence.ruleset
    uses = []
    for gate in rs.model.gates:
        if name in absence.of_gate(gate):
            effect = AbsentPolicy(gate.absent_policy).label(lang)
            if gate.absent_policy == "assume":
                effect += f" {gate.assumed}"
            comma, colon = ("，", "：") if lang == "zh" else (", ", ": ")
            where = f"{gate.department.label(lang)}{comma}{gate.severity.label(lang)}{colon}{effect}"
            uses.append(f"{gate.label.zh}（{where}）" if lang == "zh" else f"{gate.label.get(lang)} ({where})")
    for scoring_set in rs.model.scoring.all_sets():
        if name in absence.of_condition(scoring_set.when):
            uses.append(("评分类别 " if lang == "zh" else "scoring set ") + scoring_set.label.get(lang))
        for crit in scoring_set.criteria:
            if name in absence.behind(crit.indicator):
                label = (crit.label or rs.indicators[crit.indicator].spec.label).get(lang)
                effect = MissingPolicy(crit.missing).label(lang)
                uses.append(f"评分项 {label}（{effect}）" if lang == "zh" else f"criterion {label} ({effect})")
    if rs.inputs[name].required:
        uses.append("必填，无法评分" if lang == "zh" else "required: nobody can be scored")
    return list(dict.fromkeys(uses))


# --- per firm: the material to supply -----------------------------------------------------------


def materials(absence: Absence, needs: dict[str, np.ndarray], size: int) -> pd.DataFrame:
    """Per firm and absent input: does judging this firm wait for it? (``needs``: input -> bool per firm)."""
    data = {name: needs.get(name, np.zeros(size, dtype=bool)) for name in absence.inputs}
    return pd.DataFrame(data, index=range(size), columns=list(absence.inputs), dtype=bool)


# --- blank cells a rule's default fills ------------------------------------------------------------


def fill_defaults(ruleset: RuleSet, firms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Blank cells of inputs with a ``default`` take it: (firms, which cells were filled, one issue per cell)."""
    filled: dict[str, np.ndarray] = {}
    issues = []
    rows = firms["source_row"].to_numpy()
    for name, spec in ruleset.inputs.items():
        if spec.default is None or name not in firms.columns:
            continue  # an absent column is the gate's on_absent matter, not a blank cell
        blank = firms[name].isna().to_numpy()
        if not blank.any():
            continue
        if name not in filled:
            firms = firms.copy(deep=False)
        firms[name] = _filled(firms[name], spec.default)
        filled[name] = blank
        shown = spec.default if not isinstance(spec.default, bool) else ("是" if spec.default else "否")
        issues.append(row_issues("value-default-used", rows[blank], column=spec.label.zh, default=shown))
    frame = pd.DataFrame(filled, index=range(len(firms)), columns=list(filled), dtype=bool)
    return firms, frame, pd.concat(issues, ignore_index=True) if issues else issues_frame([])


def _filled(series: pd.Series, value) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype) and value not in series.cat.categories:
        series = series.cat.add_categories([value])
    return series.fillna(value)
