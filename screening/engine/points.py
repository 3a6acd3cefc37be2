"""Points: each firm's scoring set, every criterion's points, and bonus/penalty adjustments.

A firm is scored in the first scoring set whose ``when`` it meets (规上 / 规下 …). Batch statistics
(a baseline at the mean, min–max, percentiles, the ``mean`` fill) are taken within that set over
the firms that are scored at all: a firm left unscored — by the caller (required data, a gate),
by a ``missing: not_scored`` criterion it lacks, or by a column the list lacks — never moves
anyone else's points. The outcome is one :class:`Scored` record that the decision step reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.schema import Scoring
from .columns import Columns
from .conditions import PASS, evaluate_condition
from .gaps import Absence
from .indicators import row_issues
from .scoring import score_criterion


@dataclass(frozen=True)
class Scored:
    set_index: np.ndarray  # scoring set per firm, -1 = none applies
    set_ids: list[str]
    points: pd.DataFrame  # per criterion key; NaN outside the firm's set and for firms not scored
    references: dict[str, dict[str, float]]  # baseline / best / worst actually used, per criterion
    weighted: np.ndarray  # sum of the criterion points
    adjustments: pd.DataFrame  # per adjustment id
    adjustment: np.ndarray  # bonus (capped) + penalty
    criterion_unscored: np.ndarray  # a criterion with missing: not_scored lacks a value (a blank cell)
    issues: pd.DataFrame | None
    absent_unscored: np.ndarray | None = None  # cannot be scored because the list lacks a column
    absent_scoring: np.ndarray | None = None  # scored without a criterion whose column the list lacks
    needs: dict[str, np.ndarray] = field(default_factory=dict)  # absent input -> firms whose score waits for it

    @property
    def no_set(self) -> np.ndarray:
        return self.set_index < 0


@dataclass
class _Gaps:
    """What scoring finds missing, per firm: blank cells under not_scored, and absent columns."""

    size: int
    blank_unscored: np.ndarray = field(init=False)
    absent_unscored: np.ndarray = field(init=False)
    absent_scoring: np.ndarray = field(init=False)
    needs: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.blank_unscored, self.absent_unscored, self.absent_scoring = (
            np.zeros(self.size, dtype=bool) for _ in range(3)
        )

    def need(self, names, firms: np.ndarray) -> None:
        for name in names:
            self.needs[name] = self.needs.get(name, np.zeros(self.size, dtype=bool)) | firms


def score_firms(
    ruleset: RuleSet,
    cols: Columns,
    rows: np.ndarray,
    excluded: np.ndarray | None = None,
    absence: Absence | None = None,
) -> Scored:
    """Score every firm; ``excluded`` firms (not scored for reasons outside scoring) get no points
    and are left out of every batch statistic."""
    scoring = ruleset.model.scoring
    sets = scoring.all_sets()
    set_index = _set_index(scoring, cols)
    gaps = _scoring_gaps(ruleset, cols, set_index, absence)
    unscored = gaps.blank_unscored | gaps.absent_unscored
    scored_firms = ~unscored if excluded is None else ~(unscored | excluded)
    points, references = {}, {}
    weighted = np.zeros(cols.size)
    for i, scoring_set in enumerate(sets):
        members = set_index == i
        for crit in scoring_set.criteria:
            better = ruleset.indicators[crit.indicator].spec.better
            outcome = score_criterion(cols.number(crit.indicator), members, crit, better, scored=scored_firms)
            points[crit.key] = outcome.points
            references[crit.key] = outcome.references
            weighted += np.where(members, np.nan_to_num(outcome.points), 0.0)
    adjustments = {
        adj.id: np.where(evaluate_condition(adj.when, cols) == PASS, adj.points, 0.0) for adj in scoring.adjustments
    }
    return Scored(
        set_index=set_index,
        set_ids=[s.id for s in sets],
        points=pd.DataFrame(points, index=range(cols.size), copy=False),
        references=references,
        weighted=weighted,
        adjustments=pd.DataFrame(adjustments, index=range(cols.size), copy=False),
        adjustment=_adjustment_total(adjustments, scoring.bonus_cap, cols.size),
        criterion_unscored=gaps.blank_unscored,
        issues=_no_set_issues(sets, set_index, rows),
        absent_unscored=gaps.absent_unscored,
        absent_scoring=gaps.absent_scoring,
        needs=gaps.needs,
    )


def _scoring_gaps(ruleset: RuleSet, cols: Columns, set_index: np.ndarray, absence: Absence | None) -> _Gaps:
    """Before any statistic: who lacks a not_scored criterion's value, and what absent columns hold up."""
    gaps = _Gaps(cols.size)
    sets = ruleset.model.scoring.all_sets()
    for i, scoring_set in enumerate(sets):
        members = set_index == i
        for crit in scoring_set.criteria:
            absent = absence.behind(crit.indicator) if absence is not None else frozenset()
            if absent:
                gaps.need(absent, members)
                gaps.absent_scoring |= members
                if crit.missing == "not_scored":
                    gaps.absent_unscored |= members
            elif crit.missing == "not_scored":
                gaps.blank_unscored |= members & np.isnan(cols.number(crit.indicator))
    if absence is not None:
        no_set = set_index < 0
        for scoring_set in sets:
            absent = absence.of_condition(scoring_set.when)
            if absent and no_set.any():  # it might have belonged to this set: the column would tell
                gaps.need(absent, no_set)
                gaps.absent_unscored |= no_set
    return gaps


def _no_set_issues(sets, set_index: np.ndarray, rows: np.ndarray) -> pd.DataFrame | None:
    no_set = set_index < 0
    if not no_set.any():
        return None
    return row_issues(
        "no-scoring-set",
        rows[no_set],
        column="",
        detail_zh="、".join(s.label.zh for s in sets),
        detail_en=", ".join(s.label.get("en") for s in sets),
    )


def _set_index(scoring: Scoring, cols: Columns) -> np.ndarray:
    set_index = np.full(cols.size, -1, dtype=np.int64)
    for i, scoring_set in enumerate(scoring.all_sets()):
        if scoring_set.when is None:
            match = np.ones(cols.size, dtype=bool)
        else:
            match = evaluate_condition(scoring_set.when, cols) == PASS
        set_index = np.where((set_index < 0) & match, i, set_index)
    return set_index


def _adjustment_total(adjustments: dict[str, np.ndarray], bonus_cap: float | None, size: int) -> np.ndarray:
    bonus, penalty = np.zeros(size), np.zeros(size)
    for points in adjustments.values():
        bonus += points.clip(min=0)
        penalty += points.clip(max=0)
    if bonus_cap is not None:
        bonus = np.minimum(bonus, bonus_cap)
    return bonus + penalty
